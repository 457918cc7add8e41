<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs def:provider_form() ?>
      <form method="get" action="/r/<?cs var:report.token ?>#smtp" class="inline-form" data-remember-isp>
        <label for="isp">Which provider gives you your internet connection or mailbox?</label>
        <select id="isp" name="isp">
          <option value="">Choose…</option>
          <?cs each:o = isp.options ?><option value="<?cs var:o.id ?>"<?cs if:o.selected ?> selected<?cs /if ?>><?cs var:o.name ?></option><?cs /each ?>
          <option value="other"<?cs if:isp.not_listed ?> selected<?cs /if ?>>My provider isn't listed</option>
        </select>
        <button type="submit" class="button small">Show settings</button>
      </form>
<?cs /def ?>
<?cs def:ip_form() ?>
  <form method="get" action="/check" class="inline-form ip-inline">
    <label for="inline-ip">The sending server's IP address</label>
    <input id="inline-ip" name="ip" type="text" inputmode="decimal" autocomplete="off" spellcheck="false" placeholder="e.g. 203.0.113.25">
    <?cs if:report.ticket ?><input type="hidden" name="ticket" value="<?cs var:report.ticket ?>"><?cs /if ?>
    <button type="submit" class="button small primary">Check this address</button>
  </form>
<?cs /def ?>
<p class="muted report-meta">Report of <?cs var:report.created ?><?cs if:report.ticket ?> · ticket <strong><?cs var:report.ticket ?></strong><?cs /if ?>
<?cs if:report.previous ?> · <a href="/r/<?cs var:report.previous ?>">earlier check</a><?cs /if ?>
<?cs if:report.newer ?> · <a href="/r/<?cs var:report.newer ?>">a newer check exists</a><?cs /if ?></p>

<section class="card verdict outcome-<?cs var:report.outcome ?><?cs if:report.is_problem ?> is-blacklist<?cs elif:report.outcome == "not_blocklist" ?> not-blacklist<?cs /if ?>" aria-labelledby="verdict">
  <h1 id="verdict"><?cs var:report.heading ?></h1>
  <p class="sentence"><?cs var:report.sentence ?></p>
  <p class="next-step"><?cs var:report.next_step ?></p>
  <?cs if:monitor.since ?><p class="known" id="known"><strong>We know about this:</strong> our monitoring has seen this server on <?cs each:l = monitor.lists ?><?cs if:name(l) < 2 ?><?cs if:name(l) > 0 ?>, <?cs /if ?><?cs var:l.name ?><?cs /if ?><?cs /each ?><?cs if:monitor.more ?> and <?cs var:monitor.more ?> more<?cs /if ?> since <?cs var:monitor.since ?>. It is being handled; you need not report it.</p><?cs /if ?>
  <?cs if:report.advice ?><p class="advice"><strong><?cs var:report.provider_name ?> advises:</strong> <?cs var:report.advice ?></p><?cs /if ?>
  <?cs if:report.expiry ?><p class="muted"><?cs var:report.expiry ?></p><?cs /if ?>
  <div class="first-action" id="first-action">
  <?cs if:selfreport.count ?>
    <p><strong>First:</strong> <?cs var:selfreport.count ?> <?cs if:selfreport.count == 1 ?>mailbox of yours forwards<?cs else ?>of your mailboxes forward<?cs /if ?> to <?cs var:selfreport.provider_name ?>, the provider that refused this mail. Turning these forwards off is the quickest fix you control.</p>
    <p><a class="button primary" href="/forwards?provider=<?cs var:url_escape(selfreport.provider) ?>">Review my forwards to <?cs var:selfreport.provider_name ?></a></p>
  <?cs elif:report.outcome == "could_not_check" ?>
    <form method="post" action="/r/<?cs var:report.token ?>/recheck">
      <?cs call:csrf_field() ?>
      <button type="submit" class="button primary">Check again</button>
    </form>
  <?cs elif:report.outcome == "server_listed" ?>
    <?cs call:ip_form() ?>
  <?cs elif:report.outcome == "could_not_tell" ?>
    <p><a class="button primary" href="/">Paste the whole bounce</a></p>
  <?cs elif:report.outcome == "our_server_listed" ?>
    <p><strong>First:</strong> send through your own provider's mail server until the listing lifts.</p>
    <p><a class="button primary" href="#smtp">Show me how</a></p>
  <?cs elif:subcount(report.causes) > 0 ?>
    <p><strong>First:</strong> <?cs var:report.causes.0.todo ?></p>
  <?cs /if ?>
  </div>
