<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<h1>Your refused mail</h1>
<p class="lead">Our mail servers log every message a provider refuses or holds back, with the provider's own words. Here is what they logged for <?cs if:deliveries.admin ?>all customers<?cs else ?>your domains<?cs /if ?> in the last <?cs var:deliveries.days ?> days, and what it means. You do not need to find or paste the bounce.</p>
<?cs if:deliveries.count == 0 ?>
<p class="card" id="deliveries-none">None of your mail was refused in the last <?cs var:deliveries.days ?> days.</p>
<?cs else ?>
<?cs each:g = deliveries.groups ?>
<section class="deliveries-group" aria-labelledby="prov-<?cs name:g ?>" data-provider="<?cs var:g.id ?>">
  <h2 id="prov-<?cs name:g ?>"><?cs var:g.name ?> <span class="muted">(<?cs var:g.count ?> message<?cs if:g.count != 1 ?>s<?cs /if ?>)</span></h2>
  <?cs each:d = g.rows ?>
  <article class="card delivery" id="d<?cs var:d.id ?>" data-verdict="<?cs var:d.verdict ?>">
    <p class="delivery-head"><span class="badge <?cs if:d.status == "bounced" ?>bad<?cs else ?>warn<?cs /if ?>"><?cs if:d.status == "bounced" ?>Refused<?cs else ?>Delayed<?cs /if ?></span>
      <span class="muted"><?cs var:d.when ?> · server <?cs var:d.server ?><?cs if:d.ip ?> (<?cs var:d.ip ?>)<?cs /if ?></span></p>
    <p class="delivery-route"><span class="addr"><?cs var:d.sender ?></span> → <span class="addr"><?cs var:d.recipient ?></span><?cs if:d.customer ?> <span class="muted">· <?cs var:d.customer ?></span><?cs /if ?></p>
    <p class="delivery-verdict"><strong><?cs var:d.sentence ?></strong><?cs if:d.code ?> <span class="muted">Code <?cs var:d.code ?>.</span><?cs /if ?></p>
    <details>
      <summary>What the provider said (<?cs var:d.dsn ?>)</summary>
      <pre class="reply"><?cs var:d.reply ?></pre>
    </details>
    <form method="post" action="/check" class="inline">
      <?cs call:csrf_field() ?>
      <input type="hidden" name="bounce" value="<?cs var:d.bounce ?>">
      <?cs if:d.ip ?><input type="hidden" name="ip" value="<?cs var:d.ip ?>"><?cs /if ?>
      <button type="submit" class="button small">Full report and live check<span class="visually-hidden"> for the mail to <?cs var:d.recipient ?></span></button>
    </form>
  </article>
  <?cs /each ?>
</section>
<?cs /each ?>
<?cs /if ?>
<?cs include:"layout/footer.cs" ?>
