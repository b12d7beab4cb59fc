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


def _line_break(token) -> bool:
    return token.is_space and "\n" in token.text


def balanced(text: str) -> str:
    """The text up to its first bracket that does not pair up: "(@handle" and "AAS)—the" are debris."""
    depth = {"(": 0, "[": 0}
    closing = {")": "(", "]": "["}
    for i, ch in enumerate(text):
        if ch in depth:
            depth[ch] += 1
        elif ch in closing:
            if not depth[closing[ch]]:
                return text[:i].rstrip(" ,;:-\u2013\u2014")
            depth[closing[ch]] -= 1
    if any(depth.values()):
        opened = min(i for i, ch in enumerate(text) if ch in depth and text.count(ch) != text.count({"(": ")", "[": "]"}[ch]))
        return text[:opened].rstrip(" ,;:-\u2013\u2014")
    return text


def _clip(span: Span) -> str:
    # A context ends where its line does: across a line break lies another paragraph, a byline or a caption.
    end = next((t.i for t in span if _line_break(t)), span.end)
    span = span.doc[span.start:end]
    tokens = list(span)[:MAX_CONTEXT_TOKENS]
    while tokens and (tokens[-1].is_punct or tokens[-1].is_space):
        tokens.pop()
    if not tokens:
        return ""
    text = balanced(span.doc[tokens[0].i : tokens[-1].i + 1].text)
    return text + ("\u2026" if text and len(span) > MAX_CONTEXT_TOKENS else "")


def title_before(span: Span) -> str | None:
    """ "Russian President Vladimir Putin" -> "Russian President"."""
    doc = span.doc
    lefts = [t for t in span.root.lefts if t.i < span.start and t.dep_ in ("compound", "amod", "nmod")]
    if not lefts:
        return None
    start = min(t.left_edge.i for t in lefts)
    words = doc[start : span.start]
    cut = [t.i for t in words if t.tag_ in ("POS", "PRP$", "DT") or t.is_punct or _line_break(t)]
    if cut:
        words = doc[max(cut) + 1 : span.start]
    if not len(words) or not any(t.text[:1].isupper() and t.pos_ in ("NOUN", "PROPN") for t in words):
        return None
    return balanced(words.text) or None


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
