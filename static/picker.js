// Shows the filter box above each list of tick boxes and hides the names that do not match what
// is typed. Ticked names always stay in view, so nothing chosen disappears from sight.
(function () {
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll(".picker").forEach(function (picker) {
    var filter = picker.querySelector(".picker-filter");
    if (!filter) return;
    filter.hidden = false;
    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      picker.querySelectorAll(".checklist li").forEach(function (row) {
        var box = row.querySelector("input");
        row.hidden = wanted !== "" && !box.checked && fold(row.textContent).indexOf(wanted) === -1;
      });
    });
  });
})();
