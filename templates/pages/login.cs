<?cs include:"layout/header.cs" ?><?cs include:"layout/macros.cs" ?>
<section class="card login-card">
  <h1>Log in</h1>
  <p class="muted">Log in with the customer account from your hosting welcome e-mail to see and switch your mail forwards.</p>
  <?cs if:form.error ?>
  <p class="notice warn" role="alert"><?cs var:form.error ?><?cs if:form.retry_minutes ?> Try again in about <?cs var:form.retry_minutes ?> minute<?cs if:form.retry_minutes != 1 ?>s<?cs /if ?>.<?cs /if ?></p>
  <?cs /if ?>
  <form method="post" action="/login" class="login-form">
    <?cs call:csrf_field() ?>
    <?cs if:form.next ?><input type="hidden" name="next" value="<?cs var:form.next ?>"><?cs /if ?>
    <div class="field">
      <label for="login">Login</label>
      <input id="login" name="login" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="<?cs var:form.login ?>">
    </div>
    <div class="field">
      <label for="password">Password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
    </div>
    <button type="submit" class="button primary">Log in</button>
  </form>
  <p class="muted">Forgot your password? <a href="<?cs var:url_validate(site.support_url) ?>">Ask <?cs var:site.company ?> support</a>.</p>
</section>
<?cs include:"layout/footer.cs" ?>
