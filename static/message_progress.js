// Follow a message's delivery without reloading: ask the progress endpoint every few seconds
// and move the bar until every message is sent or failed. Without scripts, a reload shows it.
(function () {
  var box = document.getElementById("message-progress");
  if (!box || !window.fetch) return;
  var bar = box.querySelector("progress");
  var count = box.querySelector(".progress-count");
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        bar.max = data.total;
        bar.value = data.sent;
        // The words come from the server, in the reader's language.
        count.textContent = data.label;
        if (!data.done) window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
