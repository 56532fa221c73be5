/* The public post list (templates/positions/list.html), progressive enhancement only: when the page
   was served without its total, ask the list's own count endpoint (same origin, the same filters)
   and put its text into the aria-live region, in place of the link 「统计总数」 that counts without
   JavaScript. A failed request leaves the link. */
(function () {
  "use strict";
  var total = document.getElementById("post-total");
  var url = total && total.getAttribute("data-count-url");
  if (!url || !window.fetch) { return; }
  total.setAttribute("aria-busy", "true");
  fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data && typeof data.text === "string") { total.textContent = data.text; }
    })
    .catch(function () { /* keep the link */ })
    .then(function () { total.removeAttribute("aria-busy"); });
})();
