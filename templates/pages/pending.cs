<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<?cs if:pending.failed == "1" ?>
<h1>The check did not finish</h1>
<p class="lead" role="alert">We could not finish checking <?cs if:pending.ip ?><?cs var:pending.ip ?><?cs else ?>this bounce<?cs /if ?>. Nothing is wrong with your mail because of this: please try again in a few minutes.</p>
<p><a class="button" href="/">Check again</a></p>
<?cs else ?>
<h1>Checking <?cs if:pending.ip ?><?cs var:pending.ip ?><?cs else ?>your bounce<?cs /if ?> now</h1>
<p class="lead" role="status">We are asking <?cs var:pending.count ?> block lists whether they list <?cs if:pending.ip ?><?cs var:pending.ip ?><?cs else ?>the sending server<?cs /if ?>. The report appears here by itself within <?cs var:pending.deadline ?> seconds; this page reloads every second.</p>
<p>This link is already the report's permanent address: you can copy it into a support ticket now.</p>
<?cs if:pending.count > 0 ?>
<details class="card">
  <summary>Lists being asked</summary>
  <ul class="zones"><?cs each:z = pending.zones ?><li><?cs var:z ?></li><?cs /each ?></ul>
</details>
<?cs /if ?>
<p><a href="/r/<?cs var:pending.token ?>">Reload now</a></p>
<?cs /if ?>
<?cs include:"layout/footer.cs" ?>
