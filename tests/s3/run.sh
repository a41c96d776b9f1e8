#!/usr/bin/env bash
# `clause deploy` against a real S3-protocol server: moto (from PyPI) in
# server mode on 127.0.0.1, driven by test_deploy.py, which reads objects and
# their headers back with boto3, a plain S3 client. Like the browser tests,
# it stays out of `cargo test`, which passes without it; .ci/run runs it.
# Needs Python 3 with venv and pip; installs moto and boto3 into a venv of
# its own (tests/s3/.venv, ignored by git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cargo build --locked --quiet --manifest-path "$here/../../Cargo.toml"
venv="$here/.venv"
if [ ! -x "$venv/bin/moto_server" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
fi
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$venv/bin/moto_server" -H 127.0.0.1 -p "$port" > "${TMPDIR:-/tmp}/clause-moto.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  if "$venv/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null; then
    break
  fi
  sleep 0.1
done
CLAUSE="$here/../../target/debug/clause" S3_ENDPOINT="http://127.0.0.1:$port" \
  "$venv/bin/python" "$here/test_deploy.py"
