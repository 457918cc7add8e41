<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs if:form.failed ?>
<div class="notice warn error-summary" role="alert" id="form-errors">
  <p><strong>We could not check this yet:</strong></p>
  <ul>
    <?cs if:form.errors.bounce ?><li><a href="#bounce"><?cs var:form.errors.bounce ?></a></li><?cs /if ?>
    <?cs if:form.errors.ip ?><li><a href="#ip"><?cs var:form.errors.ip ?></a></li><?cs /if ?>
    <?cs if:form.errors.ticket ?><li>The ticket reference in this link is not valid.</li><?cs /if ?>
    <?cs if:form.error ?><li><a href="#<?cs if:form.errors.ip ?>ip<?cs else ?>bounce<?cs /if ?>"><?cs var:form.error ?></a></li><?cs /if ?>
  </ul>
</div>
<?cs /if ?>
<?cs if:host.count > 0 ?>
<section class="notice info host-choice" aria-labelledby="host-choice">
  <p id="host-choice"><strong><code><?cs var:host.name ?></code> has <?cs var:host.count ?> addresses.</strong></p>
  <p>Mail leaves from one of them. The bounce usually names it (look for an address in square brackets); if it does not, check each.</p>
  <ul class="host-addrs">
    <?cs each:a = host.addrs ?><li><form method="post" action="/check" class="inline">
      <input type="hidden" name="csrf" value="<?cs var:page.csrf ?>">
      <input type="hidden" name="ip" value="<?cs var:a ?>">
      <?cs if:host.ticket ?><input type="hidden" name="ticket" value="<?cs var:host.ticket ?>"><?cs /if ?>
      <button type="submit" class="button small" aria-label="Check <?cs var:a ?>">Check <span class="mono"><?cs var:a ?></span></button>
    </form></li><?cs /each ?>
  </ul>
</section>
<?cs /if ?>
<?cs each:i = incident ?>
<p class="notice known incident">Known problem: our mail server <code><?cs var:i.ip ?></code> is listed on <?cs var:i.lists ?> since <?cs var:i.since ?>. We are handling it; you do not need to report it. <a href="/check?ip=<?cs var:url_escape(i.ip) ?>">What this means for your mail</a></p>
<?cs /each ?>
<?cs include:"pages/maillog_notice.cs" ?>
<section class="hero">
  <div class="hero-text">
    <h1>Mail bouncing with “blacklisted”?</h1>
    <p class="lead">Paste the bounce you received. In a few seconds we tell you whether it really is a blacklist problem, which list it is, why it happened and what you can do about it right now.</p>
  </div>
  <?cs call:check_form() ?>
</section>

<?cs if:mine_count > 0 ?>
<section class="card mine" aria-labelledby="mine">
  <h2 id="mine">Your recent reports</h2>
  <ul class="mine-list">
    <?cs each:r = mine ?><li><a href="/r/<?cs var:r.token ?>"><?cs var:r.when ?></a> · <?cs if:r.ip ?><?cs var:r.ip ?>: <?cs /if ?><?cs var:r.verdict ?><?cs if:r.ticket ?> · ticket <?cs var:r.ticket ?><?cs /if ?></li><?cs /each ?>
  </ul>
</section>
<?cs /if ?>
<section class="explain" aria-labelledby="why">
  <h2 id="why">Why does this happen on a shared mail server?</h2>
  <p>Your website and mail share a server with other customers. Big mailbox providers such as AOL, Comcast, Gmail and Outlook judge a server by <em>all</em> the mail it sends. When a few people mark mail from it as spam, or a public blacklist (a “DNSBL”) lists its address, those providers refuse mail from everyone on it for a while, including you.</p>
  <div class="grid">
    <article class="card">
      <h3>Complaints about someone's mailing</h3>
      <p>Another customer on the server sent a newsletter that recipients reported as spam.</p>
    </article>
    <article class="card">
      <h3>An exploited script</h3>
      <p>An outdated PHP or Perl script on some website was abused to send spam.</p>
    </article>
    <article class="card">
      <h3>A forgotten sign-up</h3>
      <p>Someone no longer remembers subscribing to a newsletter and pressed “report spam”.</p>
    </article>
    <article class="card">
      <h3>Reporting your own forwarded mail</h3>
      <p>A mailbox here forwards to AOL, Comcast or similar. Spam arrives, gets forwarded, and pressing “report spam” there blames our server. This one you can fix in a click.</p>
    </article>
  </div>
</section>

<section class="explain" aria-labelledby="next">
  <h2 id="next">What happens next</h2>
  <ol class="steps">
    <li><strong>Most listings lift by themselves within about 72 hours</strong> once the cause stops. We watch our own servers and work on delisting.</li>
    <li><strong>Need to send now?</strong> Send through your internet provider's own mail server (SMTP). Your report shows the settings.</li>
    <li><strong>Never again?</strong> A <a href="<?cs var:url_validate(site.dedicated_url) ?>">dedicated server</a> has an address only you use, and our <a href="<?cs var:url_validate(site.gateway_url) ?>">managed anti-spam gateway</a> keeps spam out of your forwards.</li>
  </ol>
</section>
<?cs include:"layout/footer.cs" ?>
