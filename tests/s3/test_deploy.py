"""`clause deploy` and `clause verify` against a local S3-protocol server (moto).

Builds a copy of the `basic` fixture, deploys it, and reads the bucket back
with boto3: every file is there with its bytes, Content-Type and
Cache-Control; a second deploy sends nothing; an edit sends only what
changed; an object changed behind clause's back is reported and put back;
verify passes, then fails once an object is overwritten; verify --url
checks the site served by a plain static server; deleting a published
version is refused and changes nothing.
"""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import threading

import boto3

CLAUSE = os.environ["CLAUSE"]
ENDPOINT = os.environ["S3_ENDPOINT"]
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "basic")
BUCKET = "legal"
PREFIX = "site/"
TARGET = f"s3://{BUCKET}/{PREFIX.rstrip('/')}"
ENV = dict(
    os.environ,
    AWS_ACCESS_KEY_ID="test",
    AWS_SECRET_ACCESS_KEY="test",
    AWS_REGION="us-east-1",
    AWS_ENDPOINT_URL=ENDPOINT,
    AWS_ALLOW_HTTP="true",
)
s3 = boto3.client(
    "s3",
    endpoint_url=ENDPOINT,
    aws_access_key_id="test",
    aws_secret_access_key="test",
    region_name="us-east-1",
)
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def clause(site, *args):
    run = subprocess.run([CLAUSE, *args], cwd=site, env=ENV, capture_output=True, text=True)
    return run


def bucket():
    """The bucket's objects: key below the prefix -> bytes."""
    found = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX):
        for item in page.get("Contents", []):
            key = item["Key"][len(PREFIX):]
            found[key] = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return found


def built(site):
    files = {}
    dist = os.path.join(site, "dist")
    for folder, _, names in os.walk(dist):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, dist).replace(os.sep, "/")
            if rel != ".clause-output":
                with open(path, "rb") as f:
                    files[rel] = f.read()
    return files


def main():
    s3.create_bucket(Bucket=BUCKET)
    work = tempfile.mkdtemp(prefix="clause-s3-")
    site = os.path.join(work, "site")
    shutil.copytree(FIXTURE, site)
    try:
        run = clause(site, "build", "--as-of", "2026-06-01")
        check(run.returncode == 0, "the site builds")

        run = clause(site, "deploy", "--target", TARGET)
        print(run.stderr)
        check(run.returncode == 0, "the first deploy succeeds")
        files = built(site)
        live = bucket()
        manifest = live.pop("clause-manifest.json", None)
        check(manifest is not None, "the manifest is published")
        check(live == files, f"the bucket holds the {len(files)} built files, byte for byte")

        head = s3.head_object(Bucket=BUCKET, Key=PREFIX + "privacy/index.html")
        check(head["ContentType"] == "text/html; charset=utf-8", "pages are text/html; charset=utf-8")
        check(head.get("CacheControl") == "public, max-age=0, must-revalidate", "pages revalidate")
        head = s3.head_object(Bucket=BUCKET, Key=PREFIX + "documents.json")
        check(head["ContentType"] == "application/json", "documents.json is application/json")
        hashed = [k for k in files if k.startswith("static/style.") and k != "static/style.css"]
        check(len(hashed) == 1, "the stylesheet has a hashed name")
        head = s3.head_object(Bucket=BUCKET, Key=PREFIX + hashed[0])
        check(head["ContentType"] == "text/css; charset=utf-8", "the stylesheet is text/css")
        check(head.get("CacheControl") == "public, max-age=31536000, immutable",
              "the hashed stylesheet is immutable for a year")

        run = clause(site, "deploy", "--target", TARGET)
        check(run.returncode == 0 and "0 uploaded, 0 replaced, 0 deleted" in run.stderr
              and "already up to date" in run.stderr, "a second deploy sends nothing")

        policy = os.path.join(site, "content", "cookies", "1.en.md")
        with open(policy, encoding="utf-8") as f:
            text = f.read()
        with open(policy, "w", encoding="utf-8") as f:
            f.write(text.replace("Only a session cookie.", "Only a session cookie and no other."))
        clause(site, "build", "--as-of", "2026-06-01")
        changed = os.path.join(work, "changed.txt")
        run = clause(site, "deploy", "--target", TARGET, "--changed-urls", changed)
        print(run.stderr)
        with open(changed, encoding="utf-8") as f:
            urls = f.read().split()
        check(run.returncode == 0 and "0 uploaded, 3 replaced, 0 deleted" in run.stderr,
              "an edit replaces the page, its version page and documents.json")
        check(urls == ["https://legal.example.com/cookies/versions/1/",
                       "https://legal.example.com/cookies/",
                       "https://legal.example.com/documents.json"], "their URLs are listed for a purge")

        s3.put_object(Bucket=BUCKET, Key=PREFIX + "privacy/index.html", Body=b"defaced")
        run = clause(site, "deploy", "--target", TARGET)
        check("`privacy/index.html` in the target is not what the last deploy wrote" in run.stderr,
              "an object changed behind the deploy is reported")
        check(bucket()["privacy/index.html"] == built(site)["privacy/index.html"], "and put back")

        run = clause(site, "verify", "--target", TARGET)
        check(run.returncode == 0 and "are the built ones" in run.stderr,
              "verify passes after the deploy")
        s3.put_object(Bucket=BUCKET, Key=PREFIX + "terms/index.html", Body=b"other terms")
        run = clause(site, "verify", "--target", TARGET)
        print(run.stderr)
        check(run.returncode == 1 and "terms/index.html: differs" in run.stderr,
              "verify fails after an object is overwritten behind clause's back")
        clause(site, "deploy", "--target", TARGET)

        # verify --url: the same site served over HTTP by a plain static server.
        folder = os.path.join(work, "served")
        clause(site, "deploy", "--target", "file://" + folder)
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        run = clause(site, "verify", "--url", url)
        check(run.returncode == 0, "verify --url passes against a static server")
        with open(os.path.join(folder, "sitemap.xml"), "ab") as f:
            f.write(b"<!-- changed -->")
        run = clause(site, "verify", "--url", url)
        check(run.returncode == 1 and "sitemap.xml: differs" in run.stderr,
              "verify --url fails when a served file differs")
        server.shutdown()

        before = bucket()
        shutil.rmtree(os.path.join(site, "content", "cookies"))
        clause(site, "build", "--as-of", "2026-06-01")
        run = clause(site, "deploy", "--target", TARGET)
        check(run.returncode == 1 and "would unpublish a version" in run.stderr,
              "deleting a published version is refused")
        check(bucket() == before, "a refused deploy changes nothing")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"s3: {len(failures)} check(s) failed")
        sys.exit(1)
    print("s3: all checks passed")


if __name__ == "__main__":
    main()
