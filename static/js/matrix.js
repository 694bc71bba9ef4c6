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
  // The tab stop is remembered, not searched for: focusing a cell costs the same in a
  // matrix of 12 cells as of 12,000.
  var tabStop = null;

  function rove(button) {
    if (tabStop && tabStop !== button) tabStop.setAttribute("tabindex", "-1");
    button.setAttribute("tabindex", "0");
    tabStop = button;
  }

  function settleTabStops() {
    var fresh = document.querySelectorAll(CELLS + ":not([tabindex])");
    for (var i = 0; i < fresh.length; i++) fresh[i].setAttribute("tabindex", "-1");
    tabStop = document.querySelector(CELLS + '[tabindex="0"]');
    var first = document.querySelector(CELLS);
    if (first && !tabStop) rove(first);
  }

  // A row of cells: an activity's row, not the header or a group's title row.
  function cellRow(row) {
    return row.cells.length > 1 && row.cells[1].classList.contains("cell");
  }

  // The index in table.rows of the row `delta` rows of cells away, stopping at the first or
  // last one; it walks only the rows passed (group titles included), never the whole table.
  function rowAway(table, from, delta) {
    var step = delta > 0 ? 1 : -1;
    var left = Math.min(Math.abs(delta), table.rows.length);
    var found = from;
    for (var i = from + step; left > 0 && i >= 0 && i < table.rows.length; i += step) {
      if (cellRow(table.rows[i])) {
        found = i;
        left--;
      }
    }
    return found;
  }

  // Neighbours by row and column index: the activity's header is cell 0, the roles' cells
  // 1..n, the flags last.
  function moveFocus(button, delta) {
    var cell = button.parentElement;
    var row = cell.parentElement;
    var table = row.closest("table");
    var target = table.rows[rowAway(table, row.rowIndex, delta[0])];
    var lastColumn = target.cells.length - 2;
    var column = Math.max(1, Math.min(lastColumn, cell.cellIndex + delta[1]));
    var next = target.cells[column].querySelector("button");
    if (next) next.focus();
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
