#!/usr/bin/env python3
"""clause against Hugo on the same texts, side by side in one run.

usage: bench/compare.py [--sizes s,m,l] [--rates 1,0.05] [--runs 3]
                        [--work DIR] [--out DIR] [--quick] [--no-watch]
                        [--own-corpus]

For each size and edit rate: generates a clause site and a Hugo site of the
same texts (with the shared generator `../shared/bench/gen_corpus.py` when
it is beside the project, unless `--own-corpus`, else `bench/corpus.py`), then builds each into an
empty folder, alternating clause and Hugo, `--runs` times, and prints one
table of medians: sources, pages, wall time, CPU time, CPU/wall, peak
memory, and how many times faster clause is. clause builds with every
feature on (version pages, versions lists, redlines, feeds, sitemap,
documents.json); Hugo renders one page per source. A second clause build
into the same folder must write no file.

Then the redline scaling table (`examples/redline_scaling.rs`) and, for the
largest size, the time from a one-file edit under `clause watch` to the
version's page and the redlines on both sides of it on disk.

Sizes: s 5 documents x 2 languages x 10 versions (100 sources), m 20 x 5 x
10 (1,000), l 100 x 10 x 10 (10,000). `--quick`: one run, the scaling table
without its 200,000-word rows, no watch (the smoke test CI runs).

Before each timed build, every file of the site it builds is read once, so
both tools start from the page cache. Outputs go to `--out` (default:
/dev/shm when it exists). On this kind of
machine, creating files on the ext4 disk right after deleting as many
costs 2 to 5 times more system time from one run to the next, whichever
tool writes; a memory-backed folder measures the generators instead.
Hugo is Debian's `hugo`, installed with apt if missing.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py")
SIZES = {"s": (5, 2, 10), "m": (20, 5, 10), "l": (100, 10, 10)}
AS_OF = "2026-12-01"


def run(cmd, **kwargs):
    """Runs cmd; returns (wall seconds, CPU seconds, peak RSS in MiB, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kwargs)
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, err


def ensure_hugo():
    if shutil.which("hugo"):
        return
    print("installing Debian's hugo...", file=sys.stderr)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(sudo + ["apt-get", "update", "-q"], check=True, env=env)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-q", "hugo"], check=True, env=env)


def generate(work, size, rate, flavor, own):
    docs, langs, versions = SIZES[size]
    out = os.path.join(work, f"{size}-{rate}-{flavor}{'-own' if own else ''}")
    stamp = os.path.join(out, ".generated")
    if os.path.exists(stamp):
        return out
    if os.path.exists(SHARED) and not own:
        cmd = [sys.executable, SHARED, "--out", out, "--force"]
    else:
        cmd = [sys.executable, os.path.join(HERE, "corpus.py"), out]
    cmd += ["--docs", str(docs), "--langs", str(langs), "--versions", str(versions),
            "--edit-rate", str(rate), "--flavor", flavor]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    open(stamp, "w").close()
    return out


