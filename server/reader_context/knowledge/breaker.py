"""A circuit breaker for calls to a remote service: stop asking one that keeps failing or that asked us to
back off, and try again with one probe after a rest."""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class CircuitBreaker:
    """Closed → open after `failures` consecutive failures → half-open after `rest_seconds` (one probe).

    A server that says when to come back (Retry-After) is believed, up to `cap_seconds`, so a
    misconfigured header cannot silence the source for a day.
    """

    def __init__(self, failures: int, rest_seconds: float, cap_seconds: float,
                 clock: Callable[[], float] = time.monotonic):
        self.failures = failures
        self.rest_seconds = rest_seconds
        self.cap_seconds = cap_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._count = 0
        self._open_until = 0.0
        self._probing = False

    @property
    def state(self) -> str:
        with self._lock:
            if self._open_until == 0.0:
                return "closed"
            return "half-open" if self._probing or self._clock() >= self._open_until else "open"

    def seconds_left(self) -> float:
        with self._lock:
            return max(0.0, self._open_until - self._clock())

    def allow(self) -> bool:
        """May a call go out now? In half-open, only the first caller's probe does."""
        with self._lock:
            if self._open_until == 0.0:
                return True
            if self._clock() < self._open_until or self._probing:
                return False
            self._probing = True
            return True

    def succeeded(self) -> None:
        with self._lock:
            self._count = 0
            self._open_until = 0.0
            self._probing = False

    def failed(self) -> None:
        with self._lock:
            self._count += 1
            if self._probing or self._count >= self.failures:
                self._open(self.rest_seconds)

    def rest(self, seconds: float) -> None:
        """Open for what the server asked (capped), however few failures came before."""
        with self._lock:
            self._count += 1
            self._open(min(max(seconds, 0.0), self.cap_seconds))

    def _open(self, seconds: float) -> None:
        self._probing = False
        self._open_until = max(self._open_until, self._clock() + seconds)
        log.info("Wikipedia calls paused for %.0f s", seconds)  # the source says once that Wikipedia is unreachable


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
