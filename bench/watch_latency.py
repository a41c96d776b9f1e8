#!/usr/bin/env python3
"""Time from a one-file edit to the rebuilt page on disk, under `clause watch`.

usage: bench/watch_latency.py [--clause PATH] [--edits N] [--poll] [--json]
                              SITE_DIR EDIT_FILE PAGE [PAGE...]

SITE_DIR   a site folder (it is copied to a temporary folder first)
EDIT_FILE  the content file to edit, relative to SITE_DIR
PAGE       output files that must show the edit, relative to the output
           folder: the version's page, and the redlines on both sides of it
           (the marker is inserted text in one and deleted text in the other)

Each round appends a unique marker sentence to EDIT_FILE (by writing a temp
file and renaming it over, as editors do), then polls every PAGE until the
marker is in all of them. Prints min, median, p90 and max in milliseconds
(with --json, one JSON object).

Example (from the repository root, after `cargo build --release`):
  python3 bench/corpus.py /tmp/bench1k --docs 100 --langs 2 --versions 5 --edit-rate 0.05
  python3 bench/watch_latency.py /tmp/bench1k content/policy-050/1.1.en.md \
      policy-050/versions/1.1/index.html policy-050/versions/1.1/changes/index.html \
      policy-050/versions/1.2/changes/index.html
  python3 bench/watch_latency.py . content/privacy/2026-05-12.en.md privacy/index.html
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def main() -> None:
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--clause", default=os.path.join(here, "..", "target", "release", "clause"))
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--poll", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("site")
    parser.add_argument("edit_file")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="clause-watch-bench-")
    site = os.path.join(work, "site")
    os.makedirs(site)
    for part in ("config.toml", "content", "static", "themes"):
        src = os.path.join(args.site, part)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(site, part))
        elif os.path.isfile(src):
            shutil.copy(src, os.path.join(site, part))
    out = os.path.join(work, "out")
    cmd = [args.clause, "--root", site, "watch", "--as-of", "2026-11-26", "--output", out]
    if args.poll:
        cmd.append("--poll")
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    try:
        # The first build (warnings may come first).
        while True:
            line = proc.stderr.readline()
            if not line:
                sys.exit("watch did not start")
            if "watching for changes" in line:
                break
            if line.startswith("error") or "Ctrl-C" in line and "built" not in line:
                sys.exit(f"watch did not start: {line}")
        if not args.json:
            print(line.strip())
        edit = os.path.join(site, args.edit_file)
        pages = [os.path.join(out, p) for p in args.pages]
        original = open(edit, encoding="utf-8").read()
        times = []
        for i in range(args.edits):
            marker = f"Benchmark marker {i} {time.time_ns()}."
            tmp = edit + ".tmp~"
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(original + f"\n{marker}\n")
            start = time.perf_counter()
            os.replace(tmp, edit)
            deadline = start + 60
            waiting = list(pages)
            while waiting:
                try:
                    with open(waiting[0], encoding="utf-8") as f:
                        if marker in f.read():
                            waiting.pop(0)
                            continue
                except FileNotFoundError:
                    pass
                if time.perf_counter() > deadline:
                    sys.exit(f"edit {i} did not reach {waiting[0]} within 60 s")
                time.sleep(0.001)
            times.append((time.perf_counter() - start) * 1000)
            # Let the watcher settle before the next edit.
            time.sleep(0.2)
        times.sort()
        p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
        if args.json:
            print(json.dumps({"edits": len(times), "min": times[0],
                              "median": statistics.median(times), "p90": p90,
                              "max": times[-1]}))
        else:
            print(
                f"edit -> {len(pages)} page(s) on disk over {len(times)} edits: min {times[0]:.0f} ms, "
                f"median {statistics.median(times):.0f} ms, p90 {p90:.0f} ms, max {times[-1]:.0f} ms"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
