// Starts NHS.UK frontend's components (header menu, error summary focus,
// character counts, conditional radios...). Loaded as
// <script type="module" src="/static/build/init.js">: no inline script, so
// the Content-Security-Policy can keep script-src 'self' without 'unsafe-inline'.
// scripts/build_assets.sh copies this file to app/static/build/init.js and
// puts the nhsuk-frontend version in the import (a cache-busting query).
import { initAll } from "./nhsuk-frontend.min.js?v=__NHSUK_VERSION__";

initAll();

// Long work (checking or importing a large file): while the server works, say so in the form's
// status region (role="status", read out by screen readers) and keep a second press from sending
// the form again. Forms opt in with data-app-busy="<what to say>". Coming back to the page with
// the browser's Back button starts afresh.
for (const form of document.querySelectorAll("form[data-app-busy]")) {
  const status = form.querySelector("[data-app-busy-status]");
  const buttons = form.querySelectorAll("button");
  const setBusy = (busy) => {
    form.toggleAttribute("data-app-busy-sent", busy);
    if (status) {
      status.textContent = busy ? form.dataset.appBusy : "";
    }
    for (const button of buttons) {
      if (busy) {
        button.setAttribute("aria-disabled", "true");
      } else {
        button.removeAttribute("aria-disabled");
      }
    }
  };
  form.addEventListener("submit", (event) => {
    if (form.hasAttribute("data-app-busy-sent")) {
      event.preventDefault();
      return;
    }
    setBusy(true);
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      setBusy(false);
    }
  });
}

// A check done a step a request (the audit chain): where JavaScript runs, take each next step in the
// background, show the progress in the status region and the progress bar, then open the result.
// Without JavaScript (or if a step fails) the person follows the "Continue checking" link.
for (const steps of document.querySelectorAll("[data-app-steps]")) {
  const next = steps.querySelector("a[data-app-next]");
  const status = steps.querySelector("[role='status']");
  const bar = steps.querySelector("progress");
  const say = (n) => n.toLocaleString("en-GB");
  const step = async (href) => {
    const url = new URL(href, window.location.href);
    url.searchParams.set("format", "json");
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!response.ok) {
      window.location.assign(href);
      return;
    }
    const walk = await response.json();
    if (walk.done) {
      window.location.assign(walk.next);
      return;
    }
    next.href = walk.next;
    if (bar) {
      bar.max = walk.total;
      bar.value = walk.checked;
      bar.textContent = `${walk.percent}%`;
    }
    if (status) {
      status.textContent = `Checked ${say(walk.checked)} of ${say(walk.total)} entries (${walk.percent}%).`;
    }
    await step(walk.next);
  };
  if (next) {
    step(next.href).catch(() => {});
  }
}
