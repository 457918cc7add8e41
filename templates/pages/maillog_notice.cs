<?cs each:m = maillog_notice ?>
<p class="notice known incident maillog-notice">Known problem: <?cs var:m.text ?>. We are handling it; you do not need to report it. <a href="/deliveries">See your refused mail</a></p>
<?cs /each ?>
