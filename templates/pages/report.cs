<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<p class="muted report-meta">Report of <?cs var:report.created ?><?cs if:report.ticket ?> · ticket <strong><?cs var:report.ticket ?></strong><?cs /if ?>
<?cs if:report.previous ?> · <a href="/r/<?cs var:report.previous ?>">earlier check</a><?cs /if ?>
<?cs if:report.newer ?> · <a href="/r/<?cs var:report.newer ?>">a newer check exists</a><?cs /if ?></p>

<?cs if:selfreport.count ?>
<section class="notice warn selfreport" aria-labelledby="selfreport-title">
  <h2 id="selfreport-title">You forward mail to <?cs var:selfreport.provider_name ?></h2>
  <p><?cs var:selfreport.count ?> of your mailboxes forward to <?cs var:selfreport.provider_name ?>, the provider that refused this mail. Spam that reaches those mailboxes is forwarded too, and pressing “report spam” there blames our server. Turning these forwards off is the quickest fix you control.</p>
  <p><a class="button primary" href="/forwards?provider=<?cs var:url_escape(selfreport.provider) ?>">Review my forwards to <?cs var:selfreport.provider_name ?></a></p>
</section>
<?cs /if ?>

<?cs if:monitor.since ?>
<section class="notice known" aria-labelledby="known">
  <h2 id="known">We know about this</h2>
  <p>Our monitoring has seen this server (<code><?cs var:report.ip ?></code>) on <?cs each:l = monitor.lists ?><?cs var:l.name ?><?cs if:!last(l) ?>, <?cs /if ?><?cs /each ?> since <?cs var:monitor.since ?>. It is being handled; you do not need to report it.</p>
  <?cs each:l = monitor.lists ?><?cs if:l.duration && name(l) < 3 ?><p class="muted"><?cs var:l.name ?>: <?cs var:l.duration ?>.</p><?cs /if ?><?cs /each ?>
</section>
<?cs /if ?>

<section class="card verdict <?cs if:report.is_problem ?>is-blacklist<?cs elif:report.verdict == "not_blacklist" || report.verdict == "clean" ?>not-blacklist<?cs /if ?>" aria-labelledby="verdict">
  <h1 id="verdict"><?cs if:report.verdict == "blacklist" ?>Blacklist problem<?cs elif:report.verdict == "reputation" ?>Provider reputation block<?cs elif:report.verdict == "listed" ?>Listed<?cs elif:report.verdict == "clean" ?>Not listed<?cs elif:report.verdict == "not_blacklist" ?>Not a blacklist problem<?cs else ?>Partly unknown<?cs /if ?></h1>
  <p class="sentence"><?cs var:report.sentence ?></p>
  <?cs if:report.verdict == "not_blacklist" && report.advice ?><p><?cs var:report.advice ?></p><?cs /if ?>
  <?cs if:report.expiry ?><p><?cs var:report.expiry ?></p><?cs /if ?>
</section>

<section class="card share" aria-labelledby="share">
  <h2 id="share">Link for your support ticket</h2>
  <p>This link shows exactly this report to anyone you give it to. Paste it into your ticket.</p>
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

