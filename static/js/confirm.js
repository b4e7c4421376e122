// Irreversible actions ask before they are taken. A form (or its submit button) carrying
// data-confirm="…" is sent only once the user has confirmed the consequence it names, which the
// page also shows beside the button (templates/includes/irreversible.html). A static file, no
// inline script: the Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
