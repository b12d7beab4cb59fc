"""The deployment under abuse and operations (issue 16): a victim's lookups while N clients send their headers a
byte a second, requests lost while the master reloads (SIGHUP) or a worker is killed, and a reader's lookups
while another client sends 100,000-character articles with the default rate limits on; all against the real
gunicorn.conf.py on loopback, offline.

    python benchmarks/deployment.py [--config gunicorn.conf.py] [--slow 8 50] [--seconds 20] [--only slow|ops|fair]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ROOT, machine, running_gunicorn, worker_pids

LOOKUP = "/api/v1/cards/lookup?q=Palmyra"


def env(kb: Path, workers: int) -> dict[str, str]:
    return {"READER_CONTEXT_KB_PATH": str(kb), "READER_CONTEXT_ONLINE": "never", "READER_CONTEXT_RATE_LIMIT_ENABLED": "false",
            "READER_CONTEXT_REQUEST_LOG": "false", "WEB_CONCURRENCY": str(workers)}


def slow_client(port: int, stop: threading.Event) -> None:
    """Headers a byte a second, for as long as the run lasts: a connection that never finishes its request."""
    request = f"GET {LOOKUP} HTTP/1.1\r\nHost: x\r\n" + "".join(f"X-Pad-{i}: {'a' * 20}\r\n" for i in range(100))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            for byte in request.encode():
                if stop.wait(1.0):
                    return
                s.sendall(bytes([byte]))
    except OSError:
        return  # the server closed it: that is the server defending itself


def victim(port: int, seconds: float, timeout: float = 5.0) -> dict:
    """A reader's lookups, one every 0.2 s, each on a new connection (the slow clients took theirs first)."""
    latencies, failures = [], 0
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
            conn.request("GET", LOOKUP)
            ok = conn.getresponse().status == 200
            conn.close()
            latencies.append(time.perf_counter() - started)
            failures += not ok
        except OSError:
            failures += 1
        time.sleep(0.2)
    latencies.sort()
    return {"answered": len(latencies), "failed": failures,
            "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
            "max_ms": latencies[-1] * 1000 if latencies else None}


def under_slow_clients(config: Path, kb: Path, slow: int, seconds: float) -> dict:
    with running_gunicorn(["--config", str(config)], env(kb, 2), cwd=ROOT) as (port, _):
        stop = threading.Event()
        threads = [threading.Thread(target=slow_client, args=(port, stop), daemon=True) for _ in range(slow)]
        for t in threads:
            t.start()
        time.sleep(3)  # every slow connection is open and has sent a few bytes
        try:
            return victim(port, seconds)
        finally:
            stop.set()


