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

/* The report's provider choice is remembered in this browser (never on
 * the server): the select starts at the last provider chosen here. */
(function () {
  'use strict';
  var KEY = 'blhd.isp';
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-remember-isp]').forEach(function (form) {
      var select = form.querySelector('select[name="isp"]');
      if (!select) return;
      var stored = null;
      try { stored = window.localStorage.getItem(KEY); } catch (e) { return; }
      if (!select.value && stored && select.querySelector('option[value="' + CSS.escape(stored) + '"]')) {
        select.value = stored;
      }
      form.addEventListener('submit', function () {
        try {
          if (select.value) window.localStorage.setItem(KEY, select.value);
          else window.localStorage.removeItem(KEY);
        } catch (e) { /* storage refused: the choice still works for this page */ }
      });
    });
  });
})();

/* A report still being made reloads itself until it is there. Without
 * JavaScript a <noscript> meta refresh does the same; with it, the timer
 * here does, so that no delayed meta refresh reaches the page (WCAG
 * 2.2.1; a reader can still use the "Reload now" link at any time). */
(function () {
  'use strict';
  if (!document.querySelector('meta[name="blhd-pending"]')) return;
  setTimeout(function () { window.location.reload(); }, 1000);
})();
