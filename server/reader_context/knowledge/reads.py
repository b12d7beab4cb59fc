"""The linker's reads of the store, remembered until the store changes.

Linking an article asks the store for the aliases of every name and the entities they reach, about a
hundred queries for 1,000 words. Answers are kept in memory and dropped together whenever the store says it
changed (a new build stamp, or alias rows written since: Wikipedia cards, imports), which `sync` checks
with two cheap queries once per article.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from cachetools import LRUCache

from .entity import AliasHit, Entity


class CachedReads:
    def __init__(self, store, *, size: int = 50_000):
        self.store = store
        self._lock = threading.Lock()
        self._version: tuple[str, int] | None = None
        self._aliases: LRUCache[str, tuple[AliasHit, ...]] = LRUCache(maxsize=size)
        self._entities: LRUCache[str, Entity | None] = LRUCache(maxsize=size)

    def sync(self) -> None:
        version = self.store.version()
        with self._lock:
            if version != self._version:
                self._aliases.clear()
                self._entities.clear()
                self._version = version

    def lookup_alias(self, key: str) -> list[AliasHit]:
        with self._lock:
            hits = self._aliases.get(key)
        if hits is None:
            hits = tuple(self.store.lookup_alias(key))
            with self._lock:
                self._aliases[key] = hits
        return list(hits)

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        ids = list(dict.fromkeys(ids))
        with self._lock:
            known = {i: self._entities.get(i, False) for i in ids}
        missing = [i for i, e in known.items() if e is False]
        if missing:
            found = self.store.entities(missing)
            with self._lock:
                for i in missing:
                    self._entities[i] = known[i] = found.get(i)
        return {i: e for i, e in known.items() if e is not None}
