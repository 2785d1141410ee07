// Autosave of Markdown editors (notes and memo) in this browser's localStorage, so a closed tab,
// a crash or an expired session loses nothing. The copy is cleared after a successful save
// (the server marks the page it redirects to with data-autosave-clear="true").
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { return; }

  function setup(form) {
    var key = form.getAttribute("data-autosave-key");
    var textarea = form.querySelector("textarea");
    var status = form.querySelector(".autosave-status");
    var base = form.querySelector("input[name=base_number]");
    if (!key || !textarea) { return; }

    if (form.getAttribute("data-autosave-clear") === "true") { store.removeItem(key); }

    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || "null"); } catch (e) { kept = null; }
    if (kept && typeof kept.text === "string" && kept.text !== textarea.value) {
      offerRestore(form, textarea, key, kept);
    }

    var timer = null;
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        try {
          store.setItem(key, JSON.stringify({
            text: textarea.value, base: base ? base.value : "", savedAt: new Date().toISOString()
          }));
          if (status) { status.textContent = form.getAttribute("data-msg-saved-locally") || ""; }
        } catch (e) { /* storage full or disabled: the server copy still exists */ }
      }, 600);
    });
  }

  function offerRestore(form, textarea, key, kept) {
    var box = document.createElement("div");
    box.className = "notice autosave-offer";
    box.setAttribute("role", "status");
    var when = kept.savedAt ? new Date(kept.savedAt).toLocaleString() : "?";
    var p = document.createElement("p");
    p.textContent = (form.getAttribute("data-msg-found") || "").replace("{when}", when);
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button small";
    restore.textContent = form.getAttribute("data-msg-restore");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button small";
    discard.textContent = form.getAttribute("data-msg-discard");
    restore.addEventListener("click", function () {
      textarea.value = kept.text;
      // Save against the revision the kept text was written on: if someone saved since, the
      // server answers with the conflict page instead of overwriting their work.
      var base = form.querySelector("input[name=base_number]");
      if (base && typeof kept.base === "string") { base.value = kept.base; }
      textarea.focus();
      box.remove();
    });
    discard.addEventListener("click", function () {
      store.removeItem(key);
      box.remove();
    });
    box.appendChild(p);
    box.appendChild(restore);
    box.appendChild(document.createTextNode(" "));
    box.appendChild(discard);
    form.insertBefore(box, form.firstChild);
  }

  document.querySelectorAll("form[data-autosave-key]").forEach(setup);
})();
