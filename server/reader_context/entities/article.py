"""Article-level work over the mentions of every block: grouping them by entity, what the article says of
each entity, and the card built from the article's own words for a name no knowledge source knows."""

from __future__ import annotations

import re

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from ..knowledge.entity import Card, Entity
from ..knowledge.kinds import classify
from ..knowledge.names import alias_key
from .context import appositive_after, names_introduced, title_before
from ..doctext import text_of
from .spans import sentence_of
from .vocabulary import vocabulary

if TYPE_CHECKING:
    from .linker import Scored

KIND_OF_LABEL = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
    "EVENT": "event", "WORK_OF_ART": "work", "PRODUCT": "other", "LAW": "work",
}
ARTICLE_SUMMARY_CHARS = 300
DESCRIPTION_CHARS = 120


@dataclass
class Mention:
    block: str
    start: int  # code points into the block text the NLP read
    end: int
    text: str
    label: str | None  # NER label, or None when only the alias matcher or the run finder found it
    span: Span
    found_by: str = "ner"  # "ner", "alias" (knowledge-base name) or "run" (proper nouns)


def collect(docs: Iterable[tuple[str, Doc]], spans_key: str = "mentions") -> list[Mention]:
    """The mentions the `reader_context_mentions` component left in each block's Doc."""
    return [
        # `text` is what grouping and linking go by: the full name where the span's words leave part of it to a
        # neighbour ("Orange" of "Orange and Riverside Counties"); the backend reads the words back by offset.
        Mention(block=block, start=s.start_char, end=s.end_char, text=s._.full_name or s.text, label=s.label_ or None, span=s,
                found_by=s._.found_by or "ner")
        for block, doc in docs for s in doc.spans.get(spans_key, [])
    ]


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
    lone_alias_word: bool = False  # every mention one capitalised word only the alias matcher found
    in_place_frame: bool = False  # a mention stands where a place does ("in Palmyra", "visited Palmyra")
    only_in_place_frames: bool = False  # ... and every mention does, after a preposition that only takes places
    in_match_report: bool = False  # a mention's sentence reports a game ("Chicago edged Detroit 4-2")
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
    introduces = {id(m): names_introduced(m.span) for m in mentions}
    for m in mentions:
        for introduced in introduces[id(m)]:
            other = by_key.get(alias_key(introduced))
            if other is not None:
                merge(by_key[alias_key(m.text)], other)

    groups = list({id(g): g for g in by_key.values()}.values())
    for g in groups:
        g.mentions.sort(key=lambda m: (m.block, m.start))
        # The fullest name first; between equals, the one the article uses most ("ISIS", not "Daesh").
        uses = Counter(m.text for m in g.mentions)
        g.names = sorted(uses, key=lambda n: (-len(n.split()), -uses[n], -len(n), n))
        g.lone_alias_word = all(m.found_by == "alias" and len(m.span) == 1 for m in g.mentions)
        g.in_place_frame = any(in_place_frame(m.span) for m in g.mentions)
        g.only_in_place_frames = all(in_place_frame(m.span, strict=True) for m in g.mentions)
        g.in_match_report = any(reports_a_game(sentence_of(m.span)) for m in g.mentions)
        labels = Counter(m.label for m in g.mentions if m.label)
        g.label = labels.most_common(1)[0][0] if labels else None
        own = {alias_key(n) for n in g.names}
        for m in g.mentions:
            for ctx in (title_before(m.span), appositive_after(m.span), *(f"also known as {n}" for n in introduces[id(m)])):
                if ctx and ctx not in g.contexts and alias_key(ctx) not in own:
                    g.contexts.append(ctx)
    return groups




def article_card(group: Group) -> Card:
    """A card from the article's own words, for a name no knowledge source knows: what the article calls it
    (at most DESCRIPTION_CHARS, whole phrases only) and the sentence that first names it."""
    first = text_of_sentence(group.mentions[0].span).strip() if group.mentions else ""
    first = " ".join(first.split())
    if len(first) > ARTICLE_SUMMARY_CHARS:
        first = first[:ARTICLE_SUMMARY_CHARS].rsplit(" ", 1)[0] + "\u2026"
    described: list[str] = []
    for context in group.contexts:
        if len("; ".join([*described, context])) > DESCRIPTION_CHARS:
            break
        described.append(context)
    return Card(
        id=f"article:{group.name}", title=group.name, kind=kind_from_article(group), description="; ".join(described),
        summary=first, url=None, source="article", attribution="From this article", thumbnail=None,
        in_article=list(group.contexts),
    )


def kind_from_article(group: Group) -> str:
    """What the article calls the thing decides its kind before the NER label does: a title before the name
    ("Sen.", "Cardinal", "Prime Minister") or an affiliation after it ("Irina Bokova, of UNESCO") makes a
    person, and the head noun of an appositive ("a Danish tabloid", "a spokesman for ...") its own kind."""
    titles = vocabulary().title_words
    for context in group.contexts:
        words = context.lower().split()
        if not words or context.startswith("also known as"):
            continue
        if words[-1] in titles or words[-1].rstrip(".") in titles:
            return "person"
        if words[0] == "of" and len(group.name.split()) >= 2 and group.label in (None, "PERSON", "ORG"):
            return "person"  # the news convention for a person's affiliation
        kind = classify(context)
        if kind not in ("concept", "other"):
            return kind
    return KIND_OF_LABEL.get(group.label or "", "other")


def text_of_sentence(span: Span) -> str:
    sent = sentence_of(span)
    return text_of(span.doc)[sent.start_char:sent.end_char]


def in_place_frame(span: Span, strict: bool = False) -> bool:
    """The name is the object of a locative preposition or of a verb whose object is a place. `strict`: of a
    preposition that takes nothing but places ("arrived at JFK"; not "a letter to Pelosi"), and not of a verb."""
    root, words = span.root, vocabulary()
    if root.dep_ == "pobj":
        prep = root.head
        if strict:
            # "at" takes places after a noun or a verb of coming and going, and people after a mood ("angry at").
            return prep.lower_ in words.place_only_prepositions and (
                prep.lower_ != "at" or prep.head.pos_ == "NOUN" or prep.head.lemma_.lower() in words.arrival_verbs)
        return prep.lower_ in words.place_prepositions
    return not strict and root.dep_ == "dobj" and root.head.lemma_.lower() in words.place_verbs


_SCORE = re.compile(r"(?<![\d.,])\d{1,3}\s?[-\u2013:]\s?\d{1,3}(?![\d%.,]|\s?(?:a\.m|p\.m|per|percent))")


def reports_a_game(sentence: Span) -> bool:
    """Two words of a match report ("scored", "hat-trick"), or a result verb with one of them or with a score
    ("beat ... 5-3"). Short texts get no article-wide count, so a sentence's own words decide whether "Boston"
    is a team."""
    known = sentence.doc.user_data.setdefault("reader_context.match_reports", {})
    if sentence.start not in known:
        known[sentence.start] = _reports_a_game(sentence)
    return known[sentence.start]


def _reports_a_game(sentence: Span) -> bool:
    words = vocabulary()
    lemmas = [t.lemma_.lower() for t in sentence]
    sports = sum(1 for t, lemma in zip(sentence, lemmas) if lemma in words.sports_words
                 or (t.pos_ == "VERB" and lemma in words.sports_verbs))
    results = sum(1 for t, lemma in zip(sentence, lemmas) if t.pos_ == "VERB" and lemma in words.result_verbs)
    return sports >= 2 or (sports >= 1 and results >= 1) or (sports + results >= 1 and bool(_SCORE.search(sentence.text)))