<?cs if:report.input == "bounce" ?>
<section aria-labelledby="said">
  <h2 id="said">What the bounce said</h2>
  <div class="card">
    <dl class="facts">
      <dt>Refused by</dt><dd><?cs var:report.provider_name ?></dd>
      <?cs if:report.provider_code ?><dt>Provider code</dt><dd><code><?cs var:report.provider_code ?></code><?cs if:report.provider_code_meaning ?>: <?cs var:report.provider_code_meaning ?><?cs /if ?></dd><?cs /if ?>
      <?cs if:report.smtp_code ?><dt>SMTP reply</dt><dd><code><?cs var:report.smtp_code ?><?cs if:report.status ?> <?cs var:report.status ?><?cs /if ?></code></dd><?cs /if ?>
      <?cs if:subcount(report.lists) > 0 ?><dt>Block list named</dt><dd><?cs each:l = report.lists ?><?cs var:l ?><?cs if:!last(l) ?>, <?cs /if ?><?cs /each ?></dd><?cs /if ?>
      <?cs if:report.recipient ?><dt>Recipient</dt><dd><?cs var:report.recipient ?></dd><?cs elif:report.recipient_hidden ?><dt>Recipient</dt><dd class="muted">shown only to the person who made this report</dd><?cs /if ?>
      <dt>Sending server</dt><dd><?cs if:report.ip ?><code><?cs var:report.ip ?></code> — <?cs if:report.ip_is_ours ?>one of our outgoing mail servers<?cs else ?>not one of our mail servers (it may be your own internet connection, or another provider's server)<?cs /if ?><?cs else ?>not named in the bounce<?cs /if ?></dd>
    </dl>
    <?cs if:report.diagnostic ?><p class="label">The refusal, word for word:</p><pre class="diagnostic"><?cs var:report.diagnostic ?></pre><?cs /if ?>
    <?cs if:subcount(report.evidence) > 0 ?>
    <details><summary>Why we read it this way</summary><ul class="evidence"><?cs each:e = report.evidence ?><li><code><?cs var:e ?></code></li><?cs /each ?></ul></details>
    <?cs /if ?>
  </div>
</section>
<?cs /if ?>

<section aria-labelledby="status">
  <h2 id="status">Live status of <?cs if:report.ip ?><?cs var:report.ip ?><?cs else ?>the server<?cs /if ?></h2>
  <?cs if:report.note ?><p class="notice"><?cs var:report.note ?></p><?cs /if ?>
  <?cs if:report.ip && !report.ip_is_ours && report.input == "ip" ?><p class="muted">This address is not one of our outgoing mail servers.</p><?cs /if ?>
  <?cs if:report.checked_count > 0 ?>
  <div class="table-wrap">
  <table class="lists">
    <caption class="muted">Checked at the time of this report: <?cs var:report.listed_count ?> of <?cs var:report.checked_count ?> lists list this address.</caption>
    <thead><tr><th scope="col">List</th><th scope="col">Status</th><th scope="col">What it means</th><th scope="col">Usually lasts</th><th scope="col">Delisting</th></tr></thead>
    <tbody>
    <?cs each:c = report.checks ?>
      <tr class="status-<?cs var:c.status ?>">
        <th scope="row"><?cs var:c.name ?><br><span class="muted mono"><?cs var:c.zone ?></span></th>
        <td><span class="badge <?cs if:c.status == "listed" ?>listed<?cs elif:c.status == "clean" ?>clean<?cs else ?>unknown<?cs /if ?>"><?cs var:c.label ?></span><?cs if:c.policy ?> <span class="badge info">policy list</span><?cs /if ?></td>
        <td><?cs if:c.status == "listed" ?><?cs var:c.meaning ?><?cs if:c.txt ?><br><span class="muted">The list says: “<?cs var:c.txt ?>”</span><?cs /if ?><?cs elif:c.status == "clean" ?>—<?cs else ?><?cs var:c.meaning ?><?cs /if ?></td>
        <td><?cs if:c.status == "listed" ?><?cs var:c.duration ?><?cs /if ?></td>
        <td><?cs if:c.status == "listed" && c.delist_url ?><a href="<?cs var:c.delist_url ?>" rel="noopener noreferrer">delisting page</a><?cs /if ?></td>
      </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>

<?cs if:subcount(report.causes) > 0 ?>
<section aria-labelledby="why">
  <h2 id="why">Why it happened</h2>
  <p>These causes fit the evidence, most likely first.</p>
  <div class="grid">
  <?cs each:c = report.causes ?>
    <article class="card cause cause-<?cs var:c.id ?>">
      <h3><?cs var:c.title ?></h3>
      <p><?cs var:c.text ?></p>
      <?cs if:c.why ?><p class="muted"><strong>Evidence:</strong> <?cs var:c.why ?></p><?cs /if ?>
      <p><strong>What to do:</strong> <?cs var:c.todo ?></p>
    </article>
  <?cs /each ?>
  </div>
</section>
<?cs /if ?>

<?cs if:report.is_problem ?>
<section aria-labelledby="todo">
  <h2 id="todo">What you can do now</h2>
  <ol class="remedies">
    <li class="card">
      <h3>1. Send through your internet provider's mail server</h3>
      <p>Mail sent through your own provider's SMTP server does not pass through our shared server, so our listing does not affect it.</p>
      <form method="get" action="/r/<?cs var:report.token ?>" class="inline-form">
        <label for="isp">Your internet provider</label>
        <select id="isp" name="isp">
          <option value="">Choose…</option>
          <?cs each:o = isp.options ?><option value="<?cs var:o.id ?>"<?cs if:o.selected ?> selected<?cs /if ?>><?cs var:o.name ?></option><?cs /each ?>
        </select>
        <button type="submit" class="button small">Show settings</button>
      </form>
      <?cs if:isp.selected.host ?>
      <dl class="facts smtp">
        <dt>Provider</dt><dd><?cs var:isp.selected.name ?></dd>
        <dt>Outgoing server</dt><dd><code><?cs var:isp.selected.host ?></code></dd>
        <dt>Port</dt><dd><?cs var:isp.selected.port ?></dd>
        <dt>Security</dt><dd><?cs var:isp.selected.security ?></dd>
        <dt>Login</dt><dd><?cs if:isp.selected.login_needed ?>your login at <?cs var:isp.selected.name ?> (their username and password, not ours)<?cs else ?>as your provider tells you<?cs /if ?></dd>
      </dl>
      <?cs if:isp.selected.note ?><p class="muted"><?cs var:isp.selected.note ?></p><?cs /if ?>
      <?cs /if ?>
      <p class="muted">Caveat: if your domain publishes SPF or DMARC records, add your provider's servers to them, or receiving servers may reject this mail for failing sender checks.</p>
    </li>
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
  </ol>
</section>
<?cs /if ?>

<p><a class="button" href="/">Check another bounce</a></p>
<?cs include:"layout/footer.cs" ?>
