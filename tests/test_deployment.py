"""Production defaults a deployer expects from `gunicorn --config gunicorn.conf.py` and the Procfile."""

import contextlib
import http.client
import json
import os
import runpy
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gunicorn_server import running_gunicorn, worker_pids

ROOT = Path(__file__).resolve().parents[1]


def test_gunicorn_listens_on_loopback_unless_host_says_otherwise(monkeypatch):
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "127.0.0.1:5000"
    monkeypatch.setenv("HOST", "0.0.0.0")
    monkeypatch.setenv("PORT", "8080")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "0.0.0.0:8080"
    # A PaaS gives PORT and routes from outside: the Procfile opens every interface, on purpose.
    assert (ROOT / "Procfile").read_text().strip() == "web: HOST=0.0.0.0 gunicorn --config gunicorn.conf.py"


@pytest.mark.slow  # a real gunicorn
def test_gunicorn_says_where_it_listens_limits_per_client_and_logs_each_request_once(kb_path, tmp_path):
    log = tmp_path / "gunicorn.log"
    env = {"READER_CONTEXT_KB_PATH": str(kb_path), "READER_CONTEXT_ONLINE": "never", "WEB_CONCURRENCY": "1",
           "READER_CONTEXT_RATE_LIMIT_ANALYZE": "2/minute", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    with log.open("w") as out, running_gunicorn(["--config", str(ROOT / "gunicorn.conf.py")], env, log=out,
                                                 cwd=ROOT) as (port, _):
        statuses, scopes = [], set()
        for _ in range(3):
            req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/analyze", headers={"Content-Type": "application/json"},
                                         data=json.dumps({"text": "Floods reached Timbuktu."}).encode())
            try:
                with urllib.request.urlopen(req, timeout=30) as res:
                    statuses.append(res.status)
                    scopes.add(res.headers["X-RateLimit-Scope"])
                    assert res.headers.get("Retry-After") is None
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
    text = log.read_text()
    assert statuses == [200, 200, 429] and scopes == {"worker"}
    assert f"Listening at: http://127.0.0.1:{port} (Reader Context, 1 workers; rate limits counted per worker)" in text
    assert "Listening at:  (" not in text
    lines = [line for line in text.splitlines() if "/api/v1/analyze" in line]
    assert len(lines) == 3 and lines[-1].startswith("INFO reader_context.requests: POST /api/v1/analyze 429 "), lines
    assert "\x1b[" not in text


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_installs_only_what_running_needs_and_takes_port_and_host(tmp_path):
    plan = subprocess.run(["make", "-s", "-n", "-C", str(ROOT), "run", f"VENV={tmp_path / 'venv'}", "PORT=5050",
                           "HOST=0.0.0.0"], capture_output=True, text=True, check=True).stdout
    assert "pip install --quiet -e .\n" in plan and "[test" not in plan, plan
    assert plan.strip().endswith("reader-context serve --host 0.0.0.0 --port 5050"), plan
    tests = subprocess.run(["make", "-s", "-n", "-C", str(ROOT), "test-fast", f"VENV={tmp_path / 'venv'}"],
                           capture_output=True, text=True, check=True).stdout
    assert "-e '.[test,eval,bench]'" in tests


# -- slow clients, reloads, two workers, limits (issue 16) ------------------------------------------------------

OFFLINE = {"READER_CONTEXT_ONLINE": "never", "READER_CONTEXT_RATE_LIMIT_ENABLED": "false", "WEB_CONCURRENCY": "2",
           "READER_CONTEXT_REQUEST_LOG": "false"}


@pytest.fixture()
def deployment(kb_path, tmp_path):
    """The default deployment (gunicorn.conf.py, two workers); yields (port, master process, log file)."""
    log = tmp_path / "gunicorn.log"
    env = {**OFFLINE, "READER_CONTEXT_KB_PATH": str(kb_path), "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    with log.open("w") as out, running_gunicorn(["--config", str(ROOT / "gunicorn.conf.py")], env, log=out,
                                                 cwd=ROOT) as (port, server):
        # /health answers as soon as one worker runs; the tests here need both (the master forks them in turn).
        until = time.monotonic() + 30
        while len(worker_pids(server.pid)) < 2 and time.monotonic() < until:
            time.sleep(0.1)
        yield port, server, log


def _lookup(port: int, timeout: float = 5) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/cards/lookup?q=Palmyra", timeout=timeout) as res:
        assert res.status == 200 and json.load(res)["card"]["id"] == "wikipedia:Palmyra"
    return time.perf_counter() - started


def _byte_a_second(port: int, stop: threading.Event) -> None:
    head = b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n"
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        for i in range(len(head)):
            if stop.wait(1.0):
                return
            s.sendall(head[i:i + 1])


