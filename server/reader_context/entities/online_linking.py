"""The Wikipedia step: names the knowledge base left without a card are looked up online, against the
request's deadline. What is not back in time gets a pending id; when it lands, the card is linked the same
way and stored where every worker can serve it (knowledge.pending), so the reader's follow-up request may
go to any of them.

Online work is bounded twice. A request asks Wikipedia for at most `budget` names, those a reader needs
most (`ranked`); the rest keep the card they have without it (an article card, or none). And every request
of the process shares one LookupQueue, bounded and fair between requests, so a flood of names neither
hammers Wikipedia nor keeps another reader's names waiting.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from concurrent.futures import CancelledError, Future
from concurrent.futures import wait as wait_for
from functools import partial

from ..knowledge.entity import Entity
from ..knowledge.lookups import LookupQueue
from ..knowledge.wikipedia import WikipediaUnavailable
from .article import Group
from .spans import sentence_of

log = logging.getLogger(__name__)

# Lookups that end without an answer: Wikipedia failed, or the queue dropped the name for a fairer share.
NO_ANSWER = (WikipediaUnavailable, CancelledError)


class OnlineLinking:
    def __init__(self, linker, online, pending, lookups: LookupQueue, *, budget: int):
        self.linker = linker
        self.online = online
        self.pending = pending
        self.lookups = lookups
        self.budget = budget

    def link(self, groups: list[Group], article_words: set[str], *, wait: bool, deadline: float) -> dict[int, str]:
        """Link what the caches and Wikipedia can place by `deadline` (a time.perf_counter value); returns,
        for each group still waiting, the pending id its card will be served under. `wait` asks Wikipedia
        even while it rests after failures."""
        unplaced = [g for g in groups if g.card_id is None and not g.ambiguous
                    and any(m.found_by != "alias" and m.label != "NORP" for m in g.mentions)]
        if not unplaced:
            return {}
        anchors = [g.chosen for g in groups if g.chosen is not None]
        to_ask = []
        for g in unplaced:
            try:  # the caches first: memory, Redis, the SQLite store; no network on this path
                self.linker.link_online(g, self.online.lookup(g.name, network=False), article_words, anchors)
            except WikipediaUnavailable:
                to_ask.append(g)
        if not to_ask or not (wait or self.online.source.available):
            return {}
        request = object()  # this request's turn in the shared queue
        asked: dict[int, tuple[Group, Future]] = {}
        for g in ranked(to_ask, groups)[:self.budget]:
            future = self.lookups.submit(request, g.name, partial(self.online.lookup, g.name))
            if future is not None:
                asked[id(g)] = (g, future)
        if not asked:
            return {}
        wait_for([f for _, f in asked.values()], timeout=max(0.0, deadline - time.perf_counter()))
        waiting: dict[int, str] = {}
        for gid, (g, future) in asked.items():
            if future.done():
                try:
                    self.linker.link_online(g, future.result(), article_words, anchors)
                except NO_ANSWER:
                    pass  # the embedded and article cards stand
                continue
            pid = self.pending.open()
            if pid is None:
                continue  # as many cards pending as the deployment keeps: the lookup still fills the caches
            # Only what linking needs outlives the request: the names and contexts, not the parsed text.
            late = dataclasses.replace(g, mentions=[], scored=[])
            future.add_done_callback(partial(self._finish, pid, late, article_words, anchors))
            waiting[gid] = pid
        return waiting

    def _finish(self, pid: str, group: Group, article_words: set[str], anchors: list[Entity], future: Future) -> None:
        try:
            self.linker.link_online(group, future.result(), article_words, anchors)
        except NO_ANSWER:
            pass
        except Exception:  # a late card is a bonus: a bug here must not vanish silently into the pool
            log.exception("linking a late Wikipedia answer failed")
        card = group.chosen.card() if group.chosen is not None else None
        if card is not None:
            card.in_article = list(group.contexts)
        self.pending.resolve(pid, card)


def ranked(unplaced: list[Group], groups: list[Group]) -> list[Group]:
    """The names a reader needs a card for most, first: one the article repeats, introduces with a title or
    a role ("Sen. X", "X, a spokesman for ..."), or names in a sentence with things it has already placed;
    between equals, the one named first (the headline and the lede come first)."""
    placed = {(m.block, sentence_of(m.span).start) for g in groups if g.card_id is not None for m in g.mentions}
    order = {id(g): i for i, g in enumerate(groups)}

    def need(g: Group) -> tuple[int, int]:
        beside_placed = any((m.block, sentence_of(m.span).start) in placed for m in g.mentions)
        return -(len(g.mentions) + bool(g.contexts) + beside_placed), order[id(g)]

    return sorted(unplaced, key=need)
