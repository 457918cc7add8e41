<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # The admin dashboard (cgi-bin/page_admin.c). Every number and every
     coordinate is computed in C; the chart is plain inline SVG, readable
     without JavaScript, with a table of the same numbers below it. ?>
<?cs def:top_table(t, id, heading, keyname) ?>
<section class="card top" aria-labelledby="<?cs var:id ?>">
  <h2 id="<?cs var:id ?>"><?cs var:heading ?></h2>
  <?cs if:t.count == 0 ?>
  <p class="muted">No submissions in this period.</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="top-table" data-top="<?cs var:id ?>">
    <thead><tr><th scope="col"><?cs var:keyname ?></th><th scope="col" class="num">Submissions</th><th scope="col">Newest report</th></tr></thead>
    <tbody>
    <?cs each:r = t ?><?cs if:r.key ?>
    <tr>
      <td><a href="<?cs var:r.href ?>" class="filter-link"><?cs var:r.label ?></a><?cs if:r.sub ?> <code class="code"><?cs var:r.sub ?></code><?cs /if ?><?cs if:r.label != r.key ?> <span class="muted small"><?cs var:r.key ?></span><?cs /if ?><?cs if:r.ours ?> <span class="badge info">our server</span><?cs /if ?></td>
      <td class="num"><?cs var:r.n ?><?cs if:r.pct ?> <span class="muted small">(<?cs var:r.pct ?>%)</span><?cs /if ?></td>
      <td><?cs if:r.latest ?><a href="/r/<?cs var:r.latest ?>" class="report-link"><?cs var:r.latest_when ?></a><?cs else ?><span class="muted">-</span><?cs /if ?></td>
    </tr>
    <?cs /if ?><?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
<?cs /def ?>

<h1>Dashboard</h1>
<?cs if:admin.error.field ?>
<section class="card error-page" role="alert" id="filter-error">
  <h2>Invalid filter “<?cs var:admin.error.field ?>”</h2>
  <p><?cs var:admin.error.message ?></p>
  <p><a class="button" href="/admin">Back to the dashboard</a></p>
</section>
<?cs else ?>
<nav class="range" aria-label="Period">
  <a href="/admin?days=30"<?cs if:admin.days == 30 ?> aria-current="page"<?cs /if ?>>Last 30 days</a>
  <a href="/admin?days=90"<?cs if:admin.days == 90 ?> aria-current="page"<?cs /if ?>>Last 90 days</a>
</nav>
<p class="lead"><strong id="total"><?cs var:admin.total ?></strong> submission<?cs if:admin.total != 1 ?>s<?cs /if ?> from <?cs var:admin.from ?> to <?cs var:admin.to ?> (UTC days). <a href="<?cs var:admin.all_href ?>">List them</a> · <a href="<?cs var:admin.csv_href ?>">Download CSV</a></p>

<?cs if:admin.servers_listed > 0 ?>
<p class="notice warn" role="status" id="servers-alert"><strong><?cs var:admin.servers_listed ?> of our outgoing server<?cs if:admin.servers_count != 1 ?>s<?cs /if ?> listed right now.</strong> See <a href="#servers">our servers</a>.</p>
<?cs /if ?>

<?cs # support's two tools first: they are what a ticket needs ?>
<div class="staff-tools">
<section class="card ticket-search" aria-labelledby="ticket-search">
  <h2 id="ticket-search">Find a ticket</h2>
  <form method="get" action="/admin/submissions" class="inline">
    <label for="ts-ticket">Ticket</label> <input id="ts-ticket" name="ticket" type="text" autocomplete="off" placeholder="HD-48213">
    <button type="submit" class="button small">Show its submissions</button>
  </form>
