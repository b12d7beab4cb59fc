"""The Wikipedia step: names the knowledge base left without a card are looked up online, against the
request's deadline. What is not back in time gets a pending id; when it lands, the card is linked the same
way and stored where every worker can serve it (knowledge.pending), so the reader's follow-up request may
go to any of them.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from concurrent.futures import Executor, Future
from concurrent.futures import wait as wait_for
from functools import partial

from ..knowledge.entity import Entity
from ..knowledge.wikipedia import WikipediaUnavailable
from .article import Group

log = logging.getLogger(__name__)


class OnlineLinking:
    def __init__(self, linker, online, pending, pool: Executor):
        self.linker = linker
        self.online = online
        self.pending = pending
        self.pool = pool

    def link(self, groups: list[Group], article_words: set[str], *, wait: bool, deadline: float) -> dict[int, str]:
        """Link what the caches and Wikipedia can place by `deadline` (a time.perf_counter value); returns,
        for each group still waiting, the pending id its card will be served under. `wait` asks Wikipedia
        even while it rests after failures."""
        unplaced = [g for g in groups if g.card_id is None and not g.ambiguous
                    and any(m.found_by != "alias" and m.label != "NORP" for m in g.mentions)]
        if not unplaced:
            return {}
        anchors = [g.chosen for g in groups if g.chosen is not None]
        asked: dict[int, tuple[Group, Future]] = {}
        for g in unplaced:
            try:  # the caches first: memory, Redis, the SQLite store; no network on this path
                self.linker.link_online(g, self.online.lookup(g.name, network=False), article_words, anchors)
            except WikipediaUnavailable:
                if wait or self.online.source.available:
                    asked[id(g)] = (g, self.pool.submit(self.online.lookup, g.name))
        if not asked:
            return {}
        wait_for([f for _, f in asked.values()], timeout=max(0.0, deadline - time.perf_counter()))
        waiting: dict[int, str] = {}
        for gid, (g, future) in asked.items():
            if future.done():
                try:
                    self.linker.link_online(g, future.result(), article_words, anchors)
                except WikipediaUnavailable:
                    pass  # Wikipedia failed: the embedded and article cards stand
                continue
            pid = self.pending.open()
            # Only what linking needs outlives the request: the names and contexts, not the parsed text.
            late = dataclasses.replace(g, mentions=[], scored=[])
            future.add_done_callback(partial(self._finish, pid, late, article_words, anchors))
            waiting[gid] = pid
        return waiting

    def _finish(self, pid: str, group: Group, article_words: set[str], anchors: list[Entity], future: Future) -> None:
        try:
            self.linker.link_online(group, future.result(), article_words, anchors)
        except WikipediaUnavailable:
            pass
        except Exception:  # a late card is a bonus: a bug here must not vanish silently into the pool
            log.exception("linking a late Wikipedia answer failed")
        card = group.chosen.card() if group.chosen is not None else None
        if card is not None:
            card.in_article = list(group.contexts)
        self.pending.resolve(pid, card)
