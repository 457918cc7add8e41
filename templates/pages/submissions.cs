<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs # The filtered submissions list (cgi-bin/page_submissions.c). ?>
<?cs def:filter_input(name, label, hint) ?>
<div class="field<?cs if:form.errors[name] ?> has-error<?cs /if ?>">
  <label for="f-<?cs var:name ?>"><?cs var:label ?></label>
  <input id="f-<?cs var:name ?>" name="<?cs var:name ?>" type="text" autocomplete="off" placeholder="<?cs var:hint ?>" value="<?cs var:form[name] ?>"<?cs if:form.errors[name] ?> aria-invalid="true"<?cs /if ?>>
  <?cs call:field_error(form.errors[name]) ?>
</div>
<?cs /def ?>
<p class="crumbs"><a href="/admin">Dashboard</a> › Submissions</p>
<h1>Submissions</h1>
<?cs if:subs.error.field ?>
<p class="notice warn" role="alert" id="filter-error">Invalid filter “<?cs var:subs.error.field ?>”: <?cs var:subs.error.message ?></p>
<?cs /if ?>
<form method="get" action="/admin/submissions" class="card filters">
  <div class="filter-grid">
    <?cs call:filter_input("ip", "Sending IP", "203.0.113.25") ?>
    <?cs call:filter_input("ticket", "Ticket", "HD-48213") ?>
    <?cs call:filter_input("list", "List", "Spamhaus ZEN or zen.spamhaus.org") ?>
    <?cs call:filter_input("provider", "Provider", "aol") ?>
    <?cs call:filter_input("code", "Provider code", "RTR:BB") ?>
    <?cs call:filter_input("cause", "Cause", "selfreport") ?>
    <?cs call:filter_input("from", "From (UTC day)", "2026-01-31") ?>
    <?cs call:filter_input("to", "To (UTC day)", "2026-02-28") ?>
  </div>
  <button type="submit" class="button primary">Filter</button>
  <a class="button" href="/admin/submissions">Clear</a>
</form>
<?cs if:!subs.error.field ?>
<p class="lead" id="summary"><?cs if:subs.total == 0 ?>No submissions match.<?cs elif:subs.count == 0 ?>Nothing on this page: there are <?cs var:subs.total ?><?cs if:subs.more ?> or more<?cs /if ?>.<?cs else ?>Submissions <?cs var:subs.first ?>–<?cs var:subs.last ?> of <?cs if:subs.more ?>at least <?cs /if ?><strong id="total"><?cs var:subs.total ?></strong>, newest first.<?cs /if ?> <a href="<?cs var:subs.csv ?>" id="csv-link">Download CSV</a></p>
<?cs if:subs.count > 0 ?>
<div class="table-wrap" tabindex="0">
<table class="submissions">
  <thead><tr><th scope="col">When (UTC)</th><th scope="col">Sending IP</th><th scope="col">Verdict</th><th scope="col">Provider</th><th scope="col">Cause</th><th scope="col">Lists</th><th scope="col">Report</th></tr></thead>
  <tbody>
  <?cs each:r = subs.rows ?>
  <tr data-token="<?cs var:r.token ?>">
    <td><?cs var:r.when ?><?cs if:r.ticket ?><br><span class="muted small">ticket <a href="<?cs var:r.ticket_href ?>"><?cs var:r.ticket ?></a></span><?cs /if ?></td>
    <td><?cs if:r.ip_href ?><a href="<?cs var:r.ip_href ?>" class="mono"><?cs var:r.ip ?></a><?cs if:r.ours ?> <span class="badge info">ours</span><?cs /if ?><?cs else ?><span class="muted">-</span><?cs /if ?></td>
    <td><span class="badge <?cs if:r.verdict == "blacklist" || r.verdict == "listed" ?>bad<?cs elif:r.verdict == "not_blacklist" || r.verdict == "clean" ?>ok<?cs else ?>warn<?cs /if ?>" title="<?cs var:r.verdict ?>"><?cs var:r.verdict_label ?></span></td>
    <td><?cs var:r.provider ?><?cs if:r.code ?> <code><?cs var:r.code ?></code><?cs /if ?></td>
    <td><?cs var:r.cause_label ?></td>
    <td><?cs each:z = r.lists ?><a href="<?cs var:z.href ?>"><?cs var:z.zone ?></a> <?cs /each ?></td>
    <td><a href="/r/<?cs var:r.token ?>" class="report-link">Open</a></td>
  </tr>
  <?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<nav class="pager" aria-label="Pages">
  <?cs if:subs.prev ?><a href="<?cs var:subs.prev ?>" rel="prev">← Newer</a><?cs /if ?>
  <span class="muted">Page <?cs var:subs.page ?><?cs if:!subs.more ?> of <?cs var:subs.pages ?><?cs /if ?></span>
  <?cs if:subs.next ?><a href="<?cs var:subs.next ?>" rel="next">Older →</a><?cs /if ?>
</nav>
<?cs /if ?>
<?cs include:"layout/footer.cs" ?>
