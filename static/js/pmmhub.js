// Site-wide behaviour that must not be inline (the CSP forbids inline script).
// A form with data-confirm asks before it submits; without JavaScript it simply submits.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// A request the server refused outright (pmmhub.middleware) says why in an event; htmx swaps
// no 4xx answer, so the message goes where the page shows its messages.
document.addEventListener("pmmhub:refused", (event) => {
  const main = document.getElementById("content");
  let list = main.querySelector(":scope > ul.messages");
  if (!list) {
    list = document.createElement("ul");
    list.className = "messages";
    list.setAttribute("role", "status");
    main.prepend(list);
  }
  const item = document.createElement("li");
  item.className = "error";
  item.textContent = event.detail.message;
  list.replaceChildren(item);
});
