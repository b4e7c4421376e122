// Polls the status of an upload being checked in the background and shows its progress;
// reloads the page when the check is done so that the preview appears.
(function () {
  "use strict";
  var box = document.getElementById("upload-progress");
  if (!box) { return; }
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  function show(percent) {
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    holder.setAttribute("aria-valuenow", String(percent));
  }
  show(parseInt(bar.getAttribute("data-progress"), 10) || 0);
  function poll() {
    fetch(box.getAttribute("data-status-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        show(status.progress);
        if (status.state === "checking") { window.setTimeout(poll, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
