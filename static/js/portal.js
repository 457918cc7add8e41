/* Progressive enhancement only: every page works without this file. */
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-copy-target]').forEach(function (btn) {
      var input = document.getElementById(btn.getAttribute('data-copy-target'));
      if (!input) return;
      btn.hidden = false;
      btn.addEventListener('click', function () {
        var done = function () {
          btn.textContent = 'Copied';
          setTimeout(function () { btn.textContent = 'Copy link'; }, 2000);
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(input.value).then(done, function () {
            input.select(); document.execCommand('copy'); done();
          });
        } else {
          input.select(); document.execCommand('copy'); done();
        }
      });
    });
  });
})();
