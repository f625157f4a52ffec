// Starts NHS.UK frontend's components (header menu, error summary focus,
// character counts, conditional radios...). Loaded as
// <script type="module" src="/static/build/init.js">: no inline script, so
// the Content-Security-Policy can keep script-src 'self' without 'unsafe-inline'.
// scripts/build_assets.sh copies this file to app/static/build/init.js and
// puts the nhsuk-frontend version in the import (a cache-busting query).
import { initAll } from "./nhsuk-frontend.min.js?v=__NHSUK_VERSION__";

initAll();