def warm(folder):
    """Reads every file under `folder` once, so a timed build starts with its
    sources in the page cache (this machine kind drops it at times: a cold
    read of the m sources costs about 90 ms more than a warm one)."""
    for base, _, files in os.walk(folder):
        for name in files:
            with open(os.path.join(base, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def count_pages(folder):
    return sum(1 for _, _, files in os.walk(folder) for f in files if f == "index.html")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="s,m,l")
    p.add_argument("--rates", default="1,0.05")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", default=os.path.join("/tmp", "clause-bench"))
    p.add_argument("--out", default="/dev/shm" if os.path.isdir("/dev/shm") else "/tmp")
    p.add_argument("--quick", action="store_true")
    p.add_argument("--no-watch", action="store_true")
    p.add_argument("--own-corpus", action="store_true")
    a = p.parse_args()
    own = a.own_corpus or not os.path.exists(SHARED)
    runs = 1 if a.quick else a.runs
    sizes = a.sizes.split(",")
    rates = [float(r) for r in a.rates.split(",")]

    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--example", "redline_scaling",
                    "--bin", "clause"], cwd=ROOT, check=True)
    clause = os.path.join(ROOT, "target", "release", "clause")
    ensure_hugo()
    hugo_version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout
    os.makedirs(a.work, exist_ok=True)
    out = os.path.join(a.out, f"clause-bench-{os.getpid()}")
    os.makedirs(out)
    print(f"clause: {clause}\nhugo: {hugo_version.split()[1] if hugo_version else '?'}")
    print(f"corpus: {'bench/corpus.py' if own else '../shared/bench/gen_corpus.py'}; "
          f"outputs under {a.out}; {os.cpu_count()} CPUs; medians of {runs} run(s)\n")

    rows = []
    try:
        for size in sizes:
            for rate in rates:
                plain = generate(a.work, size, rate, "plain", own)
                hugo_site = generate(a.work, size, rate, "hugo", own)
                docs, langs, versions = SIZES[size]
                c_out, h_out = os.path.join(out, "clause"), os.path.join(out, "hugo")
                c_runs, h_runs = [], []
                for _ in range(runs):
                    shutil.rmtree(c_out, ignore_errors=True)
                    warm(plain)
                    c_runs.append(run([clause, "--root", plain, "build", "--output", c_out,
                                       "--as-of", AS_OF]))
                    shutil.rmtree(h_out, ignore_errors=True)
                    warm(hugo_site)
                    h_runs.append(run(["hugo", "--source", hugo_site, "--quiet",
                                       "--destination", h_out]))
                pages = re.search(r"(\d+) pages\)", c_runs[-1][3])
                # A second build into the same folder must write nothing.
                again = run([clause, "--root", plain, "build", "--output", c_out, "--as-of", AS_OF])
                written = re.search(r"(\d+) files written", again[3])
                med = lambda rs, i: statistics.median(r[i] for r in rs)
                c = [med(c_runs, i) for i in range(3)]
                h = [med(h_runs, i) for i in range(3)]
                rows.append((size, rate, docs * langs * versions,
                             int(pages.group(1)) if pages else 0, count_pages(h_out),
                             c, h, int(written.group(1)) if written else -1, again[0]))
                shutil.rmtree(c_out, ignore_errors=True)
                shutil.rmtree(h_out, ignore_errors=True)
                print(f"  {size} at edit rate {rate}: clause {c[0]:.2f} s, Hugo {h[0]:.2f} s",
                      file=sys.stderr)
    finally:
        shutil.rmtree(out, ignore_errors=True)

    print("| size | edit rate | sources | tool | pages | wall s | CPU s | CPU/wall | peak MiB | Hugo/clause (wall) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for size, rate, sources, c_pages, h_pages, c, h, _, _ in rows:
        print(f"| {size} | {rate:g} | {sources:,} | clause | {c_pages:,} | {c[0]:.2f} | {c[1]:.2f} "
              f"| {c[1] / c[0]:.2f} | {c[2]:.0f} | **{h[0] / c[0]:.1f}x** |")
        print(f"| {size} | {rate:g} | {sources:,} | Hugo | {h_pages:,} | {h[0]:.2f} | {h[1]:.2f} "
              f"| {h[1] / h[0]:.2f} | {h[2]:.0f} | |")
    print()
    for size, rate, _, _, _, _, _, written, seconds in rows:
        print(f"rebuild with nothing changed, {size} at edit rate {rate:g}: "
              f"{written} files written in {seconds:.2f} s")
    failed = [r for r in rows if r[7] != 0]

    print("\nRedline scaling (one pair of documents, `examples/redline_scaling.rs`):\n")
    scaling = [os.path.join(ROOT, "target", "release", "examples", "redline_scaling")]
    if a.quick:
        scaling.append("--quick")
    subprocess.run(scaling, check=True)

    if not (a.quick or a.no_watch):
        size = sizes[-1]
        plain = generate(a.work, size, 0.05, "plain", own)
        doc = sorted(os.listdir(os.path.join(plain, "content")))[0]
        files = sorted(f for f in os.listdir(os.path.join(plain, "content", doc)) if f.endswith(".en.md"))
        version = lambda f: f[: -len(".en.md")]
        # A version in the middle, so that it has redlines on both sides.
        middle = sorted(files, key=lambda f: [int(x) for x in version(f).split(".")])[len(files) // 2]
        newer = sorted(files, key=lambda f: [int(x) for x in version(f).split(".")])[len(files) // 2 + 1]
        pages = [f"{doc}/versions/{version(middle)}/index.html",
                 f"{doc}/versions/{version(middle)}/changes/index.html",
                 f"{doc}/versions/{version(newer)}/changes/index.html"]
        print(f"\nWatch latency at {size} ({SIZES[size][0] * SIZES[size][1] * SIZES[size][2]:,} sources): "
              f"edit content/{doc}/{middle}, wait for {', '.join(pages)}:\n")
        subprocess.run([sys.executable, os.path.join(HERE, "watch_latency.py"), "--clause", clause,
                        "--edits", "20", plain, f"content/{doc}/{middle}"] + pages, check=True)
    if failed:
        sys.exit("a build with nothing changed wrote files")


if __name__ == "__main__":
    main()
