"""Redis shared by the workers: one small client with short timeouts, which degrades to nothing (the
caller's own layers) when Redis fails, and coordinates who makes a Wikipedia call."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import redis
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.lock import Lock
from redis.retry import Retry

log = logging.getLogger(__name__)

MISS: Any = object()  # "not known here", as distinct from a remembered None
# How often a worker looks whether another one has stored the value it waits for (a Redis round trip).
WAIT_POLL_SECONDS = 0.05


class Claim(NamedTuple):
    go: bool  # this worker makes the call
    lock: Lock | None  # held while it does; None when Redis cannot coordinate


class SharedCache:
    """JSON values under one key prefix. A failure degrades to the caller's own caches with one warning,
    and Redis is tried again every `retry_seconds` of `clock` until it answers (then one info line)."""

    def __init__(self, url: str, *, timeout: float, prefix: str, retry_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic):
        self.url = url
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._clock = clock
        # No retries and short sockets: a slow Redis must cost a request less than no Redis at all.
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0),
            decode_responses=True,
        )
        self._lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0

    @property
    def reachable(self) -> bool:
        return not self._down

    def _call(self, fn: Callable[[redis.Redis], Any], default: Any) -> Any:
        if self._down and self._clock() < self._retry_at:
            return default
        try:
            value = fn(self._redis)
        except RedisError as exc:
            with self._lock:
                self._retry_at = self._clock() + self.retry_seconds
                if not self._down:
                    self._down = True
                    log.warning("shared cache at %s is unavailable (%s); using this process's caches until it returns",
                                self.url, exc)
            return default
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.info("shared cache at %s is reachable again", self.url)
        return value

    def get(self, key: str) -> Any:
        raw = self._call(lambda r: r.get(self.prefix + key), None)
        return MISS if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, seconds: float, *, only_new: bool = False) -> None:
        self._call(lambda r: r.set(self.prefix + key, json.dumps(value), ex=max(1, int(seconds)), nx=only_new), None)

    def claim(self, key: str, seconds: float) -> Claim:
        lock = self._redis.lock(self.prefix + "lock:" + key, timeout=seconds, blocking=False)
        got = self._call(lambda r: lock.acquire(), None)
        if got is None:
            return Claim(True, None)
        return Claim(bool(got), lock if got else None)

    def release(self, claim: Claim) -> None:
        if claim.lock is None:
            return

        def unlock(_r: redis.Redis) -> None:
            try:
                claim.lock.release()
            except LockError:
                pass  # it expired: our calls outlasted it, and another worker may hold it by now

        self._call(unlock, None)

    def wait(self, key: str, seconds: float) -> Any:
        """The value another worker is fetching, once it is stored; MISS if it gives up or times out.
        Real time: this waits on another process's network call, not on a cache expiry."""
        until = time.monotonic() + seconds
        while time.monotonic() < until and not self._down:
            value = self.get(key)
            if value is not MISS:
                return value
            if not self._call(lambda r: r.exists(self.prefix + "lock:" + key), 0):
                return self.get(key)
            time.sleep(WAIT_POLL_SECONDS)
        return MISS
