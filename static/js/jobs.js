/* Job page: poll the job's JSON status and move the progress bar without reloading; when the job
   finishes, reload once so the page shows the result (download link, preview or error). */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status-url]");
  if (!box || box.getAttribute("data-finished") === "1") { return; }
  var url = box.getAttribute("data-job-status-url");
  var bar = box.querySelector(".job-bar span");
  var text = box.querySelector(".job-progress-text");
  var label = box.querySelector(".job-status-label");
  var delay = 1000;

  function render(state) {
    if (bar) { bar.style.width = state.percent + "%"; }
    if (label) { label.textContent = state.status_label; }
    if (text) {
      text.textContent = state.total ? (state.done + " / " + state.total + "（" + state.percent + "%）") : (state.done ? state.done + " 行" : "");
    }
  }

  function poll() {
    var request = new XMLHttpRequest();
    request.open("GET", url, true);
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { delay = Math.min(delay * 2, 15000); window.setTimeout(poll, delay); return; }
      var state = JSON.parse(request.responseText);
      render(state);
      if (state.finished) { window.location.reload(); return; }
      delay = 1000;
      window.setTimeout(poll, delay);
    };
    request.onerror = function () { delay = Math.min(delay * 2, 15000); window.setTimeout(poll, delay); };
    request.send();
  }

  window.setTimeout(poll, delay);
})();
