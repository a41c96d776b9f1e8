#!/usr/bin/env python3
"""Pathological inputs at three sizes: does clause's cost stay linear?

usage: bench/hostile.py [--clause PATH] [--scale F] [--only NAME,...]

For each shape below, writes a two-version site whose one document has
the shape at size n, 2n and 4n, builds it (`clause build` into an empty
folder, so the redline between the versions is made too), and prints the
wall time and peak memory per size, with the time per unit relative to
the smallest size (near 1 when linear, near 2 and 4 when quadratic).

Shapes (each found by a hostile probe; see issue 17):
  paragraph     one paragraph of n words, rewritten in the second version
  emphasis      n nested emphasis runs (`*a **b *c ...`)
  reflinks      n reference links on one line, with their definitions
  table         a table of n columns (two rows)
  broken        n broken links (each reported with its line and column)
  footnotes     n footnotes
  headings      n headings with the same text (anchors `x`, `x-1`, ...)
  big           a file of n KiB of ordinary paragraphs, edited by 5%

`--scale` multiplies every n (0.1 for a quick run). Exit code 1 if any
build fails in a way other than the expected broken-link errors.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CONFIG = 'base_url = "https://example.com"\ndefault_language = "en"\n\n[languages.en]\nname = "English"\n'


def header(version, date):
    return f'---\ntitle: T\neffective_date: {date}\nversion: "{version}"\nlanguage: en\n---\n\n'


def words(rng, n):
    vocab = ["data", "we", "you", "the", "service", "may", "process", "lawful", "basis",
             "retain", "delete", "request", "party", "notice", "consent", "processor"]
    return " ".join(rng.choice(vocab) for _ in range(n))


def shape(name, n, rng):
    """Returns (old body, new body, units) for a shape at size n."""
    if name == "paragraph":
        return words(rng, n) + "\n", words(rng, n) + "\n", n
    if name == "emphasis":
        body = "".join(f"*a{i} **b " for i in range(n)) + "end" + "** c*" * n + "\n"
        return body, body.replace("end", "fin"), n
    if name == "reflinks":
        line = " ".join(f"[l{i}][r{i}]" for i in range(n)) + "\n\n"
        defs = "".join(f"[r{i}]: https://example.com/{i}\n" for i in range(n))
        return line + defs, line.replace("[l0]", "[first]") + defs, n
    if name == "table":
        head = "| " + " | ".join(f"h{i}" for i in range(n)) + " |\n"
        rule = "|" + "---|" * n + "\n"
        row = "| " + " | ".join(f"c{i}" for i in range(n)) + " |\n"
        return head + rule + row, head + rule + row.replace("c1 ", "changed "), n
    if name == "broken":
        body = "".join(f"[x{i}](/nowhere-{i}/) " for i in range(n)) + "\n"
        return body, body, n
    if name == "footnotes":
        refs = " ".join(f"text[^{i}]" for i in range(n)) + "\n\n"
        notes = "".join(f"[^{i}]: note {i}\n" for i in range(n))
        return refs + notes, refs.replace("text[^0]", "new[^0]") + notes, n
    if name == "headings":
        body = "".join(f"## Same\n\npara {i}\n\n" for i in range(n))
        return body, body.replace("para 0", "para zero"), n
    if name == "big":
        paras = [words(rng, 60) for _ in range(max(1, n * 1024 // 400))]
        new = [p if rng.random() > 0.05 else words(rng, 60) for p in paras]
        return "\n\n".join(paras) + "\n", "\n\n".join(new) + "\n", n
    raise SystemExit(f"unknown shape {name}")


SIZES = {"paragraph": 50_000, "emphasis": 20_000, "reflinks": 25_000, "table": 2_000,
         "broken": 8_000, "footnotes": 20_000, "headings": 10_000, "big": 4_096}


def build(clause, site):
    out = os.path.join(site, "dist")
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen([clause, "--root", site, "build", "--as-of", "2026-01-01"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), err


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clause", default=os.path.join(ROOT, "target", "release", "clause"))
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    names = [s for s in args.only.split(",") if s] or list(SIZES)
    failed = False
    print("| shape | n | wall s | peak MiB | time per unit vs smallest |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            base = None
            for factor in (1, 2, 4):
                n = max(1, int(SIZES[name] * args.scale * factor))
                rng = random.Random(n)
                old, new, units = shape(name, n, rng)
                site = os.path.join(work, f"{name}-{n}")
                os.makedirs(os.path.join(site, "content", "doc"))
                with open(os.path.join(site, "config.toml"), "w") as f:
                    f.write(CONFIG)
                for version, date, body in (("1", "2025-01-01", old), ("2", "2025-06-01", new)):
                    with open(os.path.join(site, "content", "doc", f"{version}.en.md"), "w") as f:
                        f.write(header(version, date) + body)
                wall, peak, code, err = build(args.clause, site)
                expected = 1 if name == "broken" else 0
                if code != expected or "panicked" in err:
                    failed = True
                    print(f"{name} n={n}: exit {code}\n{err[-2000:]}", file=sys.stderr)
                per_unit = wall / units
                base = base or per_unit
                print(f"| {name} | {n:,} | {wall:.2f} | {peak:.0f} | {per_unit / base:.2f} |",
                      flush=True)
                shutil.rmtree(site)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
