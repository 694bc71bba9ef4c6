// The workshop board: notes dragged between lanes (SortableJS), and polling that waits
// while the facilitator is in the middle of something. Every move is also a form in the
// note's "Edit" menu, so the board works by keyboard and without this file.
(function () {
  "use strict";
  var dragging = false;
  var saving = 0; // drops posted and not answered yet

  function busy(board) {
    if (dragging || saving) return true;
    if (board.querySelector(".note-tools:not(:empty)")) return true;
    var active = document.activeElement;
    return !!(active && board.contains(active) && active.matches("input, select, textarea"));
  }

  function isPoll(detail) {
    var board = detail.elt;
    return board && board.id === "board" && detail.requestConfig && detail.requestConfig.verb === "get";
  }

  // No poll starts while busy, and a poll already on its way when a drag began is not
  // swapped in: it would replace the lists under the dragged note and lose the drop.
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (isPoll(event.detail) && busy(event.detail.elt)) event.preventDefault();
  });
  // Nor is one older than the board on screen (a drop's answer came back first): it would
  // show the note back in its old lane until the next poll.
  function older(answer) {
    var board = document.getElementById("board");
    var version = /data-version="(\d+)"/.exec(answer || "");
    return !!(board && version && Number(version[1]) < Number(board.dataset.version));
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (isPoll(event.detail) && (dragging || saving || older(event.detail.serverResponse))) {
      event.detail.shouldSwap = false;
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

  function say(text, failed) {
    var status = document.getElementById("board-status");
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("failed", !!failed);
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function putBack(event) {
    var before = event.from.children[event.oldIndex] || null;
    event.from.insertBefore(event.item, before);
  }

  // A drop is posted at once; the board comes back fresh from the answer, and the status
  // line says it was saved. A refused or lost drop goes back where it came from, and says so.
  function dropped(event) {
    dragging = false;
    var note = event.item;
    if (!note.dataset.moveUrl || (event.from === event.to && event.oldIndex === event.newIndex)) return;
    var text = note.dataset.text || "The note";
    var lane = event.to.dataset.title || "the lane";
    var body = new URLSearchParams({ lane: event.to.dataset.lane || "", position: String(event.newIndex) });
    saving += 1;
    say("Saving…");
    fetch(note.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" }
    }).then(function (response) {
      return response.text().then(function (answer) {
        if (!response.ok) throw new Error(response.status === 400 || response.status === 409 ? answer : "");
        saving -= 1;
        htmx.swap("#board", answer, { swapStyle: "outerHTML" });
        say("Saved: “" + text + "” is in " + lane + ".");
      });
    }).catch(function (error) {
      saving = Math.max(0, saving - 1);
      putBack(event);
      say("Not saved: “" + text + "” is back where it was. " + (error.message || "The connection failed; try again."), true);
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
        onEnd: dropped
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
