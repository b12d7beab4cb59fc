"""The linker's reads of the store, remembered until the store changes.

Linking an article asks the store for the aliases of every name and the entities they reach, about a
hundred queries for 1,000 words. Answers are kept in memory: all dropped when the build stamp changes (a
build, or an import that replaced rows), and otherwise only those of the alias keys and entities whose rows
were written since (Wikipedia cards, imports), which `sync` checks with cheap queries once per article.
Dropping everything on each online write made the next articles read everything again.
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
        self._stamp: str | None = None
        self._rowid = 0
        self._aliases: LRUCache[str, tuple[AliasHit, ...]] = LRUCache(maxsize=size)
        self._entities: LRUCache[str, Entity | None] = LRUCache(maxsize=size)

    def sync(self) -> None:
        stamp, high = self.store.build_stamp(), self.store.alias_high_water()
        with self._lock:
            if stamp != self._stamp:
                self._aliases.clear()
                self._entities.clear()
                self._stamp, self._rowid = stamp, high
                return
            if high == self._rowid:
                return
        keys, ids, high = self.store.changed_since(self._rowid)
        with self._lock:
            for key in keys:
                self._aliases.pop(key, None)
            for i in ids:
                self._entities.pop(i, None)
            self._rowid = max(self._rowid, high)

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