</section>
<section class="card link-builder" aria-labelledby="link-builder">
  <h2 id="link-builder">Link for a customer</h2>
  <p>A link that checks an address for the customer and keeps your ticket number with the report.</p>
  <form method="get" action="/admin#link-builder" class="inline">
    <label for="lb-ip">IP address or server name</label> <input id="lb-ip" name="ip" type="text" autocomplete="off" value="<?cs var:admin.link.ip ?>">
    <label for="lb-ticket">Ticket</label> <input id="lb-ticket" name="ticket" type="text" autocomplete="off" value="<?cs var:admin.link.ticket ?>">
    <button type="submit" class="button small">Make the link</button>
  </form>
  <?cs if:admin.link.error ?><p class="field-error" role="alert"><?cs var:admin.link.error ?></p><?cs /if ?>
  <?cs if:admin.link.url ?><p><label for="lb-url">Prefilled check link</label> <input id="lb-url" type="text" readonly value="<?cs var:admin.link.url ?>"></p>
  <p><button type="button" class="button small" data-copy-target="lb-url" hidden>Copy link</button></p><?cs /if ?>
</section>
</div>

<section class="card" aria-labelledby="per-day">
  <h2 id="per-day">Submissions per day</h2>
  <figure class="chart-figure">
    <svg class="chart" id="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 <?cs var:chart.width ?> <?cs var:chart.height ?>" role="group" aria-labelledby="chart-title" aria-describedby="chart-desc">
      <title id="chart-title">Submissions per day, last <?cs var:admin.days ?> days</title>
      <desc id="chart-desc">Stacked bars per UTC day: blacklist, reputation, not a blacklist problem, clean or undecided. The tallest day has <?cs var:chart.max ?>.</desc>
      <g class="grid">
        <?cs each:t = chart.ticks ?>
        <line x1="<?cs var:chart.plot_x ?>" x2="<?cs var:chart.plot_right ?>" y1="<?cs var:t.y ?>" y2="<?cs var:t.y ?>"></line>
        <text class="tick" x="<?cs var:chart.tick_x ?>" y="<?cs var:t.text_y ?>" text-anchor="end"><?cs var:t.value ?></text>
        <?cs /each ?>
      </g>
      <g class="bars">
        <?cs each:b = chart.bars ?><?cs if:b.total > 0 ?>
        <a href="<?cs var:b.href ?>" class="bar" data-date="<?cs var:b.date ?>" data-total="<?cs var:b.total ?>"><title><?cs var:b.title ?></title><?cs each:s = b.segs ?><rect class="seg s-<?cs var:s.series ?>" x="<?cs var:b.x ?>" y="<?cs var:s.y ?>" width="<?cs var:b.w ?>" height="<?cs var:s.h ?>"></rect><?cs /each ?></a>
        <?cs /if ?><?cs /each ?>
      </g>
      <line class="axis" x1="<?cs var:chart.plot_x ?>" x2="<?cs var:chart.plot_right ?>" y1="<?cs var:chart.plot_bottom ?>" y2="<?cs var:chart.plot_bottom ?>"></line>
      <g class="labels">
        <?cs each:b = chart.bars ?><?cs if:b.label ?><text x="<?cs var:b.mid ?>" y="<?cs var:chart.label_y ?>" text-anchor="middle"><?cs var:b.label ?></text><?cs /if ?><?cs /each ?>
      </g>
    </svg>
    <figcaption class="legend">
      <?cs each:s = chart.series ?><span class="legend-item"><svg class="swatch" viewBox="0 0 10 10" aria-hidden="true"><rect class="seg s-<?cs var:s.id ?>" width="10" height="10"></rect></svg> <?cs var:s.name ?> (<?cs var:s.total ?>)</span> <?cs /each ?>
    </figcaption>
  </figure>
  <details>
    <summary>The numbers per day</summary>
    <div class="table-wrap" tabindex="0">
    <table class="per-day">
      <thead><tr><th scope="col">Day</th><th scope="col" class="num">Blacklist</th><th scope="col" class="num">Reputation</th><th scope="col" class="num">Not a blacklist problem</th><th scope="col" class="num">Clean or undecided</th><th scope="col" class="num">All</th></tr></thead>
      <tbody>
      <?cs each:b = chart.bars ?><?cs if:b.total > 0 ?>
      <tr><td><a href="<?cs var:b.href ?>"><?cs var:b.date ?></a></td><td class="num"><?cs var:b.n.blacklist ?></td><td class="num"><?cs var:b.n.reputation ?></td><td class="num"><?cs var:b.n.not_blacklist ?></td><td class="num"><?cs var:b.n.other ?></td><td class="num"><?cs var:b.total ?></td></tr>
      <?cs /if ?><?cs /each ?>
      </tbody>
    </table>
    </div>
  </details>