def client_loop(port: int, stop: threading.Event, counts: dict, lock: threading.Lock) -> None:
    """Keep-alive requests, as a browser or a proxy sends them; a reset or a refused connection is a lost request."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    n = 0
    while not stop.is_set():
        n += 1
        body = json.dumps({"text": f"Vladimir Putin visited Palmyra in Syria, report {threading.get_ident()}-{n}."})
        try:
            conn.request("POST", "/api/v1/analyze", body, {"Content-Type": "application/json"})
            status = conn.getresponse()
            status.read()
            key = "ok" if status.status == 200 else f"http_{status.status}"
        except (OSError, http.client.HTTPException):
            key = "lost"
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            counts[key] = counts.get(key, 0) + 1


def under_operations(config: Path, kb: Path, operation: str, seconds: float, clients: int = 6) -> dict:
    with running_gunicorn(["--config", str(config)], env(kb, 2), cwd=ROOT) as (port, server):
        stop, lock, counts = threading.Event(), threading.Lock(), {}
        threads = [threading.Thread(target=client_loop, args=(port, stop, counts, lock), daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        every = seconds / 4
        for _ in range(3):
            time.sleep(every)
            if operation == "sighup":
                server.send_signal(signal.SIGHUP)
            else:
                kids = worker_pids(server.pid)
                if kids:
                    os.kill(kids[0], signal.SIGKILL)
        time.sleep(every)
        stop.set()
        for t in threads:
            t.join(40)
        return counts


def large_sender(port: int, stop: threading.Event, text: str, counts: dict, lock: threading.Lock) -> None:
    body = json.dumps({"text": text})
    while not stop.is_set():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.request("POST", "/api/v1/analyze", body, {"Content-Type": "application/json"})
            res = conn.getresponse()
            res.read()
            key = str(res.status)
        except (OSError, http.client.HTTPException):
            key = "lost"
        finally:
            conn.close()
        with lock:
            counts[key] = counts.get(key, 0) + 1
        if key == "429":
            stop.wait(1.0)  # a client that backs off a little, as the extension does


def beside_large_articles(config: Path, kb: Path, seconds: float, senders: int = 4) -> tuple[dict, dict]:
    """A reader's lookups while `senders` connections of one other client post 100,000 characters each, limits on."""
    sample = (ROOT / "examples" / "sample-article.txt").read_text(encoding="utf-8")
    text = (sample * (100_000 // len(sample) + 1))[:100_000]
    limited = {**env(kb, 2), "READER_CONTEXT_RATE_LIMIT_ENABLED": "true"}
    with running_gunicorn(["--config", str(config)], limited, cwd=ROOT) as (port, _):
        stop, lock, counts = threading.Event(), threading.Lock(), {}
        threads = [threading.Thread(target=large_sender, args=(port, stop, text, counts, lock), daemon=True)
                   for _ in range(senders)]
        for t in threads:
            t.start()
        time.sleep(2)
        try:
            return victim(port, seconds), counts
        finally:
            stop.set()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=ROOT / "gunicorn.conf.py")
    parser.add_argument("--slow", type=int, nargs="*", default=[8, 50])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--only", choices=["slow", "ops", "fair"])
    args = parser.parse_args()

    from reader_context.knowledge import open_knowledge

    kb = Path(tempfile.mkdtemp()) / "knowledge.sqlite3"
    open_knowledge(kb)
    print(f"Machine: {machine()}. Config: {args.config.name}.")
    if args.only in (None, "slow"):
        print("| slow connections | victim lookups answered | failed (5 s timeout) | p50 ms | max ms |")
        print("|---:|---:|---:|---:|---:|")
        for n in [0, *args.slow]:
            print(f"| {n} | {_row(under_slow_clients(args.config, kb, n, args.seconds))} |", flush=True)
    if args.only in (None, "fair"):
        r, counts = beside_large_articles(args.config, kb, args.seconds)
        print("\n| beside 4 connections sending 100,000-character articles | victim lookups answered | failed (5 s timeout)"
              " | p50 ms | max ms | large articles answered 200 | refused 429 |\n|---|---:|---:|---:|---:|---:|---:|")
        print(f"| default rate limits | {_row(r)} | {counts.get('200', 0)} | {counts.get('429', 0)} |", flush=True)
    if args.only in (None, "ops"):
        print("\n| during | requests | answered 200 | lost | other |\n|---|---:|---:|---:|---:|")
        for op, label in (("sighup", "3 SIGHUP reloads"), ("kill", "3 workers killed (SIGKILL)")):
            c = under_operations(args.config, kb, op, args.seconds)
            total = sum(c.values())
            other = total - c.get("ok", 0) - c.get("lost", 0)
            print(f"| {label} | {total} | {c.get('ok', 0)} | {c.get('lost', 0)} | {other} |", flush=True)
    return 0


def _row(r: dict) -> str:
    p50 = f"{r['p50_ms']:.0f}" if r["p50_ms"] is not None else "-"
    worst = f"{r['max_ms']:.0f}" if r["max_ms"] is not None else "-"
    return f"{r['answered']} | {r['failed']} | {p50} | {worst}"


if __name__ == "__main__":
    sys.exit(main())
