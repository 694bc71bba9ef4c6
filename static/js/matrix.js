// Keyboard use of the RACI matrix: arrow keys move between cells, letters set a cell.
// Clicking (or Enter / Space) submits the cell's button, which steps through the cycle on
// the server; without this file the matrix still works by clicking.
(function () {
  "use strict";
  var KEYS = { r: "R", a: "A", b: "A/R", c: "C", i: "I", Delete: "", Backspace: "", "0": "" };
  var MOVES = {
    ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1],
    Home: [0, -Infinity], End: [0, Infinity], PageUp: [-10, 0], PageDown: [10, 0],
  };
  var pending = null; // the cell whose update is on its way: { id, button }
  var CELLS = "td.cell button";

  // The matrix is one tab stop (the cell last focused, at first the first one): Tab gets
  // past 3,600 cells in one press and arrows move inside. Without this file every cell is a
  // tab stop. Cells the server swaps in arrive without a tabindex and are given one here.
  function rove(button) {
    var current = document.querySelector(CELLS + '[tabindex="0"]');
    if (current && current !== button) current.setAttribute("tabindex", "-1");
    button.setAttribute("tabindex", "0");
  }

  function settleTabStops() {
    var fresh = document.querySelectorAll(CELLS + ":not([tabindex])");
    for (var i = 0; i < fresh.length; i++) fresh[i].setAttribute("tabindex", "-1");
    var first = document.querySelector(CELLS);
    if (first && !document.querySelector(CELLS + '[tabindex="0"]')) first.setAttribute("tabindex", "0");
  }

  function cellButtons(table) {
    return Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (row) {
      return Array.prototype.slice.call(row.querySelectorAll(CELLS));
    }).filter(function (buttons) { return buttons.length; });
  }

  function moveFocus(button, delta) {
    var grid = cellButtons(button.closest("table"));
    for (var r = 0; r < grid.length; r++) {
      var c = grid[r].indexOf(button);
      if (c === -1) continue;
      var row = grid[Math.max(0, Math.min(grid.length - 1, r + delta[0]))];
      var target = row[Math.max(0, Math.min(row.length - 1, c + delta[1]))];
      if (target) target.focus();
      return;
    }
  }

  // The cell buttons sit outside their form (form="cell-form"); htmx does not send such a
  // submitter's value, so the value travels in a hidden field added here.
  function send(button, value) {
    var form = button.form;
    var field = form.querySelector("input[name=cell]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "cell";
      form.appendChild(field);
    }
    field.value = value;
    pending = { id: button.parentElement.id, button: button };
    form.requestSubmit();
  }

  function setCell(button, letters) {
    var parts = button.value.split(":");
    send(button, parts[0] + ":" + parts[1] + ":" + letters + ":" + button.dataset.held);
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target;
    if (!(button instanceof HTMLButtonElement) || !button.closest("td.cell")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (MOVES[event.key]) {
      event.preventDefault();
      moveFocus(button, MOVES[event.key]);
    } else if (Object.prototype.hasOwnProperty.call(KEYS, event.key.length === 1 ? event.key.toLowerCase() : event.key)) {
      event.preventDefault();
      setCell(button, KEYS[event.key.length === 1 ? event.key.toLowerCase() : event.key]);
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(CELLS)) rove(event.target);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(CELLS);
    if (!button || !button.form) return;
    event.preventDefault();
    send(button, button.value);
  });

  // A refused edit (409: someone changed the cell meanwhile; 400: not a letter) answers
  // with the cell as it is now and the reason: htmx drops 4xx answers unless told.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (event.detail.elt.id === "cell-form" && (status === 409 || status === 400)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt.id !== "cell-form" || event.detail.successful) return;
    pending = null;
    var status = document.getElementById("matrix-status");
    if (status) {
      status.innerHTML = '<p class="alert"></p>';
      status.firstChild.textContent = "The cell was not saved. Reload the page and try again.";
    }
  });

  // The server swaps the edited cell in; give keyboard focus back to it unless the user has
  // moved on. Other swaps (the summary refreshing) settle too, possibly first: wait for the
  // one that replaced the edited cell, then forget it.
  document.addEventListener("htmx:afterSettle", function () {
    settleTabStops();
    if (!pending) return;
    var button = document.querySelector("#" + CSS.escape(pending.id) + " button");
    if (!button || button === pending.button) return;
    var active = document.activeElement;
    var stayed = !active || active === document.body || active === pending.button;
    pending = null;
    if (stayed) button.focus();
  });
  settleTabStops();
})();
