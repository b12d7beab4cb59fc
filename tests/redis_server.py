"""A real redis-server for tests of the shared cache: on a free loopback port, in a temporary directory,
never saving to disk, and stoppable and restartable on the same port mid-test; with a password
(`requirepass`) when asked, as the README's deployments run it."""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis

BINARY = shutil.which("redis-server")
MISSING_REASON = "redis-server is not installed (Debian package redis-server; .ci/run installs it)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, directory: Path, password: str | None = None):
        self.directory = Path(directory)
        self.password = password
        self.port = free_port()
        self._process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        auth = f":{self.password}@" if self.password else ""
        return f"redis://{auth}127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5, decode_responses=True)

    def start(self) -> RedisServer:
        self._process = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.directory),
             "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning",
             *(["--requirepass", self.password] if self.password else [])],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, password=self.password, socket_connect_timeout=0.2, socket_timeout=0.2)
        until = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.RedisError:
                if time.monotonic() > until or self._process.poll() is not None:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)
        client.close()
        return self

    def stop(self) -> None:
        """Kill it outright, as a crash would: clients see refused connections from now on."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process = None


@pytest.fixture()
def redis_server(tmp_path):
    """A fresh server per test; skipped where redis-server is not installed. Import it into a test module."""
    if BINARY is None:
        pytest.skip(MISSING_REASON)
    server = RedisServer(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture()
def redis_with_password(tmp_path):
    """A fresh server that wants a password, as a deployment's should."""
    if BINARY is None:
        pytest.skip(MISSING_REASON)
    server = RedisServer(tmp_path, password=secrets.token_urlsafe(12)).start()
    yield server
    server.stop()
