"""Facts about a span of a Doc that the finders and the filter share: capitals, shouting, quoted titles."""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from spacy.attrs import SENT_START
from spacy.tokens import Span, Token

from ..doctext import text_of
from ..knowledge.kinds import head_kinds
from ..knowledge.names import is_acronym
from .vocabulary import vocabulary

# Which finder found a mention: "ner", "alias" (a knowledge-base name) or "run" (proper nouns).
if not Span.has_extension("found_by"):
    Span.set_extension("found_by", default=None)
# The name a mention stands for when the text leaves part of it to a neighbour: "Orange County" for "Orange" in
# "Orange and Riverside Counties". None: the span's own text.
if not Span.has_extension("full_name"):
    Span.set_extension("full_name", default=None)

# Tags that never start or make a name: pronouns, determiners, numbers, "there".
NEVER_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$", "WDT", "DT", "CD", "EX"})
QUOTE_MARKS = frozenset({'"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "``", "''"})


def capitalised(token: Token) -> bool:
    return token.text[:1].isupper()


def sentence_of(span: Span) -> Span:
    """The sentence holding the span's start. Span.sent walks the tokens on every call; the finders ask for
    every candidate, so the sentence starts are read once per Doc and kept on it."""
    doc = span.doc
    starts = doc.user_data.get("reader_context.sentence_starts")
    if starts is None:
        flags = doc.to_array(SENT_START).tolist()
        starts = [0] + [i for i, flag in enumerate(flags) if flag == 1 and i > 0] + [len(doc)]
        doc.user_data["reader_context.sentence_starts"] = starts
    i = bisect_right(starts, span.start) - 1
    return doc[starts[i]:starts[i + 1]]


def _sentence_text(sent: Span) -> str:
    return text_of(sent.doc)[sent.start_char:sent.end_char]


def shouting(span: Span) -> bool:
    """A headline or sentence set in capitals, where "WHO" and "US" may be ordinary words. Remembered per
    sentence on the Doc: every finder asks it of every candidate."""
    sent = sentence_of(span)
    known = span.doc.user_data.setdefault("reader_context.shouting", {})
    if sent.start not in known:
        letters = "".join(filter(str.isalpha, _sentence_text(sent)))
        known[sent.start] = len(letters) > 12 and len("".join(filter(str.isupper, letters))) / len(letters) > 0.8
    return known[sent.start]


def _has_title_marks(sent: Span) -> bool:
    known = sent.doc.user_data.setdefault("reader_context.title_marks", {})
    if sent.start not in known:
        text = _sentence_text(sent)
        known[sent.start] = "(" in text or any(mark in text for mark in QUOTE_MARKS)
    return known[sent.start]


def inside_a_title(span: Span) -> bool:
    """A name inside the title of something else is not that name: "Houston" in the quoted
    'Houston's Top Dentists' or in "Houston's Top Dentists list", "Wales" in "Rape Crisis (England and Wales)"."""
    doc, sent = span.doc, sentence_of(span)
    if not _has_title_marks(sent):
        return False
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
    # A possessive that opens a Title Case name no tagger knows ("Houston's Top Dentists list", "Britain's Got
    # Talent") is part of that name; "Trump's White House" and "Britain's Prime Minister" are not such names.
    if span.end < sent.end and doc[span.end].tag_ == "POS":
        title_words = vocabulary().title_words
        run = 0
        for t in doc[span.end + 1:sent.end]:
            if not capitalised(t) or t.ent_type_ or t.lower_ in title_words or not t.is_alpha:
                break
            run += 1
        return run >= 2
    return False


_LIST_WORDS = frozenset({",", "and", "or", "&"})


def _in_a_list(token: Token) -> bool:
    return capitalised(token) and token.is_alpha or token.lower_ in _LIST_WORDS


class SharedHead(NamedTuple):
    name: str  # the name the span stands for ("Orange County"); "" for the head on its own ("Counties")
    in_span: bool  # the span holds the head itself ("Napa Counties", or a name such as "Cayman Islands")


def shared_plural_head(span: Span) -> SharedHead | None:
    """ "Los Angeles" in "Los Angeles, Orange and Riverside Counties" is "Los Angeles County": a coordination of
    names that ends in a plural head noun ("Counties", "Rivers", "Universities") shares it. None where the span
    shares no head."""
    doc, sent = span.doc, sentence_of(span)
    i = span.end
    while i < sent.end and _in_a_list(doc[i]):
        i += 1
    head = doc[i - 1]
    if not capitalised(head) or head.ent_type_ in ("NORP", "PERSON") or not head.lower_.endswith("s"):
        return None
    j = span.start
    while j > sent.start and _in_a_list(doc[j - 1]):
        j -= 1
    if not any(t.lower_ in ("and", "or", "&") for t in doc[j:i]):
        return None
    word = head.lower_
    singular = word[:-3] + "y" if word.endswith("ies") else word[:-1]
    if singular not in head_kinds():
        return None
    if i > span.end:  # a conjunct before the head
        return SharedHead(f"{span.text} {singular.capitalize()}", in_span=False)
    if len(span) == 1:  # NER's "Counties" on its own
        return SharedHead("", in_span=True)
    return SharedHead(f"{doc[span.start:span.end - 1].text} {singular.capitalize()}", in_span=True)


def in_a_hyphenated_name(span: Span) -> bool:
    """ "Stalingrad" in "place de la Bataille-de-Stalingrad", "Provence" in "Aix-en-Provence": words bound by
    hyphens around a lower-case particle are one name. "Israel-Gaza war" binds no particle and stays two."""
    doc = span.doc
    start, end = span.start, span.end
    while start > 0 and not doc[start - 1].whitespace_ and (doc[start - 1].text == "-" or doc[start - 1].is_alpha):
        start -= 1
    while end < len(doc) and not doc[end - 1].whitespace_ and (doc[end].text == "-" or doc[end].is_alpha):
        end += 1
    chain = doc[start:end]
    return len(chain) > len(span) and any(
        t.is_lower and t.is_alpha and 0 < t.i - start and t.i < end - 1
        and doc[t.i - 1].text == "-" and doc[t.i + 1].text == "-" for t in chain)