</section>

<?cs if:report.outcome == "server_listed" ?>
<section class="card" aria-labelledby="ours">
  <h2 id="ours">Our outgoing servers</h2>
  <?cs if:ours.checked ?>
    <?cs if:subcount(ours.listed) > 0 ?>
      <ul><?cs each:s = ours.listed ?><li><code><?cs var:s.ip ?></code> is listed on <?cs var:s.lists ?> (being handled)</li><?cs /each ?></ul>
      <p class="muted">As our monitoring last saw them, <?cs var:ours.checked ?>. If the bounce came through one of these, the listing above is the reason.</p>
    <?cs else ?>
      <p>Our monitoring saw none of our outgoing servers listed at its last check (<?cs var:ours.checked ?>): the server that was refused may not be ours.</p>
    <?cs /if ?>
  <?cs else ?>
    <p>Our monitoring has not checked our outgoing servers yet, so we cannot tell you their status here.</p>
  <?cs /if ?>
</section>
<?cs /if ?>

<?cs if:subcount(report.causes) > 0 ?>
<section aria-labelledby="why">
  <h2 id="why">Why it happened</h2>
  <div class="grid">
  <?cs each:c = report.causes ?>
    <article class="card cause cause-<?cs var:c.id ?><?cs if:c.likely ?> likely<?cs /if ?>">
      <?cs if:c.likely ?><p class="badge info">Most likely</p><?cs else ?><p class="badge">Also possible</p><?cs /if ?>
      <h3><?cs var:c.title ?></h3>
      <p><?cs var:c.text ?></p>
      <?cs if:c.why ?><p class="muted"><strong>Evidence:</strong> <?cs var:c.why ?></p><?cs /if ?>
      <p><strong>What to do:</strong> <?cs var:c.todo ?></p>
    </article>
  <?cs /each ?>
  </div>
</section>
<?cs /if ?>

<?cs if:report.is_problem && (report.ip_is_ours || !report.ip || report.cause == "policy") ?>
<section aria-labelledby="todo">
  <h2 id="todo">What you can do now</h2>
  <ol class="remedies">
    <li class="card" id="smtp">
      <h3>1. Send through your own provider's mail server</h3>
      <p><?cs if:report.ip_is_ours ?>Mail sent through your own provider's server does not pass through our shared server, so our listing does not affect it.<?cs else ?>Mail sent through a provider's mail server (with login) is not sent directly from your connection, so a listing of that connection does not affect it.<?cs /if ?></p>
      <?cs call:provider_form() ?>
      <?cs if:isp.selected.host ?>
      <dl class="facts smtp">
        <dt>Provider</dt><dd><?cs var:isp.selected.name ?></dd>
        <dt>Outgoing server</dt><dd><code><?cs var:isp.selected.host ?></code></dd>
        <dt>Port</dt><dd><?cs var:isp.selected.port ?></dd>
        <dt>Security</dt><dd><?cs var:isp.selected.security ?></dd>
        <dt>Login</dt><dd><?cs if:isp.selected.login_needed ?>your login at <?cs var:isp.selected.name ?> (their username and password, not ours)<?cs else ?>as your provider tells you<?cs /if ?></dd>
      </dl>
      <?cs if:isp.selected.webmail ?><p class="notice warn webmail"><?cs var:isp.selected.name ?> is a web-mail service: its server sends only as your address at <?cs var:isp.selected.name ?>, not as your own domain. To keep sending as your own domain, choose the provider of your internet connection instead.</p><?cs /if ?>
      <?cs if:isp.selected.note ?><p class="muted"><?cs var:isp.selected.note ?></p><?cs /if ?>
      <?cs elif:isp.not_listed ?>
      <div class="not-listed">
        <p>Look on your provider's help pages for its “outgoing mail server (SMTP)” settings, or ask its support for them. They usually look like <code>smtp.</code><em>provider</em> on port 587 with STARTTLS (or 465 with SSL) and your login there.</p>
        <p>If your provider offers no outgoing server, or it will not send as your own domain, ask us for a dedicated server or the anti-spam gateway below.</p>
      </div>
      <?cs /if ?>
      <p class="muted">If your domain publishes SPF or DMARC records, add your provider's servers to them, or receiving servers may refuse this mail.</p>
    </li>
    <?cs if:report.ip_is_ours || !report.ip ?>
    <li class="card">
      <h3>2. Take a dedicated server</h3>
      <p>A server with an address only you use: other customers' mail can never get it listed.</p>
      <p><a href="<?cs var:url_validate(site.dedicated_url) ?>">Ask for a dedicated server quote</a></p>
    </li>
    <li class="card">
      <h3>3. Use our managed anti-spam gateway</h3>
      <p>It filters spam before it reaches your mailboxes and forwards, so nothing you forward gets reported.</p>
      <p><a href="<?cs var:url_validate(site.gateway_url) ?>">About the anti-spam gateway</a></p>
    </li>
    <?cs /if ?>
  </ol>
