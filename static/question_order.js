// Drag a question to its place in the builder's list; the new order is saved at once. The Move
// up and Move down buttons beside each question do the same without JavaScript (and with a
// keyboard), so dragging is only a shortcut.
(function () {
  "use strict";
  document.querySelectorAll(".question-list[data-order-url]").forEach(function (list) {
    var dragged = null;
    list.querySelectorAll(":scope > li").forEach(function (item) {
      item.draggable = true;
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.id);
      });
      item.addEventListener("dragend", function () { item.classList.remove("dragging"); dragged = null; });
      item.addEventListener("dragover", function (event) {
        if (!dragged || dragged === item) { return; }
        event.preventDefault();
        var box = item.getBoundingClientRect();
        var after = event.clientY > box.top + box.height / 2;
        list.insertBefore(dragged, after ? item.nextSibling : item);
      });
      item.addEventListener("drop", function (event) { event.preventDefault(); save(list); });
    });
  });

  function save(list) {
    var ids = Array.prototype.map.call(list.querySelectorAll(":scope > li"), function (item) {
      return item.id.replace("question-", "");
    });
    var body = new FormData();
    body.append("csrf_token", list.dataset.csrf);
    body.append("order", ids.join(","));
    fetch(list.dataset.orderUrl, {method: "POST", body: body, credentials: "same-origin"}).then(function (response) {
      // The buttons show their old neighbours until the page reloads: reload to keep them true.
      if (response.ok) { window.location.reload(); }
    }).catch(function () {});
  }
})();
