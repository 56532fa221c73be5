/* Every page (base.html), progressive enhancement only: the page works without it.
   1. Lists on a phone: each data table gets its column names on its cells (data-label), so the
      stylesheet can show every row as a card below 760 px instead of a table one character wide.
      A table opts out with class "no-cards" (matrices such as the monthly figures).
   2. A district list follows the chosen city: a <select data-follows="ID"> shows only the options
      whose data-region equals the value of the select with that id.
   3. The top bar's groups (<details>) open one at a time. */
(function () {
  "use strict";
  var DATE = /^\d{4}-\d{2}-\d{2}/;

  function labelTable(table) {
    var head = table.tHead;
    if (!head || !head.rows.length || table.classList.contains("no-cards")) { return; }
    var names = Array.prototype.map.call(head.rows[0].cells, function (th) { return th.textContent.trim(); });
    if (names.length < 3) { return; }
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var name = names[col] || "";
          if (name && !cell.hasAttribute("data-label") && cell.colSpan === 1) { cell.setAttribute("data-label", name); }
          if (!cell.classList.contains("long-text") && DATE.test(cell.textContent.trim())) { cell.classList.add("date"); }
          col += cell.colSpan;
        });
      });
    });
    table.classList.add("as-cards");
  }

  function follow(select) {
    var leader = document.getElementById(select.getAttribute("data-follows"));
    if (!leader) { return; }
    var all = Array.prototype.slice.call(select.options);
    function apply() {
      var region = leader.value;
      all.forEach(function (option) {
        var own = option.getAttribute("data-region");
        var show = !own || !region || own === region;
        option.hidden = !show;
        option.disabled = !show;
      });
      var chosen = select.options[select.selectedIndex];
      if (chosen && chosen.disabled) { select.value = ""; }
    }
    leader.addEventListener("change", apply);
    apply();
  }

  /* 3. The top bar's groups: one open at a time; Escape or a click elsewhere closes it. */
  var groups = Array.prototype.slice.call(document.querySelectorAll(".mainnav details"));
  function closeOthers(keep) { groups.forEach(function (d) { if (d !== keep) { d.open = false; } }); }
  groups.forEach(function (d) { d.addEventListener("toggle", function () { if (d.open) { closeOthers(d); } }); });
  document.addEventListener("click", function (event) {
    if (!event.target.closest || !event.target.closest(".mainnav details")) { closeOthers(null); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var open = groups.filter(function (d) { return d.open; })[0];
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });

  Array.prototype.forEach.call(document.querySelectorAll("main table.data"), labelTable);
  Array.prototype.forEach.call(document.querySelectorAll("select[data-follows]"), follow);
}());
