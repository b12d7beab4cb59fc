"""One Analyzer: blocks -> spaCy Docs -> entity mentions and loaded terms -> the /analyze response.

It owns the request deadline: Wikipedia lookups for names the embedded base cannot place run on a
bounded pool; what is not back in time is listed in `pending` and keeps going in the background.
"""

from __future__ import annotations

import hashlib
import re
import json
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass

from cachetools import TTLCache

from . import __version__
from .entities import Group, Linker, group_mentions, spot
from .entities.linker import content_words
from .knowledge import KnowledgeStore, open_knowledge
from .knowledge.entity import Card
from .knowledge.online import OnlineKnowledge
from .knowledge.wikipedia import WikipediaUnavailable
from .language import TermDetector, framing_profile, load_lexicon
from .nlp import load_pipeline
from .settings import Settings

KIND_OF_LABEL = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
    "EVENT": "event", "WORK_OF_ART": "work", "PRODUCT": "other", "LAW": "work",
}
ARTICLE_SUMMARY_CHARS = 300
LOOKUP_PREFIX = "lookup:"  # a pending card known so far only by the name it is for
PENDING_SECONDS = 600
RESPONSE_CACHE_SECONDS = 300
# Control and format characters (NUL, bidi controls, zero-width spaces and joiners, BOM): glued to or inside a
# word they would make spaCy take "\u202eVladimir" or "sav\u200dage" for another word. They are taken out
# before the NLP and every offset is mapped back to the text as sent.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _visible(text: str) -> tuple[str, list[int] | None]:
    """The text without invisible characters, and where each of its characters stood (None: unchanged)."""
    if not _INVISIBLE.search(text):
        return text, None
    kept = [i for i, ch in enumerate(text) if not _INVISIBLE.match(ch)]
    return "".join(text[i] for i in kept), kept


def _original(span: tuple[int, int], kept: list[int] | None) -> tuple[int, int]:
    if kept is None:
        return span
    start, end = span
    return kept[start], kept[end - 1] + 1


@dataclass(frozen=True)
class Block:
    id: str
    text: str


@dataclass
class _Pending:
    """A name whose Wikipedia lookup outlived its request, with what linking it needs."""

    future: Future
    group: Group
    article_words: set[str]
    anchors: list