</section>
<?cs /if ?>

<?cs if:report.outcome != "could_not_check" ?>
<section class="card share" aria-labelledby="share">
  <h2 id="share">Link for your support ticket</h2>
  <p>Anyone you give this link sees this report as it was made<?cs if:report.input != "bounce" ?>.<?cs elif:report.holder ?>, except the mail addresses: only you see the recipient and the other addresses in the refusal; everyone else sees them removed.<?cs else ?>, except the mail addresses: the recipient's and any other in the refusal are removed from what you see, and only the person who made this report sees them.<?cs /if ?></p>
  <div class="copy-row">
    <label class="visually-hidden" for="report-link">Report link</label>
    <input id="report-link" type="text" readonly value="<?cs var:report.url ?>">
    <button type="button" class="button" data-copy-target="report-link" hidden>Copy link</button>
  </div>
  <form method="post" action="/r/<?cs var:report.token ?>/recheck" class="recheck">
    <?cs call:csrf_field() ?>
    <button type="submit" class="button small">Check again now</button>
    <span class="muted">makes a new report; this one stays as it is</span>
  </form>
</section>
<?cs /if ?>

<?cs if:report.input == "bounce" ?>
<section aria-labelledby="said">
  <h2 id="said">What the bounce said</h2>
  <div class="card">
    <dl class="facts">
      <dt>Refused by</dt><dd><?cs var:report.provider_name ?></dd>
      <?cs if:report.provider_code ?><dt>Provider code</dt><dd><code><?cs var:report.provider_code ?></code><?cs if:report.provider_code_meaning ?>: <?cs var:report.provider_code_meaning ?><?cs /if ?></dd><?cs /if ?>
      <?cs if:subcount(report.lists) > 0 ?><dt>Block list named</dt><dd><?cs each:l = report.lists ?><?cs var:l ?><?cs if:!last(l) ?>, <?cs /if ?><?cs /each ?></dd><?cs /if ?>
      <?cs if:report.recipient ?><dt>Recipient</dt><dd><?cs var:report.recipient ?></dd><?cs elif:report.recipient_hidden ?><dt>Recipient</dt><dd class="muted">shown only to the person who made this report</dd><?cs /if ?>
      <dt>Sending server</dt><dd><?cs if:report.ip ?><code><?cs var:report.ip ?></code><?cs if:report.host ?> (the address of <code><?cs var:report.host ?></code>)<?cs /if ?> — <?cs if:report.ip_is_ours ?>one of our outgoing mail servers<?cs else ?>not one of our mail servers (your own connection, or another provider's server)<?cs /if ?><?cs else ?>not named in the bounce<?cs /if ?></dd>
    </dl>
    <?cs if:report.diagnostic ?><p class="label">The refusal<?cs if:!report.holder ?>, with mail addresses removed<?cs else ?>, word for word<?cs /if ?>:</p><pre class="diagnostic"><?cs var:report.diagnostic ?></pre><?cs /if ?>
  </div>
</section>
<?cs /if ?>

<section aria-labelledby="status">
  <h2 id="status">Live status of <?cs if:report.ip ?><?cs var:report.ip ?><?cs if:report.host ?> (<?cs var:report.host ?>)<?cs /if ?><?cs else ?>the server<?cs /if ?></h2>
  <?cs if:report.note ?><p class="notice"><?cs var:report.note ?></p><?cs /if ?>
  <?cs if:report.ip && !report.ip_is_ours && report.input == "ip" ?><p class="muted">This address is not one of our outgoing mail servers.</p><?cs /if ?>
  <?cs if:!report.ip ?><p>The bounce does not name the sending server's address.</p><?cs call:ip_form() ?><?cs /if ?>
  <?cs if:report.outcome == "could_not_check" ?>
  <p>None of the <?cs var:report.checked_count ?> block lists answered this time, so we know nothing about this address yet.</p>
  <?cs elif:report.checked_count > 0 ?>
  <div class="table-wrap" tabindex="0">
  <table class="lists">
    <caption class="muted">Checked at the time of this report: <?cs var:report.listed_count ?> of <?cs var:report.checked_count ?> block lists name this address.</caption>
    <thead><tr><th scope="col">List</th><th scope="col">Status</th><th scope="col">What it means</th><th scope="col">Usually lasts</th><th scope="col">Delisting</th></tr></thead>
    <tbody>
    <?cs each:c = report.checks ?>
      <tr class="status-<?cs var:c.status ?>" data-zone="<?cs var:c.zone ?>">
        <th scope="row"><?cs var:c.name ?></th>
        <td><span class="badge <?cs if:c.status == "listed" ?>listed<?cs elif:c.status == "clean" ?>clean<?cs else ?>unknown<?cs /if ?>"><?cs var:c.label ?></span><?cs if:c.policy ?> <span class="badge info">policy list</span><?cs /if ?></td>
        <td><?cs if:c.status == "clean" ?>—<?cs else ?><?cs var:c.meaning ?><?cs /if ?></td>
        <td><?cs if:c.status == "listed" ?><?cs var:c.duration ?><?cs /if ?></td>
        <?cs # our own server: our team asks for removal, a customer's request would only add noise ?>
        <td><?cs if:c.status == "listed" && report.ip_is_ours ?><span class="muted">our team handles this</span><?cs elif:c.status == "listed" && c.delist_url ?><a href="<?cs var:c.delist_url ?>" rel="noopener noreferrer">delisting page</a><?cs /if ?></td>
      </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>

<details class="technical" id="technical">
  <summary>Technical details</summary>
  <dl class="facts">
    <dt>Verdict</dt><dd><code><?cs var:report.verdict ?></code> / <code><?cs var:report.outcome ?></code></dd>
    <?cs if:report.category ?><dt>Category</dt><dd><code><?cs var:report.category ?></code></dd><?cs /if ?>
    <?cs if:report.smtp_code ?><dt>SMTP reply</dt><dd><code><?cs var:report.smtp_code ?><?cs if:report.status ?> <?cs var:report.status ?><?cs /if ?></code></dd><?cs /if ?>
    <?cs if:subcount(report.causes) > 0 ?><dt>Causes</dt><dd><?cs each:c = report.causes ?><code><?cs var:c.id ?></code><?cs if:!last(c) ?>, <?cs /if ?><?cs /each ?></dd><?cs /if ?>
  </dl>
  <?cs if:subcount(report.evidence) > 0 ?>
  <p class="label">Rules that fired:</p>
  <ul class="evidence"><?cs each:e = report.evidence ?><li><code><?cs var:e ?></code></li><?cs /each ?></ul>
  <?cs /if ?>
  <?cs if:report.checked_count > 0 ?>
  <p class="label">Each list's answer:</p>
  <ul class="raw-answers"><?cs each:c = report.checks ?><li><code><?cs var:c.zone ?></code>: <?cs var:c.status ?><?cs if:c.txt ?> — “<?cs var:c.txt ?>”<?cs /if ?></li><?cs /each ?></ul>
  <?cs /if ?>
</details>

<p><a class="button" href="/">Check another bounce</a></p>
<?cs include:"layout/footer.cs" ?>
