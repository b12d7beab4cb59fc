"""A short soak: gunicorn with several workers on 127.0.0.1, N client threads sending mixed requests for a
bounded time, then: no error, no 5xx, no "database is locked", and worker memory that levels off.

Bounded and self-stopping: loopback only, a fixed duration (READER_CONTEXT_SOAK_SECONDS, 20 by default),
and the server is stopped by the test whatever happens."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from gunicorn_server import worker_pids

pytestmark = pytest.mark.slow  # gunicorn with several workers for 20 s

ROOT = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("READER_CONTEXT_SOAK_SECONDS", "20"))
WORKERS = 3
THREADS = 6
# Resident memory a worker may gain over the soak once warm (the first requests fill spaCy's vocabulary
# and the response cache, which is bounded); a leak of a few KB a request over thousands of requests shows.
GROWTH_MB = 120

TEXTS = [
    "Vladimir Putin visited Palmyra in Syria, where the savage fighting had stopped.",
    "UNESCO condemned the heinous destruction of the ancient city, Irina Bokova said.",
    "RUSSIAN jets struck Daesh positions near Damascus.\r\nBrussels replied.",
    "\u202eEmoji \U0001F3DB\ufe0f and combining e\u0301 beside the World Health Organization.",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture()
def server(kb_path, tmp_path):
    if shutil.which("gunicorn", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("gunicorn is not installed beside this Python")
    port = free_port()
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(kb_path), "READER_CONTEXT_DATA_DIR": str(kb_path.parent),
           "READER_CONTEXT_ONLINE": "never", "READER_CONTEXT_RATE_LIMIT_ANALYZE": "100000/minute",
           "READER_CONTEXT_RATE_LIMIT_DEFAULT": "100000/minute", "READER_CONTEXT_REQUEST_LOG": "false",
           "WEB_CONCURRENCY": str(WORKERS), "HOST": "127.0.0.1", "PORT": str(port)}
    log = (tmp_path / "gunicorn.log").open("w+")
    proc = subprocess.Popen(
        # The deployment's own configuration (preloaded app, threads), as the Procfile runs it.
        [str(Path(sys.executable).parent / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--graceful-timeout", "5"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + 120
        while time.monotonic() < until:
            try:
                if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200 and len(worker_pids(proc.pid)) == WORKERS:
                    break
            except httpx.HTTPError:
                pass
            assert proc.poll() is None, "gunicorn exited"
            time.sleep(0.5)
        yield base, proc, log
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_soak_mixed_requests_against_gunicorn(server, capsys):
    base, proc, log = server
    counts = {"requests": 0, "errors": 0}
    problems: list[str] = []
    lock = threading.Lock()
    # Warm every worker (each has its own spaCy pipeline and cache) before the first memory reading.
    with httpx.Client(base_url=base, timeout=30) as warm:
        for _ in range(WORKERS * 6):
            warm.post("/api/v1/analyze", json={"text": random.choice(TEXTS)})
    before = {pid: rss_mb(pid) for pid in worker_pids(proc.pid)}
    stop_at = time.monotonic() + SECONDS

    def client(seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < stop_at:
                roll = rng.random()
                try:
                    if roll < 0.6:  # a fresh text most of the time, so the response cache does not hide the work
                        text = rng.choice(TEXTS) + f" Paragraph {rng.randrange(10**9)}."
                        res = http.post("/api/v1/analyze", json={"blocks": [{"id": "p1", "text": text},
                                                                           {"id": "p2", "text": rng.choice(TEXTS)}]})
                    elif roll < 0.75:
                        res = http.get("/api/v1/cards", params=[("id", "wikipedia:Palmyra"), ("id", "wikipedia:Syria")])
                    elif roll < 0.9:
                        res = http.get("/api/v1/cards/lookup", params={"q": rng.choice(["Palmyra", "UNESCO", "zzqx"])})
                    elif roll < 0.95:
                        res = http.get("/api/v1/health")
                    else:
                        res = http.post("/api/v1/analyze", content=b'{"text": ', headers={"Content-Type": "application/json"})
                        assert res.status_code == 400
                    ok = res.status_code < 500 and res.headers["content-type"].startswith("application/json")
                except (httpx.HTTPError, AssertionError) as exc:
                    ok, res = False, exc
                with lock:
                    counts["requests"] += 1
                    if not ok:
                        counts["errors"] += 1
                        problems.append(repr(res)[:200])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 60)
    after = {pid: rss_mb(pid) for pid in worker_pids(proc.pid)}
    log.seek(0)
    server_log = log.read()
    with capsys.disabled():
        growth = {pid: round(after.get(pid, 0) - mb, 1) for pid, mb in before.items()}
        print(f"\n  soak: {WORKERS} workers x {THREADS} threads x {SECONDS:g} s: {counts['requests']} requests,"
              f" errors {counts['errors']}, worker RSS growth MB {sorted(growth.values())}", end="")
    assert counts["errors"] == 0, problems[:5]
    assert counts["requests"] > SECONDS * 5
    assert set(after) == set(before), "a worker died or was replaced during the soak"
    assert all(after[pid] - before[pid] < GROWTH_MB for pid in before), (before, after)
    assert "database is locked" not in server_log and "Traceback" not in server_log, server_log[-3000:]
