// Tell the server the invitation page was opened by a person's browser (a GET never writes;
// mail gateways that fetch links to scan them run no scripts, so they do not count).
(function () {
  var form = document.getElementById("invitation-seen");
  if (!form || !window.fetch) return;
  fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin"}).catch(function () {});
})();
