// Narrows a long list of checkboxes to those whose name, reading, romaji or code contain what is typed.
// Ticked boxes always stay visible, so a choice is never hidden from the editor.
(function () {
  "use strict";

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase().trim();
  }

  function setUp(widget) {
    if (widget.dataset.ready) return;
    widget.dataset.ready = "1";
    const input = widget.querySelector("[data-searchable-checkboxes-input]");
    const status = widget.querySelector("[data-searchable-checkboxes-status]");
    const boxes = Array.from(widget.querySelectorAll("input[type=checkbox]"));

    function filter() {
      const words = normalise(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      boxes.forEach(function (box) {
        const haystack = box.dataset.search || normalise(box.parentElement.textContent);
        const match = box.checked || words.every(function (word) { return haystack.includes(word); });
        const row = box.closest("div") || box.parentElement;
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length ? shown + "件が該当（選択済みを含む）" : "";
    }

    input.addEventListener("input", filter);
    // Enter in the box must not submit the page form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault();
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-searchable-checkboxes]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", setUpAll);
  document.addEventListener("w-formset:added", setUpAll);
  setUpAll();
})();
