// Fills the web address from the title while the organizer has not typed one of their own.
// The server does the same for an empty address, so this only shows it early.
(function () {
  var title = document.getElementById("title"), slug = document.getElementById("slug");
  if (!title || !slug) return;
  var own = slug.value !== "";
  function fromTitle(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80).replace(/-+$/, "");
  }
  slug.addEventListener("input", function () { own = slug.value !== ""; });
  title.addEventListener("input", function () { if (!own) slug.value = fromTitle(title.value); });
})();
