// The printed footer's date (templates/base.html) is the day of printing, not of loading the page.
(function () {
  "use strict";
  window.addEventListener("beforeprint", function () {
    const now = new Date();
    document.querySelectorAll("[data-print-date]").forEach(function (element) {
      element.textContent = now.getFullYear() + "年" + (now.getMonth() + 1) + "月" + now.getDate() + "日";
    });
  });
})();
