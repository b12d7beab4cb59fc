"""Online knowledge: Wikipedia entities for mention names and card ids, each title asked for about once.

The levels (cache.py), nearest first: this process's memory; the SQLite base, written through with
source "wikipedia" and fetched_at, so the base grows and answers offline later (an old entity is
fetched again, but still served while Wikipedia is down); and, when a Redis URL is set, Redis shared by
the workers, with a short lock per name and per title so that two workers make one Wikipedia call
between them. "No such article" is remembered in every level too, for less time. Entities the base
holds from another source (embedded, user) are served and never replaced.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .cache import MemoryLevel, RedisLevel, Stamped, StoreLevel, is_fresh
from .entity import Entity, card_id
from .shared import MISS, SharedCache
from .store import KnowledgeStore
from .wikipedia import WikipediaSource, WikipediaUnavailable

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

_PREFIX = "wikipedia:"


class OnlineKnowledge:
    """`lookup(name)` gives candidate entities for a name, best first; `get(ids)` gives entities by card
    id. Both answer from what the levels hold when Wikipedia is down (`network=False` never asks it).
    `clock` is wall time (when a value was learnt); `monotonic` paces the retries of a failed Redis."""

    def __init__(self, store: KnowledgeStore, source: WikipediaSource, settings: Settings, redis_url: str | None = None,
                 *, redis_retry_seconds: float = 5.0, search_limit: int = 5, clock: Callable[[], float] = time.time,
                 monotonic: Callable[[], float] = time.monotonic):
        store.ensure_schema()
        self.store = store
        self.source = source
        self.search_limit = search_limit
        self._clock = clock
        self.refresh_seconds = settings.online_refresh_days * 86_400
        self.negative_seconds = settings.online_negative_seconds
        memory_seconds = settings.online_memory_seconds
        # Names and titles share one bound, as many of each as online_memory_size.
        self.memory = MemoryLevel(2 * settings.online_memory_size, memory_seconds,
                                  min(memory_seconds, self.negative_seconds), timer=clock)
        self.base = StoreLevel(store)
        url = redis_url or settings.redis_url
        self.shared = SharedCache(
            url, timeout=settings.redis_timeout, prefix=f"reader-context:wikipedia:{source.language}:",
            retry_seconds=redis_retry_seconds, clock=monotonic, secret=settings.redis_secret,
        ) if url else None
        self.redis = RedisLevel(self.shared, self.refresh_seconds, self.negative_seconds,
                                clock=clock) if self.shared else None
        # One worker's claim must outlast its calls (search, then one batch), or a second one starts.
        self._claim_seconds = 3 * source.timeout + 1

    @classmethod
    def from_settings(cls, store: KnowledgeStore, settings: Settings) -> OnlineKnowledge:
        return cls(store, WikipediaSource.from_settings(settings), settings)

    def status(self) -> dict:
        return {
            "wikipedia": self.source.reachability,
            "shared_cache": None if self.shared is None else self.shared.reachable,
        }

    # -- public ----------------------------------------------------------------------------------
    def lookup(self, name: str, *, network: bool = True) -> list[Entity]:
        """Candidate entities for a mention name, best first ([] when Wikipedia has no article for it).

        Raises WikipediaUnavailable when no level knows the name and Wikipedia cannot be asked
        (failing, resting after failures, or `network=False`): the answer is then "not yet", not "none".
        """
        key = " ".join(name.split())
        if not key:
            return []
        ids = self._name_ids(key, network)
        entities = self.get(ids, network=network)
        out: dict[str, Entity] = {}
        for i in ids:
            entity = entities.get(i)
            if entity is not None:
                out.setdefault(entity.id, entity)
        return list(out.values())

    def get(self, ids: Iterable[str], *, network: bool = True) -> dict[str, Entity | None]:
        """Entities by card id: None for an id with no article (or a disambiguation page); an id is
        absent when no level knows it and Wikipedia could not be asked now (the card is pending)."""
        out: dict[str, Entity | None] = {}
        titles = []
        for i in dict.fromkeys(ids):
            if i.startswith(_PREFIX):
                titles.append(i[len(_PREFIX):])
            else:  # user: and article: ids are only ever in the base
                out[i] = self.store.entities([i]).get(i)
        known = self._titles_for(titles, network, canonical=True)
        out.update({card_id(t): entity for t, (entity, _at) in known.items()})
        return out

    # -- names -----------------------------------------------------------------------------------
    def _name_ids(self, name: str, network: bool) -> list[str]:
        key = "name:" + name
        hit = self.memory.get(key)
        if hit is not MISS:
            return list(hit[0])
        stored = self.base.get(key)
        if stored is not MISS and self._fresh(stored):
            self.memory.put({key: stored})
            return list(stored[0])
        shared = self.redis.get(key) if self.redis else MISS
        if shared is not MISS:
            return list(self._keep({key: shared}, from_redis=True)[key][0])
        if network:
            try:
                return self._search(name)
            except WikipediaUnavailable:
                if stored is MISS:
                    raise
        elif stored is MISS:
            raise WikipediaUnavailable(f"{name!r} is not cached and the network was not to be used")
        return list(stored[0])  # old, but better than nothing while Wikipedia is down

    def _search(self, name: str) -> list[str]:
        key = "name:" + name
        with self._single_flight(key) as theirs:
            if theirs is not MISS:
                return list(self._keep({key: theirs}, from_redis=True)[key][0])
            asked = list(dict.fromkeys([name, *self.source.search(name, self.search_limit)]))
            found = self._titles_for(asked, network=True)
            if any(t not in found for t in asked):
                raise WikipediaUnavailable(f"could not fetch every candidate of {name!r}")
            ids = list(dict.fromkeys(e.id for t in asked if (e := found[t][0]) is not None))
            # A worker that reads this answer from Redis must find its entities there too, including
            # those this worker had in its own base and so did not fetch.
            if self.redis:
                self.redis.put({"title:" + t: v for t, v in found.items()}, only_new=True)
            self._keep({key: (ids, self._clock())}, from_redis=False)
            return ids

    # -- titles ----------------------------------------------------------------------------------
    def _titles_for(self, titles: list[str], network: bool, *, canonical: bool = False) -> dict[str, Stamped]:
        """What each asked title stands for, and since when, from the nearest level that knows it;
        absent when nobody knows now. `canonical` says the titles are card ids' (no redirects)."""
        out: dict[str, Stamped] = {}
        old: dict[str, Stamped] = {}
        unknown = []
        for title in dict.fromkeys(titles):
            key = "title:" + title
            hit = self.memory.get(key)
            if hit is not MISS:
                out[title] = hit
                continue
            stored = self.base.get(key)
            if stored is not MISS and self._fresh(stored):
                out[title] = stored
                self.memory.put({key: stored})
                continue
            if stored is not MISS and stored[0] is not None:
                old[title] = stored
            unknown.append(title)
        if unknown and self.redis:
            shared = {t: v for t in unknown if (v := self.redis.get("title:" + t)) is not MISS}
            out.update(self._keep_titles(shared, from_redis=True))
            unknown = [t for t in unknown if t not in shared]
        if unknown and network:
            try:
                out.update(self._fetch(unknown, canonical))
            except WikipediaUnavailable as exc:
                log.info("serving cached knowledge: %s", exc)
        for title, known in old.items():
            out.setdefault(title, known)
        return out

    def _fetch(self, titles: list[str], canonical: bool) -> dict[str, Stamped]:
        """Ask Wikipedia for titles no level holds, one worker per title, and write every level."""
        claims = {t: self.shared.claim("title:" + t, self._claim_seconds) for t in titles} if self.shared else {}
        out: dict[str, Stamped] = {}
        try:
            mine = [t for t in titles if t not in claims or claims[t].go]
            if self.redis:
                # Another worker may have stored a title between our look and our claim.
                done = {t: v for t in mine if (v := self.redis.get("title:" + t)) is not MISS}
                out.update(self._keep_titles(done, from_redis=True))
                mine = [t for t in mine if t not in out]
            if mine:
                out.update(self._keep_fetched(self._ask(mine, canonical)))
        finally:
            for claim in claims.values():
                self.shared.release(claim)
        theirs = [t for t in titles if t in claims and not claims[t].go]
        waited = {t: v for t in theirs if (v := self.redis.wait("title:" + t, self._claim_seconds)) is not MISS}
        out.update(self._keep_titles(waited, from_redis=True))
        gave_up = [t for t in theirs if t not in waited]
        if gave_up:
            out.update(self._keep_fetched(self._ask(gave_up, canonical)))
        return out

    def _ask(self, titles: list[str], canonical: bool) -> dict[str, Entity | None]:
        # One card by its id (a pending card, say) is one REST summary, which Wikimedia answers from
        # its edge caches; a redirect there would cost a second request, so names go to the query.
        if canonical and len(titles) == 1:
            return {titles[0]: self.source.summary(titles[0])}
        return self.source.pages(titles)

    def _keep_fetched(self, found: dict[str, Entity | None]) -> dict[str, Stamped]:
        at = self._clock()
        return self._keep_titles({t: (e, at) for t, e in found.items()}, from_redis=False)

    def _keep_titles(self, known: dict[str, Stamped], *, from_redis: bool) -> dict[str, Stamped]:
        kept = self._keep({"title:" + t: v for t, v in known.items()}, from_redis=from_redis)
        return {key[len("title:"):]: v for key, v in kept.items()}

    def _keep(self, values: dict[str, Stamped], *, from_redis: bool) -> dict[str, Stamped]:
        """Write values through the base, then memory; to Redis too when they came from Wikipedia. A value
        from Redis reaches the base only when sealed with the deployment secret: anyone who can write to Redis
        could otherwise plant a card that outlives a FLUSHALL and a restart."""
        if from_redis and not (self.redis and self.redis.trusted):
            return self.memory.put(values)
        kept = self.base.put(values)
        if not from_redis and self.redis:
            self.redis.put(kept)
        return self.memory.put(kept)

    def _fresh(self, stamped: Stamped) -> bool:
        return is_fresh(stamped, self._clock(), self.refresh_seconds, self.negative_seconds)

    @contextmanager
    def _single_flight(self, key: str) -> Iterator[Any]:
        """Yield MISS when this worker is to make the call, or the value another worker stored."""
        if self.shared is None or self.redis is None:
            yield MISS
            return
        claim = self.shared.claim(key, self._claim_seconds)
        if not claim.go:
            yield self.redis.wait(key, self._claim_seconds)
            return
        try:
            yield self.redis.get(key)  # it may have been stored between our look and our claim
        finally:
            self.shared.release(claim)
