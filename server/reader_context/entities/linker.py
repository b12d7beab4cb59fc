"""Linking: which card, if any, each name in an article refers to.

Names are grouped first (repeats, a surname after the full name, names the article says are the same
entity), then each group is linked once. A candidate's score adds up four things, each in [0, 1]:
the alias prior, how well the NER label fits the entity's kind, how many of the article's words the
card's text shares, and coherence with the article's other confidently linked entities. Below the
threshold the group is NIL: a wrong card is worse than none.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from cachetools import LRUCache
from spacy.lang.en.stop_words import STOP_WORDS

from ..knowledge.names import alias_key, is_acronym
from ..knowledge.entity import Entity
from ..knowledge.store import KnowledgeStore
from ..settings import Settings
from .context import appositive_after, names_introduced, title_before
from .spotter import Mention

# How well an NER label fits an entity kind. spaCy's small model is often wrong ("Palmyra" is a
# PERSON to it), so a mismatch lowers the score rather than forbidding the link.
KIND_FIT: dict[str | None, dict[str, float]] = {
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
    None: {"person": 0.7, "place": 0.7, "organization": 0.7, "event": 0.7, "work": 0.6, "concept": 0.4, "other": 0.4},
}
SHARED_WORDS_FOR_FULL_CONTEXT = 6
SPORTS_WORDS = frozenset("""rugby football soccer cricket basketball baseball hockey tennis match matches coach squad
    league tournament championship fixture fixtures striker midfielder goalkeeper quarterback innings wicket wickets
    scrum try tries touchdown playoffs playoff semi-final semifinal quarter-final final season kickoff kick-off
    referee stadium captain defender forward winger pitch inning""".split())
SPORTS_WORDS_FOR_TEAM_SENSE = 3
ANCHORS_FOR_FULL_COHERENCE = 2
RUNNER_UP_FACTOR = 0.6
SEARCH_PRIOR = 0.6  # a search hit is a guess the other signals must confirm
SEARCH_DECAY = 0.8  # an alias that is not the strongest for its name is a weaker guess
_WORD = re.compile(r"[a-z][a-z\-]{3,}")


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


@dataclass
class Group:
    """The mentions of one entity in one article."""

    mentions: list[Mention]
    names: list[str] = field(default_factory=list)  # distinct surface forms, longest first
    label: str | None = None
    contexts: list[str] = field(default_factory=list)
    scored: list[Scored] = field(default_factory=list)
    card_id: str | None = None
    confidence: float = 0.0
    ambiguous: bool = False  # a short name the article gives to more than one entity
    chosen: Entity | None = None

    @property
    def name(self) -> str:
        return self.names[0]


def group_mentions(mentions: list[Mention], names_a_thing=lambda name: False) -> list[Group]:
    """Group the mentions of one article by entity. `names_a_thing(name)` says a one-word name is
    the title of something other than a person ("Palmyra"), so "Palmyra" is not short for a
    "Palmyra Castle" that NER took for a person."""
    by_key: dict[str, Group] = {}
    for m in mentions:
        by_key.setdefault(alias_key(m.text), Group(mentions=[])).mentions.append(m)

    def merge(into: Group, other: Group) -> None:
        if into is other:
            return
        into.mentions.extend(other.mentions)
        for k, g in by_key.items():
            if g is other:
                by_key[k] = into

    # One name alone after the full name ("Putin" after "Vladimir Putin", "Taylor" after "Taylor
    # Swift") is that person. With two fuller names to choose from ("David Frost", "David Cameron")
    # it is neither, and it is no other David either.
    keys = list(by_key)
    # "Donald J. Trump" and "Donald Trump": one person with and without the middle initial.
    people = [k for k in keys if " " in k and any(m.label == "PERSON" for m in by_key[k].mentions)]
    for k in people:
        for other in people:
            words, other_words = k.split(), other.split()
            if k != other and words[0] == other_words[0] and words[-1] == other_words[-1]:
                merge(by_key[k], by_key[other])
    for short in keys:
        if " " in short:
            continue
        group = by_key[short]
        if not {m.label for m in group.mentions} <= {"PERSON", "ORG", None} or names_a_thing(group.mentions[0].text):
            continue
        fuller_keys = [k for k in keys if k.endswith(" " + short) or k.startswith(short + " ")]
        # People first: "Taylor" after "Taylor Swift" is her, whatever stray "VMA Taylor" NER missed.
        # Only people: "Palmyra" is not a short form of "Palmyra Castle".
        fuller = {id(by_key[k]): by_key[k] for k in fuller_keys if any(m.label == "PERSON" for m in by_key[k].mentions)}
        if len(fuller) == 1:
            merge(next(iter(fuller.values())), group)
        elif len(fuller) > 1:
            group.ambiguous = True

    # Names the article itself ties together ("ISIS – also known as Daesh").
    for m in mentions:
        for introduced in names_introduced(m.span):
            other = by_key.get(alias_key(introduced))
            if other is not None:
                merge(by_key[alias_key(m.text)], other)

    groups = list({id(g): g for g in by_key.values()}.values())
    for g in groups:
        g.mentions.sort(key=lambda m: (m.block, m.start))
        # The fullest name first; between equals, the one the article uses most ("ISIS", not "Daesh").
        uses = Counter(m.text for m in g.mentions)
        g.names = sorted(uses, key=lambda n: (-len(n.split()), -uses[n], -len(n), n))
        labels = Counter(m.label for m in g.mentions if m.label)
        g.label = labels.most_common(1)[0][0] if labels else None
        for m in g.mentions:
            for ctx in (title_before(m.span), appositive_after(m.span), *(f"also known as {n}" for n in names_introduced(m.span))):
                if ctx and ctx not in g.contexts and alias_key(ctx) not in {alias_key(n) for n in g.names}:
                    g.contexts.append(ctx)
    return groups


class Linker:
    def __init__(self, store: KnowledgeStore, settings: Settings):
        self.store = store
        self.settings = settings
        self._words: LRUCache[str, set[str]] = LRUCache(maxsize=20_000)

    def _entity_words(self, cand: Entity) -> set[str]:
        words = self._words.get(cand.id)
        if words is None:
            words = content_words(cand.context or cand.summary or "")
            self._words[cand.id] = words
        return words

    def names_a_thing(self, name: str) -> bool:
        hits = [h for h in self.store.lookup_alias(alias_key(name)) if h.origin == "title"]
        found = self.store.entities(h.entity_id for h in hits)
        return any(c.kind != "person" and not c.common_noun for c in found.values())

    def _related(self, a: Entity, b: Entity) -> bool:
        """One entity's card text names the other ("Palmyra ... in central Syria")."""
        if a.id == b.id:
            return False
        a_title, b_title = _title_words(a.title), _title_words(b.title)
        return bool(b_title and b_title <= self._entity_words(a)) or bool(a_title and a_title <= self._entity_words(b))

    def _candidates(self, group: Group, article_words: set[str]) -> list[Scored]:
        hits = {}
        # The fullest names the knowledge base knows: "Donald Trump" for a group holding "Donald J.
        # Trump" and "Trump"; a surname alone only when no fuller name of the group is known.
        found_by_name = {n: self.store.lookup_alias(alias_key(n)) for n in group.names}
        known = [n for n in group.names if found_by_name[n]]
        fullest = len(known[0].split()) if known else 0
        for name in (n for n in known if len(n.split()) == fullest):
            found = found_by_name[name]
            strongest = max(h.weight for h in found)
            for h in found:
                if not _case_fits(name, h.alias):
                    continue
                # "List" is a surname too: a lone surname names a person only when NER found it as a name
                # (PERSON, or ORG, which the small model gives many a lone surname: "Trump hates ...").
                if h.origin == "surname" and group.label not in ("PERSON", "ORG"):
                    continue
                if (h.origin == "demonym") != (group.label == "NORP"):
                    continue
                prior = h.weight if h.weight >= strongest else h.weight * RUNNER_UP_FACTOR
                if h.entity_id not in hits or hits[h.entity_id][0] < prior:
                    hits[h.entity_id] = (prior, h.origin)
        if not hits:
            return []
        entities = self.store.entities(hits)
        if fullest < len(group.names[0].split()):
            # Known only by a shorter name: the entity must still bear the full one ("Stephanie Hoff" is
            # not Jacobus van 't Hoff; "Donald J. Trump" is Donald Trump).
            full = {w for w in alias_key(group.names[0]).split() if not (len(w) <= 2 and w.endswith("."))}
            entities = {i: c for i, c in entities.items() if full <= set(alias_key(c.title).split())}
        own = content_words(" ".join(group.names))
        fit = KIND_FIT.get(group.label, KIND_FIT[None])
        scored = []
        for eid, (prior, origin) in hits.items():
            cand = entities.get(eid)
            if cand is None or cand.common_noun:
                continue
            # A lone capitalised word no tagger called a name ("Business", "Alligator") is not a concept's name.
            if group.label is None and cand.kind in ("concept", "other") and all(
                    m.found_by == "alias" and len(m.span) == 1 for m in group.mentions):
                continue
            shared = len((self._entity_words(cand) & article_words) - own)
            kind_fit = (KIND_FIT[None] if origin == "surname" and group.label == "ORG" else fit).get(cand.kind, 0.1)
            scored.append(Scored(cand, prior, kind_fit, min(1.0, shared / SHARED_WORDS_FOR_FULL_CONTEXT), origin))
        return scored

    def _score(self, s: Scored) -> float:
        st = self.settings
        return (st.weight_prior * s.prior + st.weight_kind * s.kind + st.weight_context * s.context
                + st.weight_coherence * s.coherence)

    def link(self, groups: list[Group], article_words: set[str]) -> None:
        threshold = self.settings.link_threshold
        sporty = len(article_words & SPORTS_WORDS) >= SPORTS_WORDS_FOR_TEAM_SENSE
        for g in groups:
            if g.ambiguous:
                continue
            g.scored = self._candidates(g, article_words)
            if sporty:
                # In a match report "England" and "Miami" are teams, which have no card here.
                g.scored = [s for s in g.scored if not (s.candidate.kind == "place" and g.label in ("GPE", "ORG"))]
            for s in g.scored:
                s.score = self._score(s)

        # Anchors: groups whose best candidate clears the bar without help from the others.
        anchors = {}
        for i, g in enumerate(groups):
            if g.scored:
                best = max(g.scored, key=lambda s: s.score)
                if best.score >= threshold:
                    anchors[i] = best.candidate
        for i, g in enumerate(groups):
            others = [c for j, c in anchors.items() if j != i]
            for s in g.scored:
                related = sum(self._related(s.candidate, o) for o in others)
                s.coherence = min(1.0, related / ANCHORS_FOR_FULL_COHERENCE)
                s.score = self._score(s)
            eligible = [s for s in g.scored if _supported(s)]
            if not eligible:
                continue
            best = max(eligible, key=lambda s: s.score)
            if best.score >= threshold:
                g.card_id, g.confidence = best.candidate.id, round(min(1.0, best.score), 3)
                g.chosen = best.candidate

    def link_online(self, group: Group, entries: list[Entity], article_words: set[str],
                    anchors: list[Entity]) -> None:
        """Score Wikipedia's candidates for a group the embedded base could not place, the same way.

        The entry Wikipedia reaches by the name itself (its title or a redirect) has the full prior;
        search results a smaller one, falling with their rank.
        """
        name = alias_key(group.name)
        fit = KIND_FIT.get(group.label, KIND_FIT[None])
        own = content_words(" ".join(group.names))
        scored = []
        for rank, entry in enumerate(entries):
            if any(alias_key(a) == name for a, _, _ in entry.aliases):
                if not any(_case_fits(n, a) for n in group.names for a, _, _ in entry.aliases if alias_key(a) == alias_key(n)):
                    continue
                prior, origin = 1.0, "title"
            else:
                prior, origin = SEARCH_PRIOR * SEARCH_DECAY ** rank, "search"
            if entry.common_noun:
                continue
            shared = len((self._entity_words(entry) & article_words) - own)
            s = Scored(entry, prior, fit.get(entry.kind, 0.1), min(1.0, shared / SHARED_WORDS_FOR_FULL_CONTEXT), origin)
            s.coherence = min(1.0, sum(self._related(entry, a) for a in anchors) / ANCHORS_FOR_FULL_COHERENCE)
            s.score = self._score(s)
            scored.append(s)
        eligible = [s for s in scored if _supported(s)]
        if eligible:
            best = max(eligible, key=lambda s: s.score)
            if best.score >= self.settings.link_threshold:
                group.card_id, group.confidence = best.candidate.id, round(min(1.0, best.score), 3)
                group.chosen = best.candidate


