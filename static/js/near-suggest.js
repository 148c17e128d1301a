// Suggests local governments as one types, for 「自分の自治体から探す」 (templates/cases/includes/near_form.html)
// and the organization of 「事例を投稿」 (an element with data-suggest-url around an input[data-suggest-input]
// and a datalist). The forms work without this: the server resolves the typed text.
(function () {
  "use strict";

  function setUp(form) {
    const url = form.dataset.suggestUrl;
    const input = form.querySelector("input[name=municipality], input[data-suggest-input]");
    const list = form.querySelector("datalist");
    if (!url || !input || !list) return;
    let timer = null;
    let asked = 0;

    function show(results) {
      list.replaceChildren.apply(
        list,
        results.map(function (item) {
          const option = document.createElement("option");
          option.value = item.name;
          option.label = item.kind + "・" + item.code;
          return option;
        })
      );
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      const text = input.value.trim();
      if (!text) {
        show([]);
        return;
      }
      timer = setTimeout(function () {
        const mine = ++asked;
        fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (mine === asked) show(data.results || []); })
          .catch(function () { /* no suggestions; the form still works */ });
      }, 150);
    });
  }

  document.querySelectorAll("[data-near-form], [data-municipality-suggest]").forEach(setUp);
})();