@pytest.mark.slow  # a real gunicorn and 50 sockets
@pytest.mark.parametrize("slow_clients", [8, 50])
def test_a_reader_is_answered_while_clients_send_their_headers_a_byte_a_second(deployment, slow_clients):
    port, _, _ = deployment
    stop = threading.Event()
    for _ in range(slow_clients):
        threading.Thread(target=_byte_a_second, args=(port, stop), daemon=True).start()
    try:
        time.sleep(3)  # every slow client connected and sending (8 of them took every thread of the old config)
        latencies = [_lookup(port) for _ in range(10)]
    finally:
        stop.set()
    assert max(latencies) < 2, latencies


def _keep_posting(port: int, stop: threading.Event, outcomes: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while not stop.is_set():
        try:
            conn.request("POST", "/api/v1/analyze", json.dumps({"text": "Vladimir Putin visited Palmyra."}),
                         {"Content-Type": "application/json"})
            res = conn.getresponse()
            res.read()
            outcomes.append(res.status)
        except (OSError, http.client.HTTPException) as exc:
            outcomes.append(type(exc).__name__)
            conn.close()


@pytest.mark.slow  # a real gunicorn reloaded under load
def test_a_reload_loses_no_request(deployment):
    port, server, log = deployment
    stop, outcomes = threading.Event(), []
    clients = [threading.Thread(target=_keep_posting, args=(port, stop, outcomes)) for _ in range(4)]
    for c in clients:
        c.start()
    try:
        for reloads in (1, 2):
            time.sleep(3)
            server.send_signal(signal.SIGHUP)  # new workers; the old ones finish what they hold
            until = time.monotonic() + 60
            while log.read_text().count("Worker exiting") < 2 * reloads and time.monotonic() < until:
                time.sleep(0.2)
        time.sleep(2)
    finally:
        stop.set()
        for c in clients:
            c.join(30)
    assert log.read_text().count("Handling signal: hup") == 2 and log.read_text().count("Worker exiting") == 4
    assert len(outcomes) > 20 and set(outcomes) == {200}, {o: outcomes.count(o) for o in set(outcomes)}


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow  # a real gunicorn with two workers under CPU-bound load
def test_two_workers_share_the_work_of_kept_alive_clients(deployment):
    port, server, _ = deployment
    workers = worker_pids(server.pid)
    before = {pid: _cpu_seconds(pid) for pid in workers}
    stop, outcomes = threading.Event(), []
    clients = [threading.Thread(target=_keep_posting, args=(port, stop, outcomes)) for _ in range(4)]
    for c in clients:
        c.start()
    time.sleep(8)
    stop.set()
    for c in clients:
        c.join(30)
    used = {pid: _cpu_seconds(pid) - before[pid] for pid in workers}
    # Each kept-alive client went to one worker for good when workers kept connections (1.03x for two workers).
    assert len(used) == 2 and min(used.values()) > 0.3 * sum(used.values()), used


def _get(port: int, target: str) -> tuple[int, str, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", target)
    res = conn.getresponse()
    return res.status, res.getheader("Content-Type") or "", res.read()


@pytest.mark.slow  # a real gunicorn in front of our own limits
def test_our_limits_answer_in_json_before_gunicorns(deployment):
    port, _, log = deployment
    ids = "&".join(f"id=wikipedia:{'Some_Long_Title_%03d' % i}" for i in range(200))
    status, kind, _ = _get(port, f"/api/v1/cards?{ids}")
    assert (status, kind) == (200, "application/json"), "200 ids of 20 characters: within our documented limit"
    status, kind, body = _get(port, f"/api/v1/cards?{ids}&id=one_more")
    assert (status, kind) == (400, "application/json") and b"at most 200 ids" in body
    # A chunked body over the limit: refused whole, not cut at the limit and parsed.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", "/api/v1/analyze", (b"x" * 65_536 for _ in range(20)),
                 {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}, encode_chunked=True)
    res = conn.getresponse()
    assert res.status == 413 and json.loads(res.read())["error"]["code"] == "body_too_large"
    # Past gunicorn's own limits (a request line of 8,190 bytes), gunicorn answers, in our JSON too.
    status, kind, body = _get(port, "/api/v1/cards?id=" + "x" * 9000)
    assert (status, kind) == (414, "application/json") and json.loads(body)["error"]["code"] == "uri_too_long"
    # gunicorn opens its control socket in a thread after the workers answer: wait for it, not for a fixed time.
    until = time.monotonic() + 20
    while f"reader-context-127.0.0.1-{port}.ctl" not in log.read_text() and time.monotonic() < until:
        time.sleep(0.1)
    assert f"reader-context-127.0.0.1-{port}.ctl" in log.read_text(), "each server its own control socket"


def test_two_servers_have_their_own_control_sockets(monkeypatch):
    paths = set()
    for host, port in (("127.0.0.1", "5000"), ("127.0.0.1", "5001"), ("0.0.0.0", "5000")):
        monkeypatch.setenv("HOST", host)
        monkeypatch.setenv("PORT", port)
        paths.add(runpy.run_path(str(ROOT / "gunicorn.conf.py"))["control_socket"])
    assert len(paths) == 3
