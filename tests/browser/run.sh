#!/usr/bin/env bash
# Browser tests of `clause serve` in headless Chromium. They stay out of the
# plain `cargo test` so that it passes on machines without a browser.
# Needs Debian's chromium (/usr/bin/chromium, or set CHROMIUM) and Node.js 20+.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cargo build --locked --quiet --manifest-path "$here/../../Cargo.toml"
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
node live_reload.mjs "$here/../../target/debug/clause"
