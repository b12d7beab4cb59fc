"""Pending cards: cards finished after their request's deadline, kept where every worker sees them.

A client told that a card is pending asks again later, and that request may reach another worker
(or, behind a load balancer, another machine). So a pending card lives in the SQLite base, which the
workers of one machine share, and in Redis when one is configured, which machines share; this
process's memory keeps a copy only for when neither can be written. Each id is per request and per
name, so two articles naming the same person never overwrite each other's card (its `in_article`).
"""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Callable

from cachetools import TTLCache

from .entity import Card
from .shared import MISS, SharedCache
from .store import KnowledgeError, KnowledgeStore
from .untrusted import read_pending

log = logging.getLogger(__name__)

PREFIX = "pending:"
# Pending cards this process keeps itself, for when neither the base nor Redis can be written.
MEMORY_SIZE = 4096

State = tuple[bool, dict | None, float]  # resolved, the card's fields, until when it is kept


class PendingCards:
    def __init__(self, store: KnowledgeStore, shared: SharedCache | None, *, ttl_seconds: float = 600,
                 most: int = 20_000, clock: Callable[[], float] = time.time):
        self.store = store
        self.shared = shared
        self.ttl_seconds = ttl_seconds
        self.most = most
        self._clock = clock
        self._memory: TTLCache = TTLCache(min(MEMORY_SIZE, most), ttl_seconds, timer=clock)
        self._warned = False
        store.ensure_schema()

    def open(self) -> str | None:
        """A new pending id, unguessable (128 random bits), waiting until ttl_seconds from now; None when
        `most` cards are pending already (in the base, or in memory when the base cannot be written)."""
        pid = PREFIX + secrets.token_urlsafe(16)
        now = self._clock()
        state: State = (False, None, now + self.ttl_seconds)
        try:
            if not self.store.open_pending(pid, now + self.ttl_seconds, now, most=self.most):
                return None
        except (KnowledgeError, sqlite3.Error) as exc:
            self._store_failed(exc)
            self._memory.expire()
            if len(self._memory) >= self._memory.maxsize:
                return None  # rather than push out a card another reader waits for
        self._memory[pid] = state
        if self.shared is not None:
            self.shared.set(pid, list(state), self.ttl_seconds)
        return pid

    def resolve(self, pid: str, card: Card | None) -> None:
        """The card found for `pid`, or None when there is none after all; kept ttl_seconds from now."""
        fields = card.model_dump() if card is not None else None
        until = self._clock() + self.ttl_seconds
        self._keep(pid, (True, fields, until),
                   lambda: self.store.resolve_pending(pid, json.dumps(fields) if fields else None, until))

    def get(self, pids: list[str]) -> tuple[dict[str, Card], list[str]]:
        """Resolved cards by id, and the ids still waiting; unknown, expired and resolved-to-None ids
        are in neither."""
        pids = [p for p in dict.fromkeys(pids) if p.startswith(PREFIX)]
        now = self._clock()
        states: dict[str, State] = {}
        try:
            for pid, (resolved, raw) in self.store.pending(pids, now).items():
                states[pid] = (resolved, json.loads(raw) if raw else None, now)
        except (KnowledgeError, sqlite3.Error) as exc:
            self._store_failed(exc)
        for pid in pids:
            if states.get(pid, (False,))[0]:
                continue  # resolved: nothing nearer to learn
            found = read_pending(self.shared.get(pid), now) if self.shared else MISS
            if found is MISS:
                found = self._memory.get(pid)
            if found is not None and found[2] > now and (found[0] or pid not in states):
                states[pid] = tuple(found)
        cards = {pid: Card.model_validate(fields) for pid, (resolved, fields, _) in states.items()
                 if resolved and fields is not None}
        waiting = [pid for pid in pids if pid in states and not states[pid][0]]
        return cards, waiting

    def _keep(self, pid: str, state: State, write: Callable[[], None]) -> None:
        self._memory[pid] = state
        try:
            write()
        except (KnowledgeError, sqlite3.Error) as exc:
            self._store_failed(exc)
        if self.shared is not None:
            self.shared.set(pid, list(state), self.ttl_seconds)

    def _store_failed(self, exc: Exception) -> None:
        if not self._warned:
            self._warned = True
            log.warning("pending cards are kept in Redis and this process only: %s", exc)
