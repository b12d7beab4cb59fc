"""`reader_context_mentions`: the names in a Doc that a reader may want a card for, in doc.spans["mentions"].

Three finders, then one named filter that settles their overlaps (swappable through the config, like
SpanRuler's): spaCy's NER; a PhraseMatcher over the knowledge base's aliases, which finds what the base knows
whatever NER says (the small model calls "Palmyra Castle" a PERSON and never finds "Islamic State"); and the
runs of proper nouns both missed ("Fakhr-al-Din al-Maani Castle").

Each span's label is its NER label ("" when only the base or the run finder found it) and `Span._.found_by`
says which finder it came from ("ner", "alias", "run"). `Span._.full_name` is the name a span stands for when
the text leaves part of it to a neighbour ("Orange County" for "Orange" in "Orange and Riverside Counties").
"""

from __future__ import annotations

from collections.abc import Callable, Container

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import registry

from ..knowledge.names import alias_key
from .aliases import AliasIndex, open_default_store
from .runs import proper_runs
from .spans import NEVER_TAGS, capitalised, in_a_hyphenated_name, inside_a_title, shared_plural_head, shouting
from .vocabulary import vocabulary

# NER labels a reader may want a card on. Dates, numbers, quantities and demonyms (NORP) never are.
LINKABLE_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})


Filter = Callable[[list[Span], list[Span], list[Span]], list[Span]]


@Language.factory(
    "reader_context_mentions",
    default_config={"spans_key": "mentions", "knowledge": "", "max_alias_tokens": 8,
                    "filter": {"@misc": "reader_context.choose_mentions.v1"}},
    assigns=["doc.spans"],
    requires=["token.tag", "token.pos", "doc.ents", "doc.sents"],
)
def make_mentions(nlp: Language, name: str, spans_key: str, knowledge: str, max_alias_tokens: int,
                  filter: Filter) -> MentionFinder:
    return MentionFinder(nlp, name, spans_key=spans_key, knowledge=knowledge, max_alias_tokens=max_alias_tokens,
                         filter=filter)


class MentionFinder:
    """`knowledge` is the path of a knowledge-base file ("": the one the settings name, built on first use);
    a backend that already holds an open store hands it over with `use_store`."""

    def __init__(self, nlp: Language, name: str = "reader_context_mentions", *, spans_key: str = "mentions",
                 knowledge: str = "", max_alias_tokens: int = 8, filter: Filter | None = None):
        self.name = name
        self.spans_key = spans_key
        self.knowledge = knowledge
        self.filter = filter or choose_mentions
        self.aliases = AliasIndex(nlp, max_tokens=max_alias_tokens)

    def use_store(self, store) -> None:
        self.aliases.use_store(store)

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Span]:
        if self.aliases.store is None:
            self.aliases.use_store(open_default_store(self.knowledge))
        keys = self.aliases.refresh()
        return _share_plural_heads(self.filter(self._ner(doc, keys), self.aliases.find(doc), proper_runs(doc)), keys)

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        doc.spans[self.spans_key] = sorted(spans, key=lambda s: (s.start, s.end))

    @staticmethod
    def _ner(doc: Doc, keys: Container[str]) -> list[Span]:
        found = []
        for ent in doc.ents:
            if ent.label_ in LINKABLE_LABELS:
                span = _trim(ent, keys)
                if span is not None and len(span) == 1 and span[0].tag_ == "JJ" and len(ent) > 1:
                    # What is left of "Veteran Chilean" once its first word goes is a demonym, not an organisation.
                    ent = Span(doc, span.start, span.end, label="NORP")
                # In a sentence set in capitals NER takes "US" in "LET US FIND OUT" for a country; there only
                # names the knowledge base knows, and that are not ordinary words, count.
                elif span is not None and (not shouting(span) or (
                        span.text.lower() not in STOP_WORDS and alias_key(span.text) in keys)):
                    found.append(span)
            # A demonym ("Russian") gets its country's card when the base knows it, unless it opens a name.
            if ent.label_ == "NORP":
                # NER takes a sentence's first word into a demonym ("Married Pakistani doctor"): the demonym is
                # the last word when every word before it is an ordinary one.
                if (len(ent) > 1 and alias_key(ent.text) not in keys
                        and not any(t.tag_ in ("NNP", "NNPS") for t in ent[:-1])):
                    ent = ent[-1:]
                if (alias_key(ent.text) in keys
                        and not (ent.end < len(doc) and capitalised(doc[ent.end]) and doc[ent.end].tag_ in ("NNP", "NNPS"))):
                    found.append(Span(doc, ent.start, ent.end, label="NORP"))
        return found


