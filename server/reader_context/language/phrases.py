"""The phrase a loaded word belongs to: "savage" in "the savage gunmen" loads "savage gunmen", and "weak" in
"weak, indecisive and ineffectual" loads the whole run of adjectives.

The mark stays on the word, which is what the alternatives replace; the phrase is what a reader (and an
annotator of loaded language) takes as the loaded expression. It is found in the parse, never by a list:
adjectives and adverbs carry over to what they modify, a noun takes its own adjectives and compound words in,
and words coordinated with the loaded one ("smears and lies") join it. Bounded so that a mis-parse cannot
swallow a clause: the pieces must be close and of the kinds below.
"""

from __future__ import annotations

from spacy.tokens import Span

# How far (in tokens) a modifier may sit from what it modifies, and how long a coordinated run may grow.
MODIFIER_REACH = 4
COORDINATION_REACH = 8
# Between a modifier and its head only more modifiers and list punctuation may stand ("brutal, failed regime").
_BETWEEN_MODIFIER_AND_HEAD = frozenset({"compound", "amod", "nmod", "advmod", "punct", "cc", "conj", "nummod"})
_IN_A_COORDINATION = frozenset({"ADJ", "PUNCT", "CCONJ", "ADV"})
# Words that end a noun's run of modifiers on the left: a determiner, a verb or a pronoun starts something else.
_NOT_A_MODIFIER = frozenset({"DET", "VERB", "AUX", "PRON"})


def phrase_bounds(span: Span) -> tuple[int, int]:
    """Token bounds (start, end) of the expression `span`'s loaded word belongs to; the span's own when alone."""
    doc = span.doc
    start, end = _coordinated(doc, span.start, span.end)
    start, end = _to_head(doc, start, end)
    start, end = _noun_modifiers(doc, start, end)
    return _coordinated(doc, start, end)


def _coordinated(doc, start: int, end: int) -> tuple[int, int]:
    for token in list(doc[start:end]):
        for other in token.conjuncts:
            # An adjective and a participle used as one ("corrupt and disgraced") are alike enough.
            alike = other.pos_ == token.pos_ or ({other.pos_, token.pos_} <= {"ADJ", "VERB"}
                                                 and other.dep_ in ("amod", "conj"))
            lo, hi = min(other.i, start), max(other.i + 1, end)
            if not alike or hi - lo > COORDINATION_REACH:
                continue
            kinds = _IN_A_COORDINATION | {token.pos_, other.pos_}
            if all(t.pos_ in kinds or start <= t.i < end for t in doc[lo:hi]):
                start, end = lo, hi
    return start, end


def _to_head(doc, start: int, end: int) -> tuple[int, int]:
    while True:
        last = doc[end - 1]
        head = last.head
        if (last.dep_ not in ("amod", "advmod", "compound") or not 0 < head.i - last.i <= MODIFIER_REACH
                or head.pos_ not in ("NOUN", "PROPN", "ADJ")
                or any(t.dep_ not in _BETWEEN_MODIFIER_AND_HEAD for t in doc[end:head.i])):
            return start, end
        end = head.i + 1
        if head.pos_ != "ADJ" or head.dep_ != "amod":  # an adjective modifying a noun carries on to the noun
            return start, end


def _noun_modifiers(doc, start: int, end: int) -> tuple[int, int]:
    head = doc[end - 1]
    if head.pos_ not in ("NOUN", "PROPN"):
        return start, end
    modifiers = [c for c in head.lefts if c.dep_ in ("amod", "compound") and c.i < start]
    if not modifiers:
        return start, end
    first = min(t.i for c in modifiers for t in c.subtree)
    if start - first <= MODIFIER_REACH and all(t.pos_ not in _NOT_A_MODIFIER for t in doc[first:start]):
        return first, end
    return start, end
