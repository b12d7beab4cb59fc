"""Production defaults a deployer expects from `gunicorn --config gunicorn.conf.py` and the Procfile."""

import json
import os
import runpy
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from gunicorn_server import running_gunicorn

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
