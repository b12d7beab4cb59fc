"""Real gunicorn for the tests and the benchmarks: on a free loopback port, ready once /health answers,
stopped whatever happens."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def worker_pids(master: int) -> list[int]:
    """The worker processes a gunicorn master has forked, as the kernel lists them now."""
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_gunicorn(args: list[str], env: dict[str, str], *, log=subprocess.DEVNULL, cwd: Path | None = None,
                     ready_seconds: float = 120) -> Iterator[tuple[int, subprocess.Popen]]:
    """gunicorn with `args` ("{port}" in an argument is the port chosen) and `env` over this environment
    (PORT and HOST are set for gunicorn.conf.py); yields (port, process)."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", **env}
    server = subprocess.Popen([GUNICORN, *(a.format(port=port) for a in args)], env=env, cwd=cwd,
                              stdout=log, stderr=subprocess.STDOUT if log is not subprocess.DEVNULL else log)
    try:
        until = time.monotonic() + ready_seconds
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > until or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start on port {port}") from None
                time.sleep(0.2)
        yield port, server
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)
