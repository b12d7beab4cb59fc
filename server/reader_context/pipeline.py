"""One Analyzer: blocks -> spaCy Docs -> entity mentions and loaded terms -> the /analyze response."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Literal

from . import __version__
from .entities import Linker, group_mentions, spot
from .entities.linker import content_words
from .knowledge import KnowledgeStore, open_knowledge
from .knowledge.card import Card
from .language import TermDetector, framing_profile, load_lexicon
from .nlp import load_pipeline
from .settings import Settings

Feature = Literal["entities", "terms"]
KIND_OF_LABEL = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
    "EVENT": "event", "WORK_OF_ART": "work", "PRODUCT": "other", "LAW": "work",
}
ARTICLE_SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Block:
    id: str
    text: str


class Analyzer:
    """Holds the process's pipeline, knowledge store, linker and term detector.

    Everything heavy is built on the first call (or by `warm_up`), never at import time.
    """

    def __init__(self, settings: Settings, store: KnowledgeStore | None = None):
        self.settings = settings
        self._store = store
        self._ready = threading.Event()
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._ready.is_set():
                return
            self.nlp = load_pipeline(self.settings.spacy_model)
            if self._store is None:
                self._store = open_knowledge(self.settings.knowledge_path)
            self.linker = Linker(self._store, self.settings)
            # An invalid lexicon raises here: the server refuses to start rather than run without it.
            self.detector = TermDetector(load_lexicon(), self.nlp)
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
        docs = list(self.nlp.pipe(b.text for b in blocks))
        words = sum(1 for doc in docs for t in doc if not (t.is_punct or t.is_space))

        mentions_out: list[dict] = []
        cards: dict[str, dict] = {}
        if "entities" in features:
            mentions_out, cards = self._entities(blocks, docs)

        terms_out: list[dict] = []
        if "terms" in features:
            for block, doc in zip(blocks, docs):
                for term in self.detector.find(doc):
                    terms_out.append({"block": block.id, **term})

        stats = {"words": words, **framing_profile(terms_out, words=words)}
        stats["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return {
            "mentions": mentions_out,
            "terms": terms_out,
            "cards": cards,
            "pending": [],
            "stats": stats,
            "version": __version__,
        }

    def _entities(self, blocks: list[Block], docs: list) -> tuple[list[dict], dict[str, dict]]:
        mentions = []
        keys, weak = self.store.alias_keys(), self.store.weak_keys()
        for block, doc in zip(blocks, docs):
            mentions.extend(spot(doc, block.id, keys, weak))
        groups = group_mentions(mentions, self.linker.names_a_thing)
        article_words = set().union(*(content_words(doc.text) for doc in docs)) if docs else set()
        self.linker.link(groups, article_words)

        linked = self.store.cards(g.card_id for g in groups if g.card_id)
        cards: dict[str, dict] = {}
        out: list[dict] = []
        for g in groups:
            card_id, confidence = g.card_id, g.confidence
            if card_id is None and all(m.found_by == "alias" or m.label == "NORP" for m in g.mentions):
                continue  # a capitalised word the knowledge base knows but could not place: no mark
            if card_id is not None:
                card = cards.get(card_id) or linked[card_id].to_dict()
                card["in_article"] = list(dict.fromkeys(card.get("in_article", []) + g.contexts))
                cards[card_id] = card
            elif g.contexts:
                card = self._article_card(g)
                card_id, confidence = card.id, None
                cards[card_id] = card.to_dict()
            for m in g.mentions:
                out.append({"block": m.block, "start": m.start, "end": m.end, "text": m.text,
                            "label": m.label or g.label, "card": card_id, "confidence": confidence})
        order = {b.id: i for i, b in enumerate(blocks)}
        out.sort(key=lambda m: (order[m["block"]], m["start"]))
        return out, cards

    @staticmethod
    def _article_card(g) -> Card:
        """A card from the article's own words, for a name no knowledge source knows."""
        first = g.mentions[0].span.sent.text.strip()
        if len(first) > ARTICLE_SUMMARY_CHARS:
            first = first[:ARTICLE_SUMMARY_CHARS].rsplit(" ", 1)[0] + "\u2026"
        return Card(
            id=f"article:{g.name}", title=g.name, kind=KIND_OF_LABEL.get(g.label or "", "other"),
            description="; ".join(g.contexts[:3]), summary=first, url=None, source="article",
            attribution="From this article", in_article=list(g.contexts),
        )
