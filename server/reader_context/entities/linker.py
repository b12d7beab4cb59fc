"""`reader_context_linker`: which card, if any, each group of mentions refers to.

Shaped like scispaCy's linker: the component only combines a candidate generator (the knowledge base's
aliases, or Wikipedia's answers for a name) with one scorer, and every threshold and weight is a config
parameter. A candidate's score adds up four things, each in [0, 1]: the alias prior, how well the NER label
fits the entity's kind, how many of the article's words the entity's text shares, and coherence with the
article's other confidently linked entities. Below the threshold the group is NIL: a wrong card is worse
than none. Run on one Doc it links that Doc; the backend runs `link` over the groups of a whole article.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from cachetools import LRUCache
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..knowledge.entity import Entity
from ..knowledge.reads import CachedReads
from ..knowledge.names import alias_key, without_disambiguator
from .aliases import open_default_store
from .article import Group, collect, group_mentions
from .candidates import from_knowledge_base, from_wikipedia
from .headlines import confirm_headline_names
from .vocabulary import vocabulary

# How well an NER label fits an entity kind ("" is no label: only the knowledge base found the name).
# spaCy's small model is often wrong ("Palmyra" is a PERSON to it), so a mismatch lowers the score rather
# than forbidding the link.
KIND_FIT: dict[str, dict[str, float]] = {
    "PERSON": {"person": 1, "other": 0.5, "organization": 0.3, "work": 0.3, "place": 0.4, "event": 0.1, "concept": 0.1},
    "ORG": {"organization": 1, "place": 0.5, "work": 0.5, "other": 0.3, "event": 0.3, "person": 0.2, "concept": 0.2},
    "GPE": {"place": 1, "organization": 0.5, "other": 0.3, "event": 0.2, "person": 0.1, "concept": 0.1, "work": 0.1},
    "LOC": {"place": 1, "event": 0.3, "organization": 0.3, "other": 0.3, "concept": 0.2, "person": 0.1, "work": 0.1},
    "FAC": {"place": 1, "organization": 0.5, "event": 0.3, "work": 0.3, "other": 0.3, "person": 0.1, "concept": 0.1},
    "EVENT": {"event": 1, "work": 0.3, "concept": 0.3, "place": 0.2, "organization": 0.2, "other": 0.3, "person": 0.1},
    "WORK_OF_ART": {"work": 1, "other": 0.5, "event": 0.3, "concept": 0.3, "person": 0.2, "place": 0.1, "organization": 0.2},
    "PRODUCT": {"work": 0.7, "organization": 0.6, "other": 0.6, "concept": 0.5, "place": 0.1, "person": 0.1, "event": 0.1},
    "NORP": {"place": 0.8, "organization": 0.2, "other": 0.2, "concept": 0.1, "person": 0.0, "event": 0.0, "work": 0.0},
    "LAW": {"work": 0.8, "concept": 0.5, "event": 0.4, "other": 0.3, "organization": 0.2, "place": 0.1, "person": 0.1},
    "": {"person": 0.7, "place": 0.7, "organization": 0.7, "event": 0.7, "work": 0.6, "concept": 0.4, "other": 0.4},
}
DEFAULT_CONFIG = {
    "spans_key": "mentions",
    "knowledge": "",
    "threshold": 0.5,
    "weights": {"prior": 0.35, "kind": 0.25, "context": 0.2, "coherence": 0.2},
    "kind_fit": KIND_FIT,
    "shared_words_for_full_context": 6,
    "anchors_for_full_coherence": 2,
    "runner_up_factor": 0.6,  # an alias that is not the strongest for its name is a weaker guess
    "search_prior": 0.6,  # a Wikipedia search hit is a guess the other signals must confirm
    "search_decay": 0.8,  # ... and a weaker one further down the results
    "sports_words_for_team_sense": 3,
    "tie_margin": 0.01,
}
_WORD = re.compile(r"[a-z][a-z\-]{3,}")

for _name, _default in (("card_id", None), ("candidates", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


def content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS}


@dataclass
class Scored:
    candidate: Entity
    prior: float
    kind: float
    context: float
    origin: str
    coherence: float = 0.0
    score: float = 0.0


@Language.factory("reader_context_linker", default_config=DEFAULT_CONFIG,
                  assigns=["span._.card_id", "span._.candidates"], requires=["doc.spans"])
def make_linker(nlp: Language, name: str, spans_key: str, knowledge: str, threshold: float,
                weights: dict[str, float], kind_fit: dict[str, dict[str, float]], shared_words_for_full_context: int,
                anchors_for_full_coherence: int, runner_up_factor: float, search_prior: float, search_decay: float,
                sports_words_for_team_sense: int, tie_margin: float) -> Linker:
    return Linker(spans_key=spans_key, knowledge=knowledge, threshold=threshold, weights=weights, kind_fit=kind_fit,
                  shared_words_for_full_context=shared_words_for_full_context,
                  anchors_for_full_coherence=anchors_for_full_coherence, runner_up_factor=runner_up_factor,
                  search_prior=search_prior, search_decay=search_decay,
                  sports_words_for_team_sense=sports_words_for_team_sense, tie_margin=tie_margin)


class Linker:
    """Sets `Span._.card_id` (None: NIL) and `Span._.candidates` ([(card id, score)], best first) on the
    mentions of a Doc. `knowledge` is a knowledge-base path ("": the settings' one); `use_store` hands over
    an open store instead."""

    def __init__(self, *, spans_key: str = "mentions", knowledge: str = "", **options):
        self.spans_key = spans_key
        self.knowledge = knowledge
        options = {**DEFAULT_CONFIG, **options}
        self.threshold = options["threshold"]
        self.weights = {**DEFAULT_CONFIG["weights"], **options["weights"]}
        self.kind_fit = options["kind_fit"]
        self.shared_words_for_full_context = options["shared_words_for_full_context"]
        self.anchors_for_full_coherence = options["anchors_for_full_coherence"]
        self.runner_up_factor = options["runner_up_factor"]
        self.search_prior, self.search_decay = options["search_prior"], options["search_decay"]
        self.sports_words_for_team_sense = options["sports_words_for_team_sense"]
        self.tie_margin = options["tie_margin"]
        self.store = None
        self._words: LRUCache[str, frozenset[str]] = LRUCache(maxsize=20_000)
        self._words_lock = threading.Lock()  # LRUCache reorders itself on every read

    def use_store(self, store) -> None:
        self.store = CachedReads(store)

    def sync(self) -> None:
        """Forget what was read from the store if it changed since; once per article, before linking it."""
        self.store.sync()

    def __call__(self, doc: Doc) -> Doc:
        if self.store is None:
            self.use_store(open_default_store(self.knowledge))
        self.sync()
        found = confirm_headline_names(collect([("", doc)], self.spans_key), [("", doc)],
                                       lambda key: bool(self.store.lookup_alias(key)))
        groups = group_mentions(found, self.names_a_thing)
        self.link(groups, content_words(doc.text))
        for g in groups:
            ranked = sorted(g.scored, key=lambda s: -s.score)
            for m in g.mentions:
                m.span._.card_id = g.card_id
                m.span._.candidates = [(s.candidate.id, round(s.score, 3)) for s in ranked]
        return doc

    # -- what the base says ------------------------------------------------------------------
    def names_a_thing(self, name: str) -> bool:
        """A one-word name is the title of something other than a person ("Palmyra")."""
        hits = [h for h in self.store.lookup_alias(alias_key(name)) if h.origin == "title"]
        found = self.store.entities(h.entity_id for h in hits)
        return any(e.kind != "person" and not e.common_noun for e in found.values())

    def _entity_words(self, entity: Entity) -> frozenset[str]:
        with self._words_lock:
            words = self._words.get(entity.id)
        if words is None:
            words = frozenset(content_words(entity.context or entity.summary or ""))
            with self._words_lock:
                self._words[entity.id] = words
        return words

    def _related(self, a: Entity, b: Entity) -> bool:
        """One entity's text names the other ("Palmyra ... in central Syria")."""
        if a.id == b.id:
            return False
        a_title, b_title = _title_words(a.title), _title_words(b.title)
        return bool(b_title and b_title <= self._entity_words(a)) or bool(a_title and a_title <= self._entity_words(b))

    # -- scoring: one path for every candidate, wherever it came from -------------------------
    def _scored(self, group: Group, candidates: list[tuple[Entity, float, str]], article_words: set[str]) -> list[Scored]:
        own = content_words(" ".join(group.names))
        fit = self.kind_fit.get(group.label or "", self.kind_fit[""])
        sporty = len(article_words & vocabulary().sports_words) >= self.sports_words_for_team_sense
        out = []
        for entity, prior, origin in candidates:
            if entity.common_noun:
                continue
            # A lone capitalised word no tagger called a name ("Business", "Alligator") is not a concept's name.
            if group.label is None and entity.kind in ("concept", "other") and group.lone_alias_word:
                continue
            # In a match report "England" and "Miami" are teams, which have no card here.
            if (sporty or group.in_match_report) and entity.kind == "place" and group.label in ("GPE", "ORG"):
                continue
            shared = len((self._entity_words(entity) & article_words) - own)
            kind = (self.kind_fit[""] if origin == "surname" and group.label == "ORG" else fit).get(entity.kind, 0.1)
            if group.in_place_frame and group.label in (None, "PERSON"):
                # Where the article puts the name is evidence too; it can only add to what the label says.
                kind = max(kind, self.kind_fit["GPE"].get(entity.kind, 0.1))
            if group.only_in_place_frames and entity.kind == "person":
                # ... and it can take away: nobody lands at a person ("arrived at JFK").
                kind = min(kind, self.kind_fit["GPE"]["person"])
            out.append(Scored(entity, prior, kind, min(1.0, shared / self.shared_words_for_full_context), origin))
        return out

    def _score(self, s: Scored, anchors: list[Entity] | None) -> float:
        if anchors is not None:
            related = sum(self._related(s.candidate, a) for a in anchors)
            s.coherence = min(1.0, related / self.anchors_for_full_coherence)
        w = self.weights
        s.score = w["prior"] * s.prior + w["kind"] * s.kind + w["context"] * s.context + w["coherence"] * s.coherence
        return s.score

    def _choose(self, group: Group, scored: list[Scored], anchors: list[Entity]) -> None:
        group.scored = scored
        for s in scored:
            self._score(s, anchors)
        one_word = all(len(n.split()) == 1 for n in group.names)
        eligible = sorted((s for s in scored if _supported(s, one_word)), key=lambda s: -s.score)
        if eligible:
            best = eligible[0]
            # Two senses the article cannot tell apart ("the South": a region, or the Confederacy) give no card.
            tied = len(eligible) > 1 and best.score - eligible[1].score < self.tie_margin
            if best.score >= self.threshold and not tied:
                group.card_id, group.confidence = best.candidate.id, round(min(1.0, best.score), 3)
                group.chosen = best.candidate

    def link(self, groups: list[Group], article_words: set[str], sources: frozenset[str] | None = None) -> None:
        """Link every group of an article from the knowledge base (its entries of `sources` only, when given)."""
        for g in groups:
            found = [] if g.ambiguous else from_knowledge_base(self.store, g, self.runner_up_factor, sources)
            g.scored = self._scored(g, found, article_words)
            for s in g.scored:
                self._score(s, None)
        # Anchors: groups whose best candidate clears the bar without help from the others.
        anchors = {i: max(g.scored, key=lambda s: s.score).candidate for i, g in enumerate(groups)
                   if g.scored and max(s.score for s in g.scored) >= self.threshold}
        for i, g in enumerate(groups):
            self._choose(g, g.scored, [c for j, c in anchors.items() if j != i])

    def link_online(self, group: Group, entries: list[Entity], article_words: set[str], anchors: list[Entity]) -> None:
        """Link a group the knowledge base could not place from Wikipedia's candidates, scored the same way."""
        self._choose(group, self._scored(group, from_wikipedia(group, entries, self.search_prior, self.search_decay), article_words), anchors)


def _supported(s: Scored, one_word: bool) -> bool:
    """Names that, alone, usually mean something else link only when the article backs them: the
    override file's traps by its words or its other entities, one-word people ("David", "Moses",
    rarely meant by a bare first name in news) by both, a person of a fuller name called by one
    word that is not their surname ("Victoria", "John") by either: a given name alone is anyone's; and a
    town only the places pack knows by another entity of the article it is related to (its state or country)."""
    card = s.candidate
    if card.kind == "person" and " " not in card.title and s.origin in ("title", "needs-support"):
        return s.context >= 0.5 and s.coherence >= 0.5
    if s.origin == "needs-support" or (one_word and card.kind == "person" and s.origin != "surname"):
        return s.context >= 0.5 or s.coherence >= 0.5
    if s.origin == "place":  # a town the places pack alone knows: its state or country must be in the article
        return s.coherence >= 0.5
    return True


def _title_words(title: str) -> set[str]:
    return content_words(without_disambiguator(title))
