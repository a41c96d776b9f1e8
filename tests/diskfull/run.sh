#!/bin/sh
# A disk that fills up in the middle of a build leaves the output exactly as
# it was, with no temporary file left behind, and the next build (with room)
# goes through. Builds the example site into a small tmpfs, fills the tmpfs
# to leave a little room at several sizes, and changes every page (the
# site's title) so that each build runs out of space at another point.
#
# Needs root to mount the tmpfs (CI runs as root); elsewhere it says it was
# skipped. Usage: tests/diskfull/run.sh [path/to/clause]
set -eu
cd "$(dirname "$0")/../.."
if [ "$(id -u)" != 0 ]; then
    echo "diskfull: SKIPPED (needs root to mount a tmpfs)"
    exit 0
fi
bin=${1:-target/release/clause}
[ -x "$bin" ] || cargo build --locked --release
work=$(mktemp -d)
mnt="$work/mnt"
mkdir "$mnt"
if ! mount -t tmpfs -o size=8m tmpfs "$mnt" 2>"$work/mount.err"; then
    echo "diskfull: SKIPPED (this machine does not let root mount a tmpfs: $(cat "$work/mount.err"))"
    rm -rf "$work"
    exit 0
fi
trap 'umount "$mnt"; rm -rf "$work"' EXIT
mkdir "$work/site"
cp -r config.toml content themes clause.lock "$work/site/"
[ -d static ] && cp -r static "$work/site/"
site="$work/site"
out="$mnt/dist"

"$bin" --root "$site" build --as-of 2026-12-01 --output "$out" >/dev/null 2>&1
cp -a "$out" "$work/before"
pages=$(find "$out" -type f | wc -l)
size=$(du -sk "$out" | cut -f1)
echo "diskfull: the example site built into an 8 MiB tmpfs ($pages files, $size KiB)"

fails=0
n=0
# Room for none, a few, about half and most of the pages the next build
# writes (all but the theme's files change with the title).
for percent in 0 5 25 50 75; do
    room=$((size * percent / 100))
    n=$((n + 1))
    sed -i "s/^title = .*/title = \"Legal Center $n\"/" "$site/config.toml"
    avail=$(df -k --output=avail "$mnt" | tail -1)
    fill=$((avail - room))
    dd if=/dev/zero of="$mnt/filler" bs=1024 count="$fill" 2>/dev/null || true
    if "$bin" --root "$site" build --as-of 2026-12-01 --output "$out" >"$work/out" 2>"$work/err"; then
        echo "diskfull: FAIL: the build with ${room} KiB free succeeded"
        fails=$((fails + 1))
    elif ! grep -q "No space left on device.*the output folder was left as it was" "$work/err"; then
        echo "diskfull: FAIL: with ${room} KiB free the error does not say the disk is full:"
        cat "$work/err"
        fails=$((fails + 1))
    elif ! diff -r "$work/before" "$out" >/dev/null; then
        echo "diskfull: FAIL: with ${room} KiB free the output changed:"
        diff -r "$work/before" "$out" | head -5
        fails=$((fails + 1))
    elif find "$out" -name '*.clause-tmp' -o -name '*.clause-old' | grep -q .; then
        echo "diskfull: FAIL: with ${room} KiB free temporary files were left"
        fails=$((fails + 1))
    else
        echo "diskfull: ok: ${room} KiB free: refused ($(grep -c 'error' "$work/err") error line), output unchanged"
    fi
    rm -f "$mnt/filler"
done

"$bin" --root "$site" build --as-of 2026-12-01 --output "$out" >/dev/null 2>&1
if ! grep -q "Legal Center $n" "$out/index.html"; then
    echo "diskfull: FAIL: the build with room did not go through"
    fails=$((fails + 1))
fi
if [ "$fails" -ne 0 ]; then
    echo "diskfull: $fails FAILED"
    exit 1
fi
echo "diskfull: PASS"
