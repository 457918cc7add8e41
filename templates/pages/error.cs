<?cs include:"layout/header.cs" ?>
<section class="card error-page">
  <h1><?cs if:error.reason == "cookie" ?>Please reload this page<?cs else ?><?cs var:error.title ?><?cs /if ?></h1>
  <?cs if:error.status == 404 ?>
  <p>There is no page at this address. If you followed a report link, check that it was copied completely.</p>
  <?cs elif:error.status == 405 ?>
  <p>This page cannot be used that way.</p>
  <?cs elif:error.status == 413 ?>
  <p>What you sent is larger than we accept. Paste only the bounce message itself, without attachments.</p>
  <?cs elif:error.status == 429 ?>
  <p>Too many checks from your connection in a short time. Please wait a minute and try again.</p>
  <?cs elif:error.status == 403 ?>
  <p>This form has expired or was not sent from our site. Go back, reload the page and try again.</p>
  <?cs elif:error.reason == "cookie" ?>
  <p>Your browser sent one of this site's cookies twice, so we cannot tell which one is yours. We have cleared our copy: reload the page. If this page comes back, delete this site's cookies in your browser settings.</p>
  <?cs elif:error.status >= 500 ?>
  <p>Something went wrong on our side. It has been logged; please try again in a moment.</p>
  <?cs else ?>
  <p>We could not understand this request.</p>
  <?cs /if ?>
  <p class="muted">Reference: <code><?cs var:error.ref ?></code> (quote it if you contact support)</p>
  <p><a class="button" href="/"><?cs if:error.reason == "cookie" ?>Try again<?cs else ?>Back to the check<?cs /if ?></a></p>
</section>
<?cs include:"layout/footer.cs" ?>