def _share_plural_heads(spans: list[Span], keys: Container[str]) -> list[Span]:
    """Names that share a plural head ("Los Angeles, Orange and Riverside Counties") stand for the name with the
    head ("Orange County") where the base knows it, and are no name of their own where it does not; the head
    alone is none."""
    kept = []
    for span in spans:
        shared = shared_plural_head(span)
        if shared is None or shared.in_span and alias_key(span.text) in keys:  # "Cayman Islands" is a name as it is
            kept.append(span)
        elif shared.name and alias_key(shared.name) in keys:
            span._.full_name = shared.name
            kept.append(span)
    return kept

def _trim(span: Span, keys: Container[str] = frozenset()) -> Span | None:
    """Drop leading determiners and lower-case words and trailing possessives from an NER span, and keep one
    line of it: a name never crosses a line break (NER fuses a line's last word with the next line's first).
    A sentence's first word goes too when the tagger calls it an ordinary word and the rest is a demonym
    ("Veteran Chilean diplomat"), unless the whole is a name the base knows ("South Korean")."""
    start, end = span.start, span.end
    doc = span.doc
    breaks = [t.i for t in span if t.is_space and "\n" in t.text]
    if breaks:
        pieces = zip([start] + [b + 1 for b in breaks], breaks + [end])
        start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
    while start < end and (doc[start].tag_ in NEVER_TAGS or not capitalised(doc[start])) and not doc[start].like_num:
        start += 1
    if (end - start > 1 and doc[start].is_sent_start and doc[start].tag_ not in ("NNP", "NNPS")
            and capitalised(doc[start + 1]) and not any(t.tag_ in ("NNP", "NNPS") for t in doc[start + 1:end])
            and alias_key(doc[start:end].text) not in keys):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return Span(doc, start, end, label=span.label_)


@registry.misc("reader_context.choose_mentions.v1")
def make_choose_mentions() -> Filter:
    return choose_mentions


def choose_mentions(ner: list[Span], alias: list[Span], runs: list[Span]) -> list[Span]:
    """Settle the overlaps of the three finders into non-overlapping mentions.

    - NER wins, except where it fused two names the base knows ("UNESCO World Heritage Site").
    - An alias longer than the NER spans it overlaps replaces them ("Fakhr-al-Din al-Maani Castle", not "Castle").
    - A proper-noun run replaces the shorter names inside it ("Wales" in "Arriva Buses Wales"), unless it is
      only those names and title words ("President Vladimir Putin", "Syria and Russia").
    - Nothing inside the title of something else ("Houston" in a quoted 'Houston's Top Dentists'), nor a word
      of a hyphenated name ("Stalingrad" in "Bataille-de-Stalingrad").

    Sets `Span._.found_by` on the spans it keeps, and only on those: extension values belong to a span's
    offsets, so the finders' rival spans over the same words must not write them.
    """
    found_by = {id(s): by for spans, by in ((ner, "ner"), (alias, "alias"), (runs, "run")) for s in spans}
    chosen: list[Span] = []
    for span in sorted(ner, key=lambda s: s.start):
        inner = [a for a in alias if a.start >= span.start and a.end <= span.end]
        exact = any(a.start == span.start and a.end == span.end for a in inner)
        capitals = sum(1 for t in span if capitalised(t))
        if not exact and len(inner) >= 2 and sum(len(a) for a in inner) >= capitals:
            chosen.extend(_relabel(a, "", found_by) for a in inner)
        else:
            chosen.append(span)
    taken = {i for s in chosen for i in range(s.start, s.end)}
    for span in alias:
        positions = set(range(span.start, span.end))
        if not positions & taken:
            chosen.append(span)
            taken |= positions
        elif positions <= taken:
            continue
        else:
            overlapped = [s for s in chosen if s.start < span.end and span.start < s.end]
            if all(len(s) < len(span) for s in overlapped):
                for s in overlapped:
                    chosen.remove(s)
                chosen.append(_relabel(span, overlapped[0].label_ if len(overlapped) == 1 else "", found_by))
                taken = {i for s in chosen for i in range(s.start, s.end)}
    title_words = vocabulary().title_words
    for run in runs:
        if any(s.start <= run.start and s.end >= run.end for s in chosen):
            continue  # NER or an alias has this name already, whole
        inside = [s for s in chosen if s.start >= run.start and s.end <= run.end and len(s) < len(run)]
        if any(s.start < run.end and run.start < s.end and (s.start < run.start or s.end > run.end) for s in chosen):
            continue
        covered = {i for s in inside for i in range(s.start, s.end)}
        rest = [t for t in run if t.i not in covered and capitalised(t) and t.lower_ not in title_words]
        if inside and not rest:
            continue
        for s in inside:
            chosen.remove(s)
        chosen.append(run)
    kept = [s for s in chosen if not inside_a_title(s) and not in_a_hyphenated_name(s)]
    for s in kept:
        s._.found_by = found_by[id(s)]
    return kept


def _relabel(span: Span, label: str, found_by: dict[int, str]) -> Span:
    """The same words under another label; still found by the finder that found `span`."""
    out = Span(span.doc, span.start, span.end, label=label)
    found_by[id(out)] = found_by[id(span)]
    return out
