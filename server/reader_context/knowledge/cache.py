"""The cache levels of online knowledge, behind one interface, nearest first: this process's memory
(a bounded TLRU), the SQLite base written through, and Redis shared by the workers.

Keys are "name:<mention name>", whose value is the card ids the name reaches ([] for none), and
"title:<asked title>", whose value is the Entity it stands for (None: no article). Every value is
stamped with when it was learnt: (value, at). `get(key)` gives the stamped value or MISS; `put(values)`
stores {key: (value, at)} and returns the values as that level now holds them (the base keeps an
entity it holds from another source). Whether a value is still fresh is the caller's question.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from cachetools import TLRUCache

from .entity import Entity
from .shared import MISS, SharedCache
from .store import KnowledgeError, KnowledgeStore
from .untrusted import read_name, read_title

log = logging.getLogger(__name__)

Stamped = tuple[Any, float | None]  # (ids or Entity or None, when it was learnt; None: built in)


def is_fresh(stamped: Stamped, now: float, refresh: float, negative: float) -> bool:
    """An entity built in or the user's is never fetched again; "none" is believed for less time."""
    value, at = stamped
    if isinstance(value, Entity) and value.source != "wikipedia":
        return True
    return at is not None and now - at < (refresh if value else negative)


class MemoryLevel:
    """This process's cache: bounded, each value kept `seconds` (`negative_seconds` for "none")."""

    def __init__(self, size: int, seconds: float, negative_seconds: float, *, timer: Callable[[], float] = time.time):
        def expires(_key: str, stamped: Stamped, now: float) -> float:
            return now + (seconds if stamped[0] else negative_seconds)

        self._cache: TLRUCache = TLRUCache(size, ttu=expires, timer=timer)
        self._lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self._lock:
            return self._cache.get(key, MISS)

    def put(self, values: dict[str, Stamped]) -> dict[str, Stamped]:
        with self._lock:
            for key, stamped in values.items():
                self._cache[key] = stamped
        return values


class StoreLevel:
    """The SQLite base: what it holds outlives the process and answers offline, fresh or not. A base that
    cannot be written (read-only, locked) leaves the values to the other levels, with one warning."""

    def __init__(self, store: KnowledgeStore):
        self.store = store
        self._warned = False

    def get(self, key: str) -> Any:
        kind, _, name = key.partition(":")
        found = self.store.wikipedia_name(name) if kind == "name" else self.store.wikipedia_title(name)
        return MISS if found is None else found

    def put(self, values: dict[str, Stamped]) -> dict[str, Stamped]:
        out = dict(values)
        try:
            for key, (ids, at) in values.items():
                if key.startswith("name:"):
                    self.store.put_wikipedia_name(key[5:], ids, at)
            titles = {k[6:]: v for k, v in values.items() if k.startswith("title:")}
            for at in {at for _, at in titles.values()}:
                kept = self.store.put_wikipedia({t: e for t, (e, when) in titles.items() if when == at}, at)
                out.update((f"title:{t}", (e, at)) for t, e in kept.items())
        except KnowledgeError as exc:
            if not self._warned:
                self._warned = True
                log.warning("Wikipedia cards are kept in memory only: %s", exc)
        return out


class RedisLevel:
    """Redis shared by the workers: a value lives there for as long as it stays fresh. What it gives back
    has our schema; it is `trusted` (fit to be written to the base) only when sealed with the secret."""

    def __init__(self, shared: SharedCache, refresh_seconds: float, negative_seconds: float,
                 *, clock: Callable[[], float] = time.time):
        self.shared = shared
        self.refresh_seconds = refresh_seconds
        self.negative_seconds = negative_seconds
        self._clock = clock

    @property
    def trusted(self) -> bool:
        return self.shared.authenticated

    def get(self, key: str) -> Any:
        return self._decode(key, self.shared.get(key))

    def wait(self, key: str, seconds: float) -> Any:
        """The value another worker is fetching, once it is there; MISS when it gave up."""
        return self._decode(key, self.shared.wait(key, seconds))

    def put(self, values: dict[str, Stamped], *, only_new: bool = False) -> dict[str, Stamped]:
        """`only_new` leaves a value another worker wrote alone: ours may come from an older copy."""
        now = self._clock()
        for key, (value, at) in values.items():
            life = self.refresh_seconds if value else self.negative_seconds
            left = life if at is None else life - (now - at)
            if left > 1:
                self.shared.set(key, self._encode(key, value, at), left, only_new=only_new)
        return values

    @staticmethod
    def _encode(key: str, value: Any, at: float | None) -> dict:
        if key.startswith("name:"):
            return {"ids": value, "at": at}
        return {"entry": value.to_json() if value is not None else None, "at": at}

    def _decode(self, key: str, raw: Any) -> Any:
        if raw is MISS:
            return MISS
        return (read_name if key.startswith("name:") else read_title)(raw, self._clock())
