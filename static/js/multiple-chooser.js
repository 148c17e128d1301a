// A many-to-many chooser over a long list (casebook/base/core/widgets.py, SearchableMultipleChooser):
// asks the server for matches as the editor types and adds a ticked box for the one picked.
(function () {
  "use strict";

  function setUp(widget) {
    if (widget.dataset.ready) return;
    widget.dataset.ready = "1";
    const input = widget.querySelector("[data-multiple-chooser-input]");
    const status = widget.querySelector("[data-multiple-chooser-status]");
    const results = widget.querySelector("[data-multiple-chooser-results]");
    const chosen = widget.querySelector("[data-multiple-chooser-chosen]");
    const empty = widget.querySelector("[data-multiple-chooser-empty]");
    let timer = null;
    let asked = 0;

    function boxes() {
      return Array.from(chosen.querySelectorAll("input[type=checkbox]"));
    }

    function chosenIds() {
      return boxes().filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    }

    function showEmpty() {
      empty.hidden = chosenIds().length > 0;
    }

    function add(item) {
      asked += 1; // a search still on its way no longer shows its results
      clearTimeout(timer);
      const unticked = boxes().filter(function (box) { return box.value === String(item.id); })[0];
      if (unticked) {
        unticked.checked = true;
      } else {
        const row = document.createElement("li");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = widget.dataset.name;
        box.value = item.id;
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + item.label));
        row.appendChild(label);
        chosen.appendChild(row);
      }
      showEmpty();
      results.replaceChildren();
      input.value = "";
      status.textContent = item.label + " を追加しました。";
      input.focus();
    }

    function show(items) {
      results.replaceChildren();
      const taken = chosenIds();
      items.forEach(function (item) {
        const row = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button button-small button-secondary";
        button.textContent = "追加: " + item.label;
        button.disabled = taken.indexOf(String(item.id)) !== -1;
        button.addEventListener("click", function () { add(item); });
        row.appendChild(button);
        results.appendChild(row);
      });
      status.textContent = items.length ? items.length + "件見つかりました。" : "該当する団体はありません。";
    }

    function search() {
      const text = input.value.trim();
      if (!text) {
        results.replaceChildren();
        status.textContent = "";
        return;
      }
      const ticket = ++asked;
      fetch(widget.dataset.searchUrl + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) { if (ticket === asked) show(data.results); })
        .catch(function () { if (ticket === asked) status.textContent = "検索できませんでした。もう一度お試しください。"; });
    }

    chosen.addEventListener("change", showEmpty);
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    // Enter searches at once and never submits the page form.
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        clearTimeout(timer);
        search();
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-multiple-chooser]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", setUpAll);
  setUpAll();
})();
