"""Redis shared by the workers: one small client with short timeouts, which degrades to nothing (the
caller's own layers) when Redis fails, and coordinates who makes a Wikipedia call.

Redis is a cache anyone with its address (and password) can write, so what is read back is not trusted by
itself. With a deployment secret every value is sealed with an HMAC of its key and its JSON, and a value
whose seal does not match is a miss (logged once); without one, values are only checked against their
schema by the caller and are never written to the knowledge base (`authenticated` says which).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.lock import Lock
from redis.retry import Retry

log = logging.getLogger(__name__)

MISS: Any = object()  # "not known here", as distinct from a remembered None
# How often a worker looks whether another one has stored the value it waits for (a Redis round trip).
WAIT_POLL_SECONDS = 0.05


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{parts.hostname}"
                                            + (f":{parts.port}" if parts.port else "")))


class Claim(NamedTuple):
    go: bool  # this worker makes the call
    lock: Lock | None  # held while it does; None when Redis cannot coordinate


class SharedCache:
    """JSON values under one key prefix. A failure degrades to the caller's own caches with one warning,
    and Redis is tried again every `retry_seconds` of `clock` until it answers (then one info line)."""

    def __init__(self, url: str, *, timeout: float, prefix: str, retry_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, secret: str | None = None):
        self.url = _without_password(url)  # for the log
        self._secret = secret.encode() if secret else None
        self._forgery_logged = False
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

    @property
    def authenticated(self) -> bool:
        """Whether what `get` returns was sealed by a holder of the deployment secret."""
        return self._secret is not None

    def get(self, key: str) -> Any:
        raw = self._call(lambda r: r.get(self.prefix + key), None)
        return MISS if raw is None else self._open(key, raw)

    def set(self, key: str, value: Any, seconds: float, *, only_new: bool = False) -> None:
        raw = self._seal(key, json.dumps(value))
        self._call(lambda r: r.set(self.prefix + key, raw, ex=max(1, int(seconds)), nx=only_new), None)

    def _mac(self, key: str, payload: str) -> str:
        # The key is part of the seal: a sealed value copied under another key does not open there.
        return hmac.new(self._secret, f"{self.prefix}{key}\n{payload}".encode(), hashlib.sha256).hexdigest()

    def _seal(self, key: str, payload: str) -> str:
        return payload if self._secret is None else f"{self._mac(key, payload)}:{payload}"

    def _open(self, key: str, raw: str) -> Any:
        payload = raw
        if self._secret is not None:
            mac, _, payload = raw.partition(":")
            if not hmac.compare_digest(mac, self._mac(key, payload)):
                return self._forged(key)
        try:
            return json.loads(payload)
        except ValueError:
            return self._forged(key)

    def _forged(self, key: str) -> Any:
        if not self._forgery_logged:
            self._forgery_logged = True
            log.warning("shared cache at %s holds a value under %r that this deployment did not write (a wrong"
                        " or missing READER_CONTEXT_REDIS_SECRET, or a forgery); such values are ignored", self.url,
                        self.prefix + key)
        return MISS

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