def _supported(s: Scored) -> bool:
    """Names that, alone, usually mean something else link only when the article backs them: the
    override file's traps by its words or its other entities, one-word people ("David", "Moses",
    rarely meant by a bare first name in news) by both."""
    entity = s.candidate
    if entity.kind == "person" and " " not in entity.title and s.origin in ("title", "needs-support"):
        return s.context >= 0.5 and s.coherence >= 0.5
    if s.origin == "needs-support":
        return s.context >= 0.5 or s.coherence >= 0.5
    return True


def _title_words(title: str) -> set[str]:
    return content_words(re.sub(r"\s*\([^)]*\)$", "", title))


def _case_fits(mention: str, alias: str) -> bool:
    """ "ISIS" is not "Isis", and "us" is not "US"; "Nato" may be "NATO"."""
    if is_acronym(mention):
        # "LONDON (Reuters) -": a dateline in capitals is the name it spells.
        if len(mention) >= 5 and " " not in mention and not is_acronym(alias) and alias.lower() == mention.lower():
            return True
        return alias.replace(".", "") == mention.replace(".", "") or (
            not is_acronym(alias) and len(mention) > 4 and alias.lower() == mention.lower() and " " in alias
        )
    if is_acronym(alias):
        return len(alias) >= 4 and alias.lower() == mention.lower()
    return True


