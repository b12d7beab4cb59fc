"""What the article itself says about an entity: titles before the name, appositives after it, and
the other names it introduces ("ISIS – also known as Daesh")."""

from __future__ import annotations

import re

from spacy.tokens import Span

from ..knowledge.names import abbreviates, is_acronym

MAX_CONTEXT_TOKENS = 20
_ALSO_KNOWN = re.compile(
    r"^\s*[,(\-\u2013\u2014]?\s*(?:also|otherwise|better|commonly|formerly|widely)?\s*(?:known|called|referred to|dubbed)"
    r"\s+as\s+(?:the\s+)?([A-Z][\w\-']*(?:\s+(?:of|al|the|[A-Z][\w\-']*))*)"
)
_PAREN_NAME = re.compile(r"^\s*\(\s*([A-Z][\w\-'.]*(?:\s+[A-Z][\w\-'.]*){0,3})\s*\)")


def _clip(span: Span) -> str:
    tokens = list(span)[:MAX_CONTEXT_TOKENS]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    if not tokens:
        return ""
    text = span.doc[tokens[0].i : tokens[-1].i + 1].text
    return text + ("\u2026" if len(span) > MAX_CONTEXT_TOKENS else "")


def title_before(span: Span) -> str | None:
    """ "Russian President Vladimir Putin" -> "Russian President"."""
    doc = span.doc
    lefts = [t for t in span.root.lefts if t.i < span.start and t.dep_ in ("compound", "amod", "nmod")]
    if not lefts:
        return None
    start = min(t.left_edge.i for t in lefts)
    words = doc[start : span.start]
    if any(t.tag_ in ("POS", "PRP$", "DT") or t.is_punct for t in words):
        words = doc[max(t.i for t in words if t.tag_ in ("POS", "PRP$", "DT") or t.is_punct) + 1 : span.start]
    if not len(words) or not any(t.text[:1].isupper() and t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return words.text


def appositive_after(span: Span) -> str | None:
    """ "Irina Bokova, of UNESCO," -> "of UNESCO"; "UNESCO, the UN agency that ..." -> "the UN agency ..."."""
    doc = span.doc
    if span.end >= len(doc) or doc[span.end].text not in (",", "(", "\u2013", "\u2014"):
        return None
    for child in span.root.rights:
        if child.i <= span.end:
            continue
        if child.dep_ == "appos" or (child.dep_ == "prep" and child.i == span.end + 1):
            sub = doc[child.left_edge.i : child.right_edge.i + 1]
            if sub.start == span.end + 1 or (child.dep_ == "appos" and sub.start <= span.end + 2):
                text = _clip(sub)
                # "Taylor, 27," gives an age, not who she is.
                return text if text and any(ch.isalpha() for ch in text) else None
    return None


def names_introduced(span: Span) -> list[str]:
    """Other names given for the entity right after it: "ISIS – also known as Daesh", "(ISIL)"."""
    # A few tokens after the name, not doc.text: spaCy rebuilds the whole text on every access.
    doc = span.doc
    rest = span[-1].whitespace_ + doc[span.end : min(len(doc), span.end + 30)].text
    found = []
    m = _ALSO_KNOWN.match(rest)
    if m:
        found.append(m.group(1).strip())
    m = _PAREN_NAME.match(rest)
    if m and is_acronym(m.group(1)) and abbreviates(m.group(1), span.text):
        found.append(m.group(1).strip())
    return found
