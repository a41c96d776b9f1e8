#!/usr/bin/env python3
"""`clause serve` under attack, on loopback only, bounded in time.

usage: tests/serve/load.py [path/to/clause]

Starts `clause serve` on a copy of the example site with a 30 MB file in
static/, then measures the latency of a normal request (GET of the home
page, median and worst of 20) with nobody else connected, and while these
clients are connected:
  - 500 idle connections (connected, sending nothing);
  - 70 slowloris clients (a byte of a request head every 0.5 s);
  - 70 slow readers (asked for the 30 MB file, reading nothing);
  - all of them at once.
Also: a request with bare `\\n` line ends gets its page, a 100 KB head gets
431, and the server's memory (peak RSS) stays flat under the slow readers.

Prints one table; exits 1 if a normal request takes 100 ms or more (median)
under any attack, or any check fails.
"""
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LIMIT_MS = 100.0
BIG_MB = int(os.environ.get("LOAD_BIG_MB", "30"))


def rss_mib(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def request(port, raw, timeout=10.0):
    """Sends raw bytes; returns (status, seconds) once the whole response is in."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    elapsed = time.perf_counter() - start
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, elapsed


def latency(port):
    times = []
    for _ in range(20):
        status, elapsed = request(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        if status != 200:
            return None, None, status
        times.append(elapsed * 1000)
    return statistics.median(times), max(times), 200


class Attack:
    """Clients held open on threads until `stop`."""

    def __init__(self, port):
        self.port = port
        self.sockets = []
        self.stopping = threading.Event()
        self.threads = []

    def idle(self, n):
        for _ in range(n):
            self.sockets.append(socket.create_connection(("127.0.0.1", self.port)))

    def slowloris(self, n):
        socks = [socket.create_connection(("127.0.0.1", self.port)) for _ in range(n)]
        self.sockets.extend(socks)
        head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000

        def drip():
            i = 0
            while not self.stopping.wait(0.5):
                for s in socks:
                    try:
                        s.send(head[i % len(head):i % len(head) + 1])
                    except OSError:
                        pass
                i += 1

        t = threading.Thread(target=drip, daemon=True)
        t.start()
        self.threads.append(t)

    def slow_readers(self, n):
        for _ in range(n):
            s = socket.socket()
            # A small receive window, as a slow client on a slow link has.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.connect(("127.0.0.1", self.port))
            s.sendall(b"GET /static/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            self.sockets.append(s)

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()
        for s in self.sockets:
            s.close()


def main():
    clause = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "release", "clause")
    failures = []
    with tempfile.TemporaryDirectory() as work:
        site = os.path.join(work, "site")
        os.makedirs(site)
        for name in ("config.toml", "content", "themes", "clause.lock"):
            src = os.path.join(ROOT, name)
            if os.path.isdir(src):
                shutil.copytree(src, os.path.join(site, name))
            elif os.path.exists(src):
                shutil.copy(src, site)
        os.makedirs(os.path.join(site, "static"), exist_ok=True)
        with open(os.path.join(site, "static", "big.bin"), "wb") as f:
            f.write(os.urandom(1024 * 1024) * BIG_MB)
        proc = subprocess.Popen(
            [clause, "--root", site, "serve", "--port", "0", "--as-of", "2026-12-01"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        port = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = proc.stdout.readline()
            if "serving http://" in line:
                port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
            if "watching for changes" in line:
                break
        if port is None:
            proc.kill()
            sys.exit("load: clause serve did not start")
        threading.Thread(target=proc.stdout.read, daemon=True).start()
        pid = proc.pid
        rows = []
        try:
            def measure(name, setup):
                attack = Attack(port)
                setup(attack)
                time.sleep(0.5)
                median, worst, status = latency(port)
                rss = rss_mib(pid)
                attack.stop()
                if status != 200:
                    failures.append(f"{name}: a normal request got {status}")
                    rows.append((name, "-", "-", rss))
                    return
                if median >= LIMIT_MS:
                    failures.append(f"{name}: median {median:.1f} ms")
                rows.append((name, f"{median:.1f}", f"{worst:.1f}", rss))

            before = rss_mib(pid)
            measure("nobody else", lambda a: None)
            measure("500 idle connections", lambda a: a.idle(500))
            measure("70 slowloris clients", lambda a: a.slowloris(70))
            measure(f"70 slow readers of a {BIG_MB} MB file", lambda a: a.slow_readers(70))
            measure("all of them at once",
                    lambda a: (a.idle(500), a.slowloris(70), a.slow_readers(70)))
            peak = rss_mib(pid, "VmHWM")
            if peak - before > 100:
                failures.append(f"memory grew from {before:.0f} MiB to a peak of {peak:.0f} MiB")

            status, _ = request(port, b"GET / HTTP/1.1\nHost: x\n\n")
            if status != 200:
                failures.append(f"bare \\n line ends: {status}")
            status, _ = request(port, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
            if status != 431:
                failures.append(f"a 100 KB head: {status}, not 431")
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()

    print("| attack | normal request median ms | worst ms | server RSS MiB |")
    print("|---|---:|---:|---:|")
    for name, median, worst, rss in rows:
        print(f"| {name} | {median} | {worst} | {rss:.0f} |")
    print(f"server memory: {before:.0f} MiB at start, peak {peak:.0f} MiB")
    if failures:
        for f in failures:
            print("load: FAIL:", f)
        sys.exit(1)
    print("load: PASS (bare \\n request lines answered, a 100 KB head gets 431)")


if __name__ == "__main__":
    main()
