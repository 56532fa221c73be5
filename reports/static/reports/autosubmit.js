// Submit a filter form as soon as one of its selects changes (no inline handlers: the CSP allows
// scripts from 'self' only). The form keeps a visible button for keyboards and for no-JS.
document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
  select.addEventListener("change", function () { select.form.submit(); });
});
