// The workshop board: notes dragged between lanes (SortableJS), and polling that waits
// while the facilitator is in the middle of something. Every move is also a form in the
// note's "Edit" menu, so the board works by keyboard and without this file.
(function () {
  "use strict";
  var dragging = false;

  function busy(board) {
    if (dragging) return true;
    if (board.querySelector(".note-tools:not(:empty)")) return true;
    var active = document.activeElement;
    return !!(active && board.contains(active) && active.matches("input, select, textarea"));
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var board = event.detail.elt;
    if (board && board.id === "board" && event.detail.requestConfig.verb === "get" && busy(board)) {
      event.preventDefault();
    }
  });

  // "Edit" opens a note's tools in place; clicking it again closes them (and polling resumes).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".note-actions a");
    if (!link) return;
    var tools = document.getElementById(link.getAttribute("hx-target").slice(1));
    if (tools && tools.children.length) {
      event.preventDefault();
      event.stopImmediatePropagation();
      tools.replaceChildren();
    }
  }, true);

  function moved(event) {
    dragging = false;
    var note = event.item;
    if (!note.dataset.url) return;
    htmx.ajax("POST", note.dataset.url, {
      source: note,
      target: "#board",
      swap: "outerHTML",
      values: { action: "move", lane: event.to.dataset.lane || "", position: String(event.newIndex) }
    });
  }

  function enable(root) {
    root.querySelectorAll("ol.notes").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      Sortable.create(list, {
        group: "notes",
        animation: 120,
        filter: ".empty-lane, .note-tools, .note-actions, input, select, button",
        preventOnFilter: false,
        onStart: function () { dragging = true; },
        onEnd: moved
      });
    });
  }

  htmx.onLoad(function (element) {
    if (window.Sortable) enable(element.id === "board" ? element : document);
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (window.Sortable) enable(document);
  });
})();