</section>

<div class="grid admin-tops">
  <?cs call:top_table(admin.top.ip, "top-ip", "By sending server", "Server IP") ?>
  <?cs call:top_table(admin.top.list, "top-list", "By list", "List") ?>
  <?cs call:top_table(admin.top.provider, "top-provider", "By receiving provider and code", "Provider") ?>
  <?cs call:top_table(admin.top.cause, "top-cause", "By likely cause", "Cause") ?>
</div>

<?cs include:"pages/admin_maillog.cs" ?>

<section class="card" aria-labelledby="servers" id="servers-section">
  <h2 id="servers">Our outgoing servers</h2>
  <?cs if:admin.monitor.last ?>
  <p class="muted">Last monitoring run: <?cs var:admin.monitor.last ?> (<?cs var:admin.monitor.status ?>).<?cs if:admin.monitor.stale ?> <strong class="warn-text">That is more than two hours ago: is the timer running?</strong><?cs /if ?></p>
  <?cs else ?>
  <p class="notice warn">Monitoring has not run yet. Enable the timer: <code>systemctl enable --now blhelpdesk-monitor.timer</code> (or run <code>portalctl monitor</code> from cron).</p>
  <?cs /if ?>
  <?cs if:admin.outgoing_invalid ?><p class="notice warn">site.outgoing_ips holds something that is not an IP address; run <code>portalctl monitor</code> to see what.</p><?cs /if ?>
  <?cs if:admin.servers_count == 0 ?>
  <p class="muted">No outgoing servers are configured (site.outgoing_ips).</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="servers">
    <thead><tr><th scope="col">Server</th><th scope="col">Status</th><th scope="col">Listed on</th><th scope="col">Checked</th></tr></thead>
    <tbody>
    <?cs each:s = admin.servers ?>
    <tr data-server="<?cs var:s.ip ?>">
      <td><a href="<?cs var:s.href ?>" class="mono"><?cs var:s.ip ?></a></td>
      <td><?cs if:s.state == "listed" ?><span class="badge listed">Listed</span><?cs elif:s.state == "clean" ?><span class="badge clean">Not listed</span><?cs elif:s.state == "incomplete" ?><span class="badge unknown">Partly checked</span><?cs else ?><span class="badge unknown">Never checked</span><?cs /if ?></td>
      <td><?cs if:s.listed > 0 ?><ul class="plain">
        <?cs each:l = s.listings ?><li><strong><?cs var:l.zone ?></strong> since <?cs var:l.since ?> (<?cs var:l.span ?>)<?cs if:l.codes ?> <code><?cs var:l.codes ?></code><?cs /if ?><?cs if:l.duration ?><br><span class="muted small">Usually: <?cs var:l.duration ?></span><?cs /if ?></li><?cs /each ?>
      </ul><?cs elif:s.unknown > 0 ?><span class="muted"><?cs var:s.unknown ?> list<?cs if:s.unknown != 1 ?>s<?cs /if ?> did not answer</span><?cs else ?><span class="muted">-</span><?cs /if ?></td>
      <td><?cs var:s.checked ?></td>
    </tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
  <h3>Listing history</h3>
  <?cs if:admin.history_count == 0 ?>
  <p class="muted">Monitoring has not seen any of our servers listed.</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="history">
    <thead><tr><th scope="col">Server</th><th scope="col">List</th><th scope="col">Listed since</th><th scope="col">Cleared at</th><th scope="col">For</th></tr></thead>
    <tbody>
    <?cs each:h = admin.history ?>
    <tr><td class="mono"><?cs var:h.ip ?></td><td><?cs var:h.zone ?></td><td><?cs var:h.since ?></td><td><?cs if:h.cleared ?><?cs var:h.cleared ?><?cs else ?><span class="badge listed">still listed</span><?cs /if ?></td><td><?cs var:h.span ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>

