"""Facts about a span of a Doc that the finders and the filter share: capitals, shouting, quoted titles."""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..knowledge.names import is_acronym
from .vocabulary import vocabulary

# Which finder found a mention: "ner", "alias" (a knowledge-base name) or "run" (proper nouns).
if not Span.has_extension("found_by"):
    Span.set_extension("found_by", default=None)

# Tags that never start or make a name: pronouns, determiners, numbers, "there".
NEVER_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "CD", "EX"})
QUOTE_MARKS = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"})


def capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def shouting(span: Span) -> bool:
    """A headline or sentence set in capitals, where "WHO" and "US" may be ordinary words."""
    letters = [ch for ch in span.sent.text if ch.isalpha()]
    return len(letters) > 12 and sum(ch.isupper() for ch in letters) / len(letters) > 0.8


def inside_a_title(span: Span) -> bool:
    """A name inside the title of something else is not that name: "Houston" in the quoted
    'Houston's Top Dentists', "Wales" in "Rape Crisis (England and Wales)"."""
    doc, sent = span.doc, span.sent
    connectors = vocabulary().connectors
    # A short quotation in Title Case is the title of a work, list or award.
    left = next((t.i for t in reversed(doc[sent.start:span.start]) if t.text in QUOTE_MARKS or t.tag_ == "``"), None)
    right = next((t.i for t in doc[span.end:sent.end]
                  if t.text in QUOTE_MARKS or t.tag_ in ("''", "POS") and t.text != "'s"), None)
    if left is not None and right is not None and right - left - 1 <= 8:
        words = [t for t in doc[left + 1:right] if t.is_alpha]
        if len(words) > len(span) and all(capitalised(t) or t.lower_ in connectors for t in words):
            return True
    # A parenthesis of names right after a capitalised name qualifies that name.
    opening = next((t.i for t in reversed(doc[sent.start:span.start]) if t.text in "()"), None)
    if opening is not None and doc[opening].text == "(" and opening > sent.start and capitalised(doc[opening - 1]):
        close = next((t.i for t in doc[span.end:sent.end] if t.text == ")"), None)
        if close is not None and not is_acronym(span.text):
            inner = [t for t in doc[opening + 1:close] if t.is_alpha]
            return all(capitalised(t) or t.lower_ == "and" for t in inner)
    return False
