"""The Analyzer: blocks in, the contract's AnalyzeResponse out.

It runs the shared spaCy pipeline and the three Reader Context components on each block, then the work that
spans the whole article (grouping names, coherence, the Wikipedia step against the request's deadline), and
shapes the answer. It owns nothing else: the components live in `entities` and `language`, knowledge and
pending cards in `knowledge`, the contract in `contract`.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import threading
import time
from dataclasses import dataclass

from cachetools import TTLCache
from spacy.attrs import IS_PUNCT, IS_SPACE

from . import __version__
from .contract import AnalyzeResponse, Card, Mention, Stats, Term
from .entities import OnlineLinking, collect, content_words, group_mentions
from .entities.article import article_card
from .entities.headlines import confirm_headline_names
from .doctext import remember_text, text_of
from .knowledge import KnowledgeStore, open_knowledge
from .knowledge.lookups import LookupQueue
from .knowledge.online import OnlineKnowledge
from .knowledge.pending import PendingCards
from .language import QUOTED_KEY, framing_profile, term_records
from .nlp import load_pipeline
from .offsets import Visible
from .settings import Settings

RESPONSE_CACHE_SECONDS = 300
PENDING_SECONDS = 600
# What `online: never` links to: the knowledge shipped and imported, nothing a request fetched from Wikipedia.
OFFLINE_SOURCES = frozenset({"embedded", "user"})


@dataclass(frozen=True)
class Block:
    id: str
    text: str
    kind: str | None = None  # what the page says the block is: "quote", "heading", "caption"; None for body text


class ResponseCache:
    """Whole answers by content, for a reader who reloads a page. Kept as JSON, so a hit is a new object
    that no caller can edit into the cache; locked, since request threads share it."""

    def __init__(self, seconds: float = RESPONSE_CACHE_SECONDS, size: int = 512):
        self._items: TTLCache[str, str] = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()

    def get(self, key: str) -> AnalyzeResponse | None:
        with self._lock:
            raw = self._items.get(key)
        return None if raw is None else AnalyzeResponse.model_validate_json(raw)

    def put(self, key: str, response: AnalyzeResponse) -> None:
        raw = response.model_dump_json()
        with self._lock:
            self._items[key] = raw

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class Analyzer:
    """Everything heavy is built on the first call (or by `warm_up`), never at import time."""

    def __init__(self, settings: Settings, store: KnowledgeStore | None = None):
        self.settings = settings
        self._store = store
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self.responses = ResponseCache()
        at_once = settings.nlp_concurrency
        self._passes = threading.BoundedSemaphore(at_once) if at_once else contextlib.nullcontext()

    def warm_up(self) -> None:
        with self._lock:
            if self._ready.is_set():
                return
            st = self.settings
            self.nlp = load_pipeline(st.spacy_model)
            # Components of our own, made from the shared pipeline's factories: each Analyzer may have its
            # own knowledge base, while the model itself is loaded once per process.
            self.mentions = self.nlp.create_pipe("reader_context_mentions")
            self.mentions.use_store(self.store)
            self.linker = self.nlp.create_pipe("reader_context_linker", config=linker_config(st))
            self.linker.use_store(self.store)
            # An invalid lexicon raises here: the server refuses to start rather than run without it.
            self.terms = self.nlp.create_pipe("reader_context_terms")
            self.online = OnlineKnowledge.from_settings(self.store, st)
            self.pending = PendingCards(self.store, self.online.shared, ttl_seconds=PENDING_SECONDS,
                                        most=st.pending_max)
            # The alias index and the term matchers compile on their first Doc: here, not in a reader's request.
            warm = self.nlp("Reader Context warms up in Paris.")
            self.mentions(warm)
            self.terms(warm)
            lookups = LookupQueue(st.wikipedia_max_in_flight, st.wikipedia_queue_size)
            self.online_linking = OnlineLinking(self.linker, self.online, self.pending, lookups,
                                                budget=st.wikipedia_request_budget)
            # The model, the matchers and the alias index are millions of objects that live as long as the process:
            # out of the collector's sight, a full collection no longer walks them in the middle of a request
            # (measured: about a tenth of /analyze's time), and forked workers do not dirty their shared pages.
            gc.freeze()
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
                online: str | None = None) -> AnalyzeResponse:
        self.warm_up()
        started = time.perf_counter()
        online = online or self.settings.online
        # The knowledge base's version is in the key: an answer never outlives a `kb import`, `build` or `warm`.
        key = hashlib.sha256(json.dumps([[b.id, b.text, b.kind] for b in blocks] + [sorted(features), online,
                                        self.store.version()], ensure_ascii=False).encode()).hexdigest()
        cached = self.responses.get(key)
        if cached is not None:
            cached.stats.elapsed_ms, cached.stats.cached = _ms_since(started), True
            return cached

        visible = [Visible.of(b.text) for b in blocks]
        with self._passes:  # the CPU-bound part only: waiting on Wikipedia below takes no turn
            docs = [remember_text(doc, v.text) for doc, v in zip(self.nlp.pipe(v.text for v in visible), visible)]
        by_block = {b.id: v for b, v in zip(blocks, visible)}
        words = sum(_words(doc) for doc in docs)
        mentions: list[Mention] = []
        cards: dict[str, Card] = {}
        pending: list[str] = []
        if "entities" in features:
            for doc in docs:
                self.mentions(doc)
            mentions, cards, pending = self._entities(blocks, docs, online, started)
        records: list[dict] = []
        author_words = words
        if "terms" in features:
            self.terms.read_article(docs, [b.kind for b in blocks])
            author_words -= sum(_quoted_words(doc) for doc in docs)
            for block, doc in zip(blocks, docs):
                for record in term_records(doc):
                    start, end = by_block[block.id].original(record["start"], record["end"])
                    p_start, p_end = by_block[block.id].original(record["phrase"]["start"], record["phrase"]["end"])
                    records.append({**record, "block": block.id, "start": start, "end": end,
                                    "text": block.text[start:end], "phrase": {
                                        "start": p_start, "end": p_end, "text": block.text[p_start:p_end]}})
        texts = {b.id: b.text for b in blocks}
        for m in mentions:
            m.start, m.end = by_block[m.block].original(m.start, m.end)
            m.text = texts[m.block][m.start:m.end]
        profile = framing_profile(records, words=words, author_words=author_words)
        result = AnalyzeResponse(mentions=mentions, terms=[Term(**r) for r in records], cards=cards, pending=pending,
                                 stats=Stats(words=words, **profile, elapsed_ms=_ms_since(started)),
                                 version=__version__)
        if not pending:  # a response still waiting on Wikipedia would freeze the wait in the cache
            self.responses.put(key, result)
        return result

    def _entities(self, blocks: list[Block], docs, online: str, started: float):
        self.linker.sync()
        by_id = list(zip((b.id for b in blocks), docs))
        known = self.mentions.aliases.names()
        found = confirm_headline_names(collect(by_id), by_id, lambda key: key in known)
        groups = group_mentions(found, self.linker.names_a_thing)
        article_words = set().union(*(content_words(text_of(doc)) for doc in docs))  # the text the NLP read
        self.linker.link(groups, article_words, OFFLINE_SOURCES if online == "never" else None)
        waiting: dict[int, str] = {}
        if online != "never":
            deadline = started + self.settings.deadline_ms / 1000
            waiting = self.online_linking.link(groups, article_words, wait=online == "always", deadline=deadline)

        cards: dict[str, Card] = {}
        out: list[Mention] = []
        for g in groups:
            card_id, confidence = g.card_id, g.confidence
            if card_id is None and all(
                    m.found_by == "alias" or m.label == "NORP" for m in g.mentions):
                continue  # a capitalised word the knowledge base knows but could not place: no mark
            if card_id is not None:
                card = cards.get(card_id) or g.chosen.card()
                card.in_article = list(dict.fromkeys(card.in_article + g.contexts))
                cards[card_id] = card
            elif g.contexts:  # while a Wikipedia card is pending too: the reader sees this one meanwhile
                card = article_card(g)
                card_id, confidence, cards[card.id] = card.id, None, card
            for m in g.mentions:
                out.append(Mention(block=m.block, start=m.start, end=m.end, text=m.text, label=m.label or g.label,
                                   card=card_id, confidence=confidence, pending=waiting.get(id(g))))
        order = {b.id: i for i, b in enumerate(blocks)}
        out.sort(key=lambda m: (order[m.block], m.start))
        return out, cards, sorted(set(waiting.values()))

    def cards(self, ids: list[str]) -> tuple[dict[str, Card], list[str]]:
        """Cards by id for GET /cards: knowledge cards, and pending cards once any worker finished them."""
        self.warm_up()
        found = {i: e.card() for i, e in self.store.entities(ids).items()}
        late, waiting = self.pending.get([i for i in ids if i not in found])
        return found | late, waiting

    def lookup(self, name: str) -> Card | None:
        entity = self.store.lookup(name)
        return entity.card() if entity is not None else None


def linker_config(settings: Settings) -> dict:
    """The linker's scoring as the deployment configured it (every other option keeps its default)."""
    return {"threshold": settings.link_threshold,
            "weights": {"prior": settings.weight_prior, "kind": settings.weight_kind,
                        "context": settings.weight_context, "coherence": settings.weight_coherence}}


def _words(doc) -> int:
    """Tokens that are neither punctuation nor white space, read from the Doc's arrays, not token by token."""
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int(len(doc) - (flags.sum(axis=1) > 0).sum()) if len(doc) else 0


def _quoted_words(doc) -> int:
    """Words of the doc in someone else's words (the component's `quoted` spans never overlap)."""
    spans = doc.spans[QUOTED_KEY] if QUOTED_KEY in doc.spans else []
    return sum(1 for span in spans for token in span if not (token.is_punct or token.is_space))


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