class Analyzer:
    """Holds the process's pipeline, knowledge store, linker, term detector and online source.

    Everything heavy is built on the first call (or by `warm_up`), never at import time.
    """

    def __init__(self, settings: Settings, store: KnowledgeStore | None = None):
        self.settings = settings
        self._store = store
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._pending: TTLCache[str, _Pending] = TTLCache(maxsize=10_000, ttl=PENDING_SECONDS)
        self._responses: TTLCache[str, dict] = TTLCache(maxsize=512, ttl=RESPONSE_CACHE_SECONDS)
        self._cache_lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._ready.is_set():
                return
            self.nlp = load_pipeline(self.settings.spacy_model)
            self.linker = Linker(self.store, self.settings)
            # An invalid lexicon raises here: the server refuses to start rather than run without it.
            self.detector = TermDetector(load_lexicon(), self.nlp)
            self.online = OnlineKnowledge.from_settings(self.store, self.settings)
            self._pool = ThreadPoolExecutor(max_workers=self.settings.wikipedia_max_in_flight,
                                            thread_name_prefix="wikipedia")
            self._ready.set()

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def store(self) -> KnowledgeStore:
        if self._store is None:
            self._store = open_knowledge(self.settings.knowledge_path)
        return self._store

    def analyze(self, blocks: list[Block], features: tuple[str, ...] = ("entities", "terms"),
                online: str | None = None) -> dict:
        self.warm_up()
        started = time.perf_counter()
        online = online or self.settings.online
        key = hashlib.sha256(json.dumps(
            [[b.id, b.text] for b in blocks] + [sorted(features), online], ensure_ascii=False).encode()).hexdigest()
        with self._cache_lock:
            cached = self._responses.get(key)
        if cached is not None:
            stats = {**cached["stats"], "elapsed_ms": round((time.perf_counter() - started) * 1000, 1), "cached": True}
            return {**cached, "stats": stats}

        visible = [_visible(b.text) for b in blocks]
        docs = list(self.nlp.pipe(text for text, _ in visible))
        kept = {b.id: positions for b, (_, positions) in zip(blocks, visible)}
        words = sum(1 for doc in docs for t in doc if not (t.is_punct or t.is_space))
        texts = {b.id: b.text for b in blocks}
        mentions_out: list[dict] = []
        cards: dict[str, dict] = {}
        pending: list[str] = []
        if "entities" in features:
            mentions_out, cards, pending = self._entities(blocks, docs, online, started)
            for m in mentions_out:
                m["start"], m["end"] = _original((m["start"], m["end"]), kept[m["block"]])
                m["text"] = texts[m["block"]][m["start"]:m["end"]]

        terms_out: list[dict] = []
        if "terms" in features:
            for block, doc in zip(blocks, docs):
                for term in self.detector.find(doc):
                    start, end = _original((term["start"], term["end"]), kept[block.id])
                    terms_out.append({"block": block.id, **term, "start": start, "end": end, "text": block.text[start:end]})

        stats = {"words": words, **framing_profile(terms_out, words=words)}
        stats["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        result = {"mentions": mentions_out, "terms": terms_out, "cards": cards, "pending": pending,
                  "stats": stats, "version": __version__}
        if not pending:  # a response still waiting on Wikipedia would freeze the wait in the cache
            with self._cache_lock:
                self._responses[key] = result
        return result

    # -- entities ----------------------------------------------------------------------------
    def _entities(self, blocks, docs, online: str, started: float) -> tuple[list[dict], dict[str, dict], list[str]]:
        mentions = []
        keys, weak = self.store.alias_keys(), self.store.weak_keys()
        for block, doc in zip(blocks, docs):
            mentions.extend(spot(doc, block.id, keys, weak))
        groups = group_mentions(mentions, self.linker.names_a_thing)
        article_words = set().union(*(content_words(b.text) for b in blocks))
        self.linker.link(groups, article_words)
        pending_ids = self._link_online(groups, article_words, online, started) if online != "never" else {}

        cards: dict[str, dict] = {}
        out: list[dict] = []
        for g in groups:
            card_id, confidence = g.card_id, g.confidence
            if card_id is None and all(m.found_by == "alias" or m.label == "NORP" for m in g.mentions):
                continue  # a capitalised word the knowledge base knows but could not place: no mark
            if card_id is not None:
                card = cards.get(card_id) or g.chosen.card().model_dump()
                card["in_article"] = list(dict.fromkeys(card.get("in_article", []) + g.contexts))
                cards[card_id] = card
            elif g.contexts:
                card = self._article_card(g)
                card_id, confidence = card.id, None
                cards[card_id] = card.model_dump()
            for m in g.mentions:
                out.append({"block": m.block, "start": m.start, "end": m.end, "text": m.text,
                            "label": m.label or g.label, "card": card_id, "confidence": confidence})
                if id(g) in pending_ids:
                    out[-1]["pending"] = pending_ids[id(g)]
        order = {b.id: i for i, b in enumerate(blocks)}
        out.sort(key=lambda m: (order[m["block"]], m["start"]))
        return out, cards, sorted(set(pending_ids.values()))

    def _link_online(self, groups: list[Group], article_words: set[str], online: str, started: float) -> dict[int, str]:
        """Wikipedia candidates for the groups the embedded base left without a card, within the deadline.

        Returns, for each group still waiting, the pending id its card will be served under.
        """
        unplaced = [g for g in groups if g.card_id is None and not g.ambiguous
                    and any(m.found_by != "alias" and m.label != "NORP" for m in g.mentions)]
        if not unplaced:
            return {}
        anchors = [g.chosen for g in groups if g.chosen is not None]
        futures: dict[int, Future] = {}
        for g in unplaced:
            try:  # the caches first: memory, Redis, the SQLite store; no network on this path
                self.linker.link_online(g, self.online.lookup(g.name, network=False), article_words, anchors)
            except WikipediaUnavailable:
                if online == "always" or self.online.source.available:
                    futures[id(g)] = self._pool.submit(self.online.lookup, g.name)
        if not futures:
            return {}
        remaining = self.settings.deadline_ms / 1000 - (time.perf_counter() - started)
        wait_for(list(futures.values()), timeout=max(0.0, remaining))
        waiting: dict[int, str] = {}
        by_id = {id(g): g for g in unplaced}
        for gid, future in futures.items():
            g = by_id[gid]
            if future.done():
                try:
                    self.linker.link_online(g, future.result(), article_words, anchors)
                except WikipediaUnavailable:
                    pass  # Wikipedia failed: the embedded and article cards stand
            else:
                pid = LOOKUP_PREFIX + g.name
                self._pending[pid] = _Pending(future, g, article_words, anchors)
                waiting[gid] = pid
        return waiting

    def cards(self, ids: list[str]) -> tuple[dict[str, dict], list[str]]:
        """Cards by id for GET /cards, including those `pending` named: a lookup id resolves to the
        card its name was linked to once Wikipedia answered (under the lookup id)."""
        self.warm_up()
        found = {i: e.card().model_dump() for i, e in self.store.entities(ids).items()}
        pending = []
        for pid in (i for i in ids if i.startswith(LOOKUP_PREFIX) and i not in found):
            waiting = self._pending.get(pid)
            if waiting is None:
                continue  # unknown or expired: absent, as API.md says of unknown ids
            if not waiting.future.done():
                pending.append(pid)
                continue
            try:
                self.linker.link_online(waiting.group, waiting.future.result(), waiting.article_words, waiting.anchors)
            except WikipediaUnavailable:
                continue
            if waiting.group.chosen is not None:
                found[pid] = waiting.group.chosen.card().model_dump()
        return found, pending

    @staticmethod
    def _article_card(g) -> Card:
        """A card from the article's own words, for a name no knowledge source knows."""
        first = g.mentions[0].span.sent.text.strip()
        if len(first) > ARTICLE_SUMMARY_CHARS:
            first = first[:ARTICLE_SUMMARY_CHARS].rsplit(" ", 1)[0] + "\u2026"
        return Card(
            id=f"article:{g.name}", title=g.name, kind=KIND_OF_LABEL.get(g.label or "", "other"),
            description="; ".join(g.contexts[:3]), summary=first, url=None, thumbnail=None, source="article",
            attribution="From this article", in_article=list(g.contexts),
        )
