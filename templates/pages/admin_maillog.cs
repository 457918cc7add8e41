<section class="card" aria-labelledby="maillog-refusals" id="maillog-section">
  <h2 id="maillog-refusals">Refusals in our mail logs</h2>
  <?cs each:a = admin.maillog.alerts ?>
  <p class="notice warn maillog-alert" role="status"><strong><?cs var:a.text ?></strong>. Customers see a notice on the home page.</p>
  <?cs /each ?>
  <?cs if:admin.maillog.pairs_count == 0 ?>
  <p class="muted">No refused or deferred mail in the last 7 days (<code>portalctl maillog</code> reads the logs; see docs/maillog.md).</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="maillog-pairs">
    <thead><tr><th scope="col">Provider</th><th scope="col">Server</th><th scope="col">Last hour</th><th scope="col">24 hours</th><th scope="col">7 days</th><th scope="col">By hour</th><th scope="col">By day</th></tr></thead>
    <tbody>
    <?cs each:p = admin.maillog.pairs ?>
    <tr data-pair="<?cs var:p.provider ?>/<?cs var:p.server ?>">
      <td><?cs var:p.provider ?></td><td class="mono"><?cs var:p.server ?></td>
      <td><?cs var:p.hour ?></td><td><?cs var:p.day ?></td><td><?cs var:p.week ?></td>
      <td><span class="spark" role="img" aria-label="Refusals per hour, last 24 hours: <?cs var:p.hours_label ?>"><?cs var:p.hours ?></span></td>
      <td><span class="spark" role="img" aria-label="Refusals per day, last 7 days: <?cs var:p.days_label ?>"><?cs var:p.days ?></span></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
