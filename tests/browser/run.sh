#!/usr/bin/env bash
# Browser tests in headless Chromium. They stay out of the plain `cargo test`
# so that it passes on machines without a browser.
#   1. live_reload.mjs: `clause serve` reloads pages and shows build errors;
#      offline.mjs: the offline copy (`build --offline`) opened from file://.
#   2. theme.mjs: the default theme on the example site (axe-core, no
#      horizontal scroll at 390px, print and PDFs, table of contents, language
#      switcher); screenshots and PDFs go to tests/browser/screenshots/.
#   3. redlines.mjs: the redlines of the hard cases (tests/fixtures/redlines):
#      move notes, the clean view, a deleted footnote; screenshots.
#   4. The Nu HTML Checker (npm's vnu-jar, run with the machine's Java) over
#      every .html and .css file of the sites that theme.mjs and redlines.mjs
#      built.
#   5. redline_errors.mjs: the vendored policy repository
#      (tests/corpora/basecamp-policies) built and checked by vnu; no redline
#      has an HTML error that its two versions' pages do not have (the
#      authors' own invalid raw HTML is on both).
# Every suite runs even when an earlier one fails; the exit status is non-zero
# if any failed.
# Needs Debian's chromium (/usr/bin/chromium, or set CHROMIUM), Node.js 20+
# with npm, Java 17+, poppler-utils (pdftotext, pdfinfo) and CJK fonts
# (fonts-noto-cjk); .ci/run installs what is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cargo build --locked --quiet --manifest-path "$here/../../Cargo.toml"
clause="$here/../../target/debug/clause"
cd "$here"
# --ignore-scripts: vnu-jar's postinstall would try to download a Java runtime
# when it finds none; the machine's Java is used instead, and nothing else here
# has install scripts.
npm ci --no-audit --no-fund --loglevel=error --ignore-scripts

work="$(mktemp -d "${TMPDIR:-/tmp}/clause-browser-XXXXXX")"
trap 'rm -rf "$work"' EXIT
site="$work/site"
redlines="$work/redlines"
corpus="$work/corpus"

passed=0
failed=0
results=()
record() { # name, exit status, what a non-zero status means
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
    results+=("PASS $1")
  else
    failed=$((failed + 1))
    results+=("$3 $1 (exit $2)")
  fi
}

status=0
node live_reload.mjs "$clause" || status=$?
record live_reload "$status" FAIL

status=0
node offline.mjs "$clause" || status=$?
record offline "$status" FAIL

status=0
node theme.mjs "$clause" "$site" || status=$?
# theme.mjs: 1 for findings about the site, 2 for errors of the harness.
if [ "$status" -eq 2 ]; then
  record theme "$status" "ERROR (harness)"
else
  record theme "$status" FAIL
fi

status=0
node redlines.mjs "$clause" "$redlines" || status=$?
if [ "$status" -eq 2 ]; then
  record redlines "$status" "ERROR (harness)"
else
  record redlines "$status" FAIL
fi

# The Nu HTML Checker: --skip-non-html checks only .html files as HTML, and
# --also-check-css adds the .css files (feeds, sitemap, JSON and robots.txt
# are not HTML and are skipped).
status=0
if [ ! -f "$site/index.html" ]; then
  echo "ERROR: vnu: harness error: theme.mjs built no site in $site" >&2
  status=2
elif ! command -v java >/dev/null; then
  echo "ERROR: vnu: harness error: no java on PATH (Debian: default-jre-headless)" >&2
  status=2
else
  jar="$(node -p "String(require('vnu-jar'))")"
  [ -d "$redlines" ] || redlines=""
  html=$(find "$site" $redlines -type f -name '*.html' | wc -l)
  css=$(find "$site" $redlines -type f -name '*.css' | wc -l)
  java -jar "$jar" --errors-only --skip-non-html --also-check-css "$site" $redlines || status=$?
  # vnu exits 1 when it reports errors; anything else is the checker failing.
  if [ "$status" -eq 0 ]; then
    echo "PASS: vnu: 0 errors in $html HTML pages and $css stylesheets"
  elif [ "$status" -eq 1 ]; then
    echo "FAIL: vnu: the Nu HTML Checker reported errors (above) in $html HTML pages and $css stylesheets" >&2
  else
    echo "ERROR: vnu: harness error: the Nu HTML Checker exited with $status" >&2
    status=2
  fi
fi
if [ "$status" -eq 2 ]; then
  record vnu "$status" "ERROR (harness)"
else
  record vnu "$status" FAIL
fi

# The corpus: its authors' raw HTML has errors of its own (on the version
# pages too); a redline must add none.
status=0
if ! "$clause" --root "$here/../corpora/basecamp-policies" build --as-of 2026-12-01 --output "$corpus" >/dev/null 2>&1; then
  echo "ERROR: redline-errors: harness error: the corpus did not build" >&2
  status=2
elif ! command -v java >/dev/null; then
  status=2
else
  jar="$(node -p "String(require('vnu-jar'))")"
  java -jar "$jar" --format json --errors-only --skip-non-html "$corpus" 2> "$work/corpus-vnu.json" || true
  node redline_errors.mjs "$work/corpus-vnu.json" "$corpus" || status=$?
fi
if [ "$status" -eq 2 ]; then
  record redline-errors "$status" "ERROR (harness)"
else
  record redline-errors "$status" FAIL
fi

echo "browser test suites:"
printf '  %s\n' "${results[@]}"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