<div class="grid">
<section class="card" aria-labelledby="forwards">
  <h2 id="forwards">Risky forwards (all customers)</h2>
  <p><strong id="risky-active"><?cs var:admin.forwards.risky_active ?></strong> forward<?cs if:admin.forwards.risky_active != 1 ?>s<?cs /if ?> to consumer providers that take “report spam” clicks are on, <?cs var:admin.forwards.risky_off ?> turned off, of <?cs var:admin.forwards.total ?> forwards in all.</p>
  <?cs if:admin.risky_shown > 0 ?>
  <details id="risky-list">
    <summary>Who has them on (<?cs var:admin.risky_count ?>)</summary>
    <div class="table-wrap" tabindex="0">
    <table class="risky-forwards">
      <thead><tr><th scope="col">Customer</th><th scope="col">Mailbox</th><th scope="col">Forwards to</th></tr></thead>
      <tbody>
      <?cs each:r = admin.risky ?><tr><td><?cs var:r.customer ?></td><td><?cs var:r.address ?></td><td><?cs var:r.destination ?> <span class="muted">(<?cs var:r.provider ?>)</span></td></tr><?cs /each ?>
      </tbody>
    </table>
    </div>
    <?cs if:admin.risky_count > admin.risky_shown ?><p class="muted">The first <?cs var:admin.risky_shown ?> are listed.</p><?cs /if ?>
  </details>
  <?cs /if ?>
  <?cs if:admin.forwards.providers.0.name ?>
  <table class="forward-providers">
    <thead><tr><th scope="col">Provider</th><th scope="col" class="num">On</th><th scope="col" class="num">Off</th></tr></thead>
    <tbody>
    <?cs each:p = admin.forwards.providers ?><tr><td><?cs var:p.name ?></td><td class="num"><?cs var:p.active ?></td><td class="num"><?cs var:p.off ?></td></tr><?cs /each ?>
    </tbody>
  </table>
  <?cs /if ?>
  <p id="turned-off">In this period <strong><?cs var:admin.forwards.turned_off ?></strong> risky forward<?cs if:admin.forwards.turned_off != 1 ?>s were<?cs else ?> was<?cs /if ?> turned off; <strong><?cs var:admin.forwards.turned_off_after_report ?></strong> of them within <?cs var:admin.forwards.window_days ?> days after the same customer made a report (<?cs var:admin.forwards.turned_off_after_selfreport ?> where the report named self-reporting as the likely cause).</p>
</section>

<section class="card" aria-labelledby="list-health">
  <h2 id="list-health">List health</h2>
  <p class="muted">Each list is tested with its RFC 5782 test points (127.0.0.2 must be listed, 127.0.0.1 must not). A list that fails is not trusted: its answers are shown as “untrusted”, never as “not listed”.</p>
  <?cs if:admin.lists_count == 0 ?>
  <p class="muted">No lists configured.</p>
  <?cs else ?>
  <div class="table-wrap" tabindex="0">
  <table class="lists">
    <thead><tr><th scope="col">List</th><th scope="col">Health</th><th scope="col">Tested</th></tr></thead>
    <tbody>
    <?cs each:l = admin.lists ?>
    <tr data-zone="<?cs var:l.zone ?>"><td><?cs var:l.name ?><?cs if:l.name != l.zone ?> <span class="muted small"><?cs var:l.zone ?></span><?cs /if ?><?cs if:l.family == 6 ?> <span class="muted small">IPv6</span><?cs /if ?></td>
      <td><?cs if:l.state == "ok" ?><span class="badge ok">Trusted</span><?cs elif:l.state == "untrusted" ?><span class="badge bad">Untrusted</span><?cs elif:l.state == "skipped" ?><span class="badge bad">Skipped (not answering)</span><?cs elif:l.state == "untested" ?><span class="badge info">No test points</span><?cs else ?><span class="badge unknown">Not tested yet</span><?cs /if ?><?cs if:l.detail && l.state != "ok" ?><br><span class="muted small"><?cs var:l.detail ?></span><?cs /if ?></td>
      <td><?cs var:l.checked ?></td></tr>
    <?cs /each ?>
    </tbody>
  </table>
  </div>
  <?cs /if ?>
</section>
</div>
<?cs /if ?>
<?cs include:"layout/footer.cs" ?>
