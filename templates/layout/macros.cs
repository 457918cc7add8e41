<?cs # Reusable pieces. Every var: is HTML-escaped (Config.VarEscapeMode = html). ?>
<?cs def:field_error(msg) ?><?cs if:msg ?><p class="field-error" role="alert"><?cs var:msg ?></p><?cs /if ?><?cs /def ?>
<?cs def:csrf_field() ?><input type="hidden" name="csrf" value="<?cs var:page.csrf ?>"><?cs /def ?>
<?cs def:check_form() ?>
<form method="post" action="/check" class="card check-form" novalidate>
  <?cs call:csrf_field() ?>
  <?cs if:form.errors.ticket ?><p class="field-error" role="alert">The ticket reference in this link is not valid: <?cs var:form.errors.ticket ?></p>
  <?cs elif:form.ticket ?><input type="hidden" name="ticket" value="<?cs var:form.ticket ?>"><?cs /if ?>
  <div class="field<?cs if:form.errors.bounce ?> has-error<?cs /if ?>">
    <label for="bounce">Paste the bounce message</label>
    <p class="hint" id="bounce-hint">The whole returned message is best (with its headers), but the few lines your mail program showed you are fine too.</p>
    <textarea id="bounce" name="bounce" rows="9" spellcheck="false" aria-describedby="bounce-hint"<?cs if:form.errors.bounce ?> aria-invalid="true" autofocus<?cs elif:form.error && !form.errors.ip ?> autofocus<?cs /if ?>><?cs var:form.bounce ?></textarea>
    <?cs call:field_error(form.errors.bounce) ?>
  </div>
  <p class="or"><span>or</span></p>
  <div class="field<?cs if:form.errors.ip ?> has-error<?cs /if ?>">
    <label for="ip">Check a mail server's IP address or name</label>
    <input id="ip" name="ip" type="text" inputmode="text" autocomplete="off" placeholder="e.g. 203.0.113.25 or mail.example.com" value="<?cs var:form.ip ?>"<?cs if:form.errors.ip ?> aria-invalid="true"<?cs if:!form.errors.bounce ?> autofocus<?cs /if ?><?cs /if ?>>
    <?cs call:field_error(form.errors.ip) ?>
  </div>
  <?cs call:field_error(form.error) ?>
  <button type="submit" class="button primary">Check now</button>
</form>
<?cs /def ?>
