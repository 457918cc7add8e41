</main>
<footer class="footer">
  <div class="wrap">
    <p>Still stuck? <a href="<?cs var:url_validate(site.support_url) ?>">Contact <?cs var:site.company ?> support</a> and paste the link to your report into the ticket.</p>
    <p class="muted">Blacklist Help Desk <?cs var:site.version ?></p>
  </div>
</footer>
</body>
</html>
