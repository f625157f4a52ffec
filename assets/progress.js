// The progress bar of a long job (an import): asks the page's JSON address every second and moves
// the bar and the words, without a reload. Without JavaScript the page refreshes itself instead
// (its <meta http-equiv="refresh">), so this only makes the same page smoother.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) { return; }
  var meta = document.querySelector("meta[http-equiv='refresh']");
  if (meta) { meta.parentNode.removeChild(meta); }
  var bar = box.querySelector("progress");
  var words = box.querySelector("[data-progress-words]");
  var errors = box.querySelector("[data-progress-errors]");
  function poll() {
    fetch(box.getAttribute("data-progress-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { window.setTimeout(poll, 3000); return; }
        if (p.finished) { window.location.reload(); return; }
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        words.textContent = p.words;
        errors.textContent = p.errors + (p.errors === 1 ? " error" : " errors") + " so far";
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
