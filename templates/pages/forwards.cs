<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs def:forward_switch(d) ?>
<form method="post" action="/forwards/<?cs var:d.id ?>/toggle" class="switch">
  <?cs call:csrf_field() ?>
  <?cs if:forwards.filter.id ?><input type="hidden" name="provider" value="<?cs var:forwards.filter.id ?>"><?cs /if ?>
  <?cs if:d.active ?>
  <input type="hidden" name="state" value="off">
  <button type="submit" class="button small<?cs if:d.risky ?> primary<?cs /if ?>" aria-label="Turn off the forward to <?cs var:d.destination ?>">Turn off</button>
  <?cs else ?>
  <input type="hidden" name="state" value="on">
  <button type="submit" class="button small" aria-label="Turn on the forward to <?cs var:d.destination ?>">Turn on</button>
  <?cs /if ?>
</form>
<?cs /def ?>
<h1>Your mail forwards</h1>
<?cs if:forwards.no_customer ?>
<p class="lead">This account is a staff account and has no mailboxes of its own.</p>
<?cs else ?>
<p class="lead">Mail to these addresses is passed on to the destinations below. Forwards to big consumer mail providers can get our mail server blacklisted; you can turn any forward off here, and the mail server follows at once.</p>

<?cs if:forwards.done.id ?>
<p class="notice ok" role="status" id="done" tabindex="-1"><strong>Done:</strong> the forward from <span class="addr"><?cs var:forwards.done.address ?></span> to <span class="addr"><?cs var:forwards.done.destination ?></span> is now <strong><?cs if:forwards.done.active ?>on<?cs else ?>off<?cs /if ?></strong>; the mail server follows at once.</p>
<?cs /if ?>
<?cs if:forwards.filter.name ?>
<p class="notice" id="provider-notice"><?cs if:forwards.highlighted > 0 ?>The forwards marked below go to <strong><?cs var:forwards.filter.name ?></strong>, the provider that refused your mail.<?cs else ?>None of your forwards go to <?cs var:forwards.filter.name ?>.<?cs /if ?></p>
<?cs /if ?>

<?cs if:forwards.risky_on > 0 ?>
<div class="notice warn" role="status" id="risky-summary">
  <p><strong><?cs var:forwards.risky_on ?> forward<?cs if:forwards.risky_on != 1 ?>s<?cs /if ?> at risk of self-reporting.</strong> Spam that reaches these mailboxes is forwarded to a consumer provider; when it is marked as spam there, the provider blames our server, not the spammer.</p>
</div>
<?cs elif:forwards.count > 0 ?>
<p class="notice" role="status" id="risky-summary">None of your forwards is currently at risk of self-reporting.</p>
<?cs /if ?>

<?cs if:forwards.count == 0 ?>
<p class="card">You have no mail forwards with us.</p>
<?cs else ?>
<?cs each:m = forwards.mailboxes ?>
<article class="card mailbox" id="m<?cs var:m.id ?>">
  <h2 class="mailbox-address"><?cs var:m.address ?></h2>
  <p class="muted"><?cs if:m.keep_copy ?>Keeps a copy in this mailbox while forwarding.<?cs else ?>Delivered to the mailbox here when no forward is on.<?cs /if ?></p>
  <div class="table-wrap" tabindex="0">
  <table class="forward-list">
    <thead><tr><th scope="col">Forwards to</th><th scope="col">Status</th><th scope="col">Provider</th><th scope="col">Switch</th></tr></thead>
    <tbody>
    <?cs each:d = m.dests ?>
    <tr id="f<?cs var:d.id ?>" class="forward<?cs if:d.highlight ?> highlight<?cs /if ?>" data-forward="<?cs var:d.id ?>">
      <td class="dest"><?cs var:d.destination ?></td>
      <td><span class="badge <?cs var:d.badge ?>" data-badge="<?cs var:d.badge ?>"><?cs var:d.badge_text ?></span></td>
      <td><?cs if:d.provider ?><?cs var:d.provider ?><?cs if:d.risky ?> <span class="muted">· takes “report spam” clicks</span><?cs /if ?><?cs else ?><span class="muted">not a consumer provider</span><?cs /if ?></td>
      <td><?cs call:forward_switch(d) ?><span class="muted small">since <?cs var:d.changed ?></span></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
</article>
<?cs /each ?>
<?cs /if ?>

<section class="explain" aria-labelledby="self-reporting">
  <h2 id="self-reporting">What is “self-reporting”?</h2>
  <p>Some spam always gets through any filter. When a mailbox here forwards to, say, AOL or Gmail, that spam is forwarded too, and it arrives there <em>from our mail server</em>. If you then press “report spam” (or “junk”) on it, the provider counts a complaint against our server. Enough complaints and the provider, or a public blacklist, blocks our server, and your own mail, and that of every other customer, starts to bounce. In effect the forward reports itself.</p>
  <?cs if:forwards.providers.0.name ?>
  <p>Where your forwards go, complaints come from:</p>
  <ul class="providers">
    <?cs each:p = forwards.providers ?><li><strong><?cs var:p.name ?></strong>: <?cs var:p.report ?></li><?cs /each ?>
  </ul>
  <?cs /if ?>
  <p>Turning a forward off keeps the mailbox and every message: mail simply stays here until you read it.</p>
</section>

<section class="explain" aria-labelledby="alternatives">
  <h2 id="alternatives">Safer ways to get the same mail</h2>
  <ol class="steps">
    <li><strong>Read the mailbox in your provider's app instead of forwarding.</strong> The Gmail, Outlook, AOL and Yahoo apps (and your phone's own mail app) can add this mailbox as an extra account over IMAP. You read everything in one place, nothing is forwarded, and “report spam” stays between you and us.</li>
    <li><strong>Forward only mail below the spam threshold.</strong> With our <a href="<?cs var:url_validate(site.gateway_url) ?>">managed anti-spam filter</a>, mail scored as likely spam stays here and only the rest is forwarded, so far less spam can be reported.</li>
    <li><strong>Never press “report spam” on forwarded mail.</strong> Delete it instead, or report it to us so we can tune the filter.</li>
  </ol>
</section>

<section aria-labelledby="audit">
  <h2 id="audit">Changes to your forwards</h2>
  <?cs if:forwards.audit_count == 0 ?>
  <p class="muted">No changes yet.</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="audit">
    <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">From address</th></tr></thead>
    <tbody>
    <?cs each:a = forwards.audit ?>
    <tr><td><?cs var:a.when ?></td><td><?cs var:a.actor ?></td><td><?cs var:a.action ?>: <?cs var:a.detail ?></td><td><?cs var:a.client ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
<?cs /if ?>
<?cs include:"layout/footer.cs" ?>
