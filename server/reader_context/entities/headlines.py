"""Names in headlines. A Title Case headline capitalises every word, so a run of capitals there is a name only
where the knowledge base or the article's body confirms it: "Senators Slam Putin Over Syria Plan" names Putin
and Syria, and no "Slam Putin" that would then claim every later "Putin" of the article."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

from ..casing import headline_lines
from ..knowledge.kinds import head_kinds
from ..knowledge.names import alias_key
from .article import Mention
from .vocabulary import vocabulary

MAX_NAME_TOKENS = 8


def confirm_headline_names(mentions: list[Mention], docs: Iterable[tuple[str, Doc]],
                           known: Callable[[str], bool]) -> list[Mention]:
    """Keep a headline's mention where the base (`known`, by alias key) or the body names it; otherwise keep the
    longest part of it that they name, or nothing. Mentions in the body are kept as they are."""
    lines = {block: headline_lines(doc) for block, doc in docs}

    def in_headline(m: Mention) -> bool:
        return any(start <= m.span.start and m.span.end <= end for start, end in lines.get(m.block, ()))

    if not any(lines.values()):
        return mentions
    body = [m for m in mentions if not in_headline(m)]
    named = {alias_key(m.text) for m in body}
    # "Merkel" in a headline is the body's "Angela Merkel".
    named |= {alias_key(m.text.split()[-1]) for m in body if m.label == "PERSON" and " " in m.text}

    def confirmed(span: Span) -> bool:
        key = alias_key(span.text)
        return key in named or known(key)

    out = []
    for m in mentions:
        if m.found_by == "alias" or not in_headline(m) or confirmed(m.span) or _name_shaped(m.span):
            out.append(m)
            continue
        part = _longest_confirmed(m.span, confirmed)
        if part is not None:
            # NER's label was for the fused words ("Syria Plan" an EVENT), not for the part that is a name.
            out.append(Mention(block=m.block, start=part.start_char, end=part.end_char, text=part.text,
                               label=None, span=part, found_by=m.found_by))
    return out


def _name_shaped(span: Span) -> bool:
    """Capitals joined by a lower-case connector ("Department of Education", "Fakhr-al-Din") are one name even
    in a headline: a part of it is not carded as the whole (the whole may still get no card)."""
    connectors = vocabulary().connectors
    inner = span[1:-1]
    if any(t.text in connectors for t in inner if t.text.islower() or not t.is_alpha):
        return True
    # So are capitals ending in the head noun of an organisation or a place ("Alligator Advisory Council",
    # "Bexar County"): "Louisiana" in "Louisiana Alligator Advisory Council" is not carded as the whole.
    return len(span) > 2 and head_kinds().get(span[-1].lower_) in ("organization", "place")


def _longest_confirmed(span: Span, confirmed: Callable[[Span], bool]) -> Span | None:
    doc = span.doc
    for size in range(min(len(span) - 1, MAX_NAME_TOKENS), 0, -1):
        for start in range(span.start, span.end - size + 1):
            part = doc[start:start + size]
            if part[0].text[:1].isupper() and part[-1].text[:1].isupper() and confirmed(part):
                return part
    return None
