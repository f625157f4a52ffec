#!/usr/bin/env bash
# Build the front-end assets into app/static/build/ (git-ignored).
#
#   bash scripts/build_assets.sh
#
# - installs the npm packages from package-lock.json (npm ci, no install
#   scripts) only when node_modules is missing or older than the lock file;
# - compiles assets/app.scss (NHS.UK frontend + the app's own styles) with
#   Sass into app/static/build/app.css, compressed;
# - copies NHS.UK frontend's ES module and its images/favicons/manifest;
# - writes init.js (starts the components) and supported.js (the body class
#   nhsuk's page template sets with an inline script);
# - copies swagger-ui-dist's bundle and stylesheet, with assets/swagger-init.js,
#   into swagger-ui/ for the API reference page;
# - refuses CSS that points at any other host, so the app never fetches
#   anything from outside at run time and works with `default-src 'self'`.
#
# Idempotent: every run rebuilds the folder from scratch in a temporary
# directory and swaps it in only when everything succeeded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

OUT="app/static/build"
TMP="app/static/.build-tmp.$$"
NHSUK="node_modules/nhsuk-frontend"
NHSUK_DIST="$NHSUK/dist/nhsuk"

fail() { echo "build_assets: $*" >&2; exit 1; }
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT

command -v node >/dev/null || fail "node is not installed (Node 20 or later is needed)"
command -v npm >/dev/null || fail "npm is not installed"

# 1. npm packages, only when needed. npm ci writes node_modules/.package-lock.json,
#    so its age tells whether the install is older than the lock file.
if [[ ! -d node_modules || ! -f node_modules/.package-lock.json \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "build_assets: npm ci"
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi
[[ -f "$NHSUK/package.json" ]] || fail "$NHSUK is missing after npm ci"

NHSUK_VERSION="$(node -p "require('./$NHSUK/package.json').version")"
case "$NHSUK_VERSION" in
  10.6.*) ;;
  *) fail "nhsuk-frontend $NHSUK_VERSION does not match nhsuk-frontend-jinja 0.10.2 (needs 10.6.x)" ;;
esac

rm -rf "$TMP"
mkdir -p "$TMP"

# 2. CSS.
node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map \
  --fatal-deprecation=import --quiet-deps \
  assets/app.scss "$TMP/app.css"
[[ -s "$TMP/app.css" ]] || fail "Sass wrote an empty app.css"

# Every url(...) must be a path on this site or a data: URI.
bad_urls="$(grep -oE 'url\([^)]*\)' "$TMP/app.css" \
  | grep -vE '^url\(["'"'"']?(/static/build/|data:)' || true)"
[[ -z "$bad_urls" ]] || fail "app.css refers to files outside /static/build/: $bad_urls"
if grep -qE '(https?:)?//[a-z0-9.-]+\.[a-z]{2,}' <(grep -oE 'url\([^)]*\)|@import[^;]*' "$TMP/app.css"); then
  fail "app.css refers to another host"
fi
if grep -q '@font-face' "$TMP/app.css"; then
  fail "app.css has an @font-face rule (the NHS web font would be fetched from outside)"
fi

# 3. JavaScript: NHS.UK frontend as one ES module exporting initAll.
cp "$NHSUK_DIST/nhsuk-frontend.min.js" "$TMP/nhsuk-frontend.min.js"
if [[ -f "$NHSUK_DIST/nhsuk-frontend.min.js.map" ]]; then
  cp "$NHSUK_DIST/nhsuk-frontend.min.js.map" "$TMP/nhsuk-frontend.min.js.map"
fi
grep -q 'initAll' "$TMP/nhsuk-frontend.min.js" || fail "nhsuk-frontend.min.js does not export initAll"
sed "s/__NHSUK_VERSION__/$NHSUK_VERSION/g" assets/init.mjs > "$TMP/init.js"
cp assets/supported.js "$TMP/supported.js"
cp assets/progress.js "$TMP/progress.js"   # the progress bars of long jobs (imports)

# 4. Images, favicons and the web app manifest.
cp -R "$NHSUK_DIST/assets" "$TMP/assets"
[[ -f "$TMP/assets/images/favicon.svg" ]] || fail "nhsuk assets were not copied"

# 5. Swagger UI for the API reference page (/api/docs): swagger-ui-dist's bundle and stylesheet,
#    started by our own external script (no inline script under the CSP). The package's install
#    script (a download counter) never runs: npm ci is called with --ignore-scripts.
SWAGGER="node_modules/swagger-ui-dist"
[[ -f "$SWAGGER/swagger-ui-bundle.js" ]] || fail "$SWAGGER is missing after npm ci"
mkdir -p "$TMP/swagger-ui"
cp "$SWAGGER/swagger-ui-bundle.js" "$SWAGGER/swagger-ui.css" "$SWAGGER/LICENSE" "$TMP/swagger-ui/"
cp assets/swagger-init.js "$TMP/swagger-ui/init.js"
if grep -qE 'url\((["'"'"']?)(https?:)?//' "$TMP/swagger-ui/swagger-ui.css"; then
  fail "swagger-ui.css refers to another host"
fi

# 6. Swap the new build in.
echo "nhsuk-frontend $NHSUK_VERSION" > "$TMP/VERSION"
rm -rf "$OUT"
mkdir -p "$(dirname "$OUT")"
mv "$TMP" "$OUT"
trap - EXIT

echo "build_assets: built $OUT (nhsuk-frontend $NHSUK_VERSION, app.css $(wc -c < "$OUT/app.css") bytes)"
