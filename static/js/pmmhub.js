// Site-wide behaviour that must not be inline (the CSP forbids inline script).
// A form with data-confirm asks before it submits; without JavaScript it simply submits.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
