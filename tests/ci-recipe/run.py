#!/usr/bin/env python3
"""Runs the GitHub Actions workflow that docs/ci.md gives, as written, on a
copy of a fixture site: the pull-request job and the publish job.

usage: tests/ci-recipe/run.py [path/to/clause]

The workflow's `run:` steps are read out of the first YAML block of
docs/ci.md, so the recipe users copy is the one tested. What only GitHub
and a cloud have is stood in for, and said so:
  - `cargo install ...` (the recipe installs clause): the clause under test
    is put on PATH instead;
  - `s3://legal-site/prod`: a folder (`file://`), which `clause deploy`
    publishes to the same way;
  - `aws cloudfront create-invalidation`: a stub that records the paths;
  - `https://legal.example.com/`: a local web server over that folder.

Pull request: with every published version locked, the check job passes;
a new version added without `clause lock` fails it with a GitHub annotation
(`::error ... title=lock/unlocked`); after `clause lock`, it passes.
Publish: the job runs through (build --locked, deploy, purge, verify); the
CDN is asked to purge the changed pages; a second run changes nothing and
purges nothing; verify fails when the live copy is tampered with.
"""
import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def workflow_steps():
    """The `run:` commands of each job of the first ```yaml block of docs/ci.md."""
    text = open(os.path.join(ROOT, "docs", "ci.md"), encoding="utf-8").read()
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    jobs = {}
    job = None
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if line.startswith("  ") and not line.startswith("   ") and stripped.endswith(":"):
            job = stripped[:-1]
            jobs[job] = []
        elif stripped.startswith("- run:") and job:
            command = stripped[len("- run:"):].strip()
            if command == "|":
                indent = len(lines[i + 1]) - len(lines[i + 1].lstrip())
                body = []
                i += 1
                while i < len(lines) and (not lines[i].strip() or
                                          len(lines[i]) - len(lines[i].lstrip()) >= indent):
                    body.append(lines[i][indent:])
                    i += 1
                jobs[job].append("\n".join(body))
                continue
            jobs[job].append(command)
        i += 1
    return jobs


def main():
    clause = os.path.abspath(sys.argv[1] if len(sys.argv) > 1
                             else os.path.join(ROOT, "target", "release", "clause"))
    jobs = workflow_steps()
    assert set(jobs) >= {"check", "publish"}, jobs
    failures = []
    with tempfile.TemporaryDirectory() as work:
        bin_dir = os.path.join(work, "bin")
        os.makedirs(bin_dir)
        os.symlink(clause, os.path.join(bin_dir, "clause"))
        purges = os.path.join(work, "purges.txt")
        with open(os.path.join(bin_dir, "cargo"), "w") as f:
            f.write("#!/bin/sh\necho 'cargo (stand-in): using the clause under test'\n")
        with open(os.path.join(bin_dir, "aws"), "w") as f:
            f.write(f"#!/bin/sh\necho \"$@\" >> {purges}\n")
        for name in ("cargo", "aws"):
            os.chmod(os.path.join(bin_dir, name), 0o755)
        live = os.path.join(work, "bucket")
        os.makedirs(live)
        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        handler = functools.partial(Quiet, directory=live)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"

        site = os.path.join(work, "site")
        shutil.copytree(os.path.join(ROOT, "tests", "fixtures", "basic"), site)
        env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ["PATH"],
                   CLOUDFRONT_ID="E123", SOURCE_DATE_EPOCH="1780272000")  # 2026-06-01

        def run_job(name):
            """Runs a job's steps in order, as `bash -e` would; returns (ok, output)."""
            output = ""
            for command in jobs[name]:
                command = (command.replace("s3://legal-site/prod", "file://" + live)
                           .replace("https://legal.example.com/", url))
                proc = subprocess.run(["bash", "-ec", command], cwd=site, env=env,
                                      capture_output=True, text=True)
                output += f"$ {command}\n{proc.stdout}{proc.stderr}"
                if proc.returncode != 0:
                    return False, output
            return True, output

        def expect(what, ok):
            print(("ok: " if ok else "FAIL: ") + what)
            if not ok:
                failures.append(what)

        def clause_cmd(*args):
            return subprocess.run(["clause", *args], cwd=site, env=env,
                                  capture_output=True, text=True)

        # The team locked what it published.
        clause_cmd("lock")
        ok, out = run_job("check")
        expect("pull request: the check job passes when every published version is locked", ok)

        # A pull request adds a version and forgets `clause lock`.
        with open(os.path.join(site, "content", "cookies", "2.en.md"), "w", encoding="utf-8") as f:
            f.write("---\ntitle: Cookie Policy\neffective_date: 2026-05-01\nversion: \"2\"\n"
                    "language: en\nchanges: Adds the consent cookie.\n---\n\n## Cookies we use\n\n"
                    "A session cookie and a consent cookie.\n")
        ok, out = run_job("check")
        annotated = any(l.startswith("::error file=content/cookies/2.en.md,") and "title=lock/unlocked::" in l
                        for l in out.splitlines())
        expect("pull request: a new version without `clause lock` fails the check job", not ok)
        expect("pull request: the failure annotates the new file (::error ... title=lock/unlocked)", annotated)
        if not annotated:
            print(out)
        clause_cmd("lock")
        ok, out = run_job("check")
        expect("pull request: after `clause lock` the check job passes", ok)
        if not ok:
            print(out)

        # Merged: the publish job.
        ok, out = run_job("publish")
        expect("publish: build --locked, deploy, purge and verify go through", ok)
        if not ok:
            print(out)
        expect("publish: the live folder holds the site",
               os.path.exists(os.path.join(live, "cookies", "versions", "2", "index.html")))
        purged = open(purges).read() if os.path.exists(purges) else ""
        expect("publish: the CDN is asked to purge the changed pages",
               "create-invalidation" in purged and "/cookies/" in purged)
        os.remove(purges) if os.path.exists(purges) else None
        ok, out = run_job("publish")
        expect("publish again: nothing changed, nothing purged", ok and not os.path.exists(purges))

        # Someone edits the live copy behind CI's back: verify says so.
        with open(os.path.join(live, "cookies", "index.html"), "a") as f:
            f.write("<!-- tampered -->")
        proc = clause_cmd("verify", "--url", url)
        expect("verify fails when the live copy differs from the build", proc.returncode != 0)
        server.shutdown()

    if failures:
        print(f"ci-recipe: {len(failures)} FAILED")
        sys.exit(1)
    print("ci-recipe: PASS")


if __name__ == "__main__":
    main()
