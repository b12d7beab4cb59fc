"""Quotation marks in one block: where quoted stretches start and end.

Whose words they are is decided elsewhere (speakers.py binds a quotation to its speaker, introductions.py finds
"X said:", voices.py carries quotations, quote blocks and introduced speech across the blocks of an article);
here only the marks are read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Token

from ..doctext import text_of

_DOUBLE_OPEN = "“«"
_DOUBLE_CLOSE = "”»"
_SINGLE_OPEN = "‘‹"
_SINGLE_CLOSE = "’›"
# Characters after which a straight quote mark starts a quotation rather than ends one.
_OPENING_CONTEXT = " \t\n([{—–-/:;“‘\"'«"
# Only these characters can change the state; jumping from one to the next keeps a long block cheap.
_MARK = re.compile("[\"'“”«»‘’‹›]")
# A paragraph that continues a quotation opens with a double mark (straight or curly).
_CONTINUES = "“«\""


@dataclass(frozen=True)
class Quote:
    start: int  # offset of the opening mark
    end: int  # offset just after the closing mark (or where an unclosed quote is taken to end)
    closed: bool

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + 1, self.end - 1 if self.closed else self.end

    def to_block_end(self, text: str) -> Quote:
        """The same unclosed quotation, running to the end of its block's `text`: the next block continues it."""
        return replace(self, end=len(text))


def find_quotes(doc: Doc) -> list[Quote]:
    """Quoted stretches of `doc.text`, outermost and nested alike, sorted by start.

    Straight marks are told apart by what surrounds them; a curly closing single mark inside a word is an
    apostrophe. An unclosed double quote runs to the end of the block only when it opens the block (the
    newspaper convention for a quote that continues in the next paragraph); otherwise only to the end of its
    sentence, so one stray mark cannot turn the rest of a paragraph into someone else's words. (voices.py runs
    it to the block end too when the next block opens with a mark, as the convention continues it.)
    """
    text = text_of(doc)
    stack: list[tuple[str, int]] = []
    opened = {"double": 0, "single": 0}  # openers of each kind on the stack, kept so a long block stays linear
    quotes: list[Quote] = []

    def push(kind: str, position: int) -> None:
        stack.append((kind, position))
        opened[kind] += 1

    def close(kind: str, position: int) -> None:
        if not opened[kind]:
            return
        depth = len(stack) - 1
        while stack[depth][0] != kind:
            depth -= 1
        quotes.append(Quote(stack[depth][1], position + 1, True))
        # Openers left inside the closed quote were apostrophes or typos; they must not leak out.
        for dropped, _ in stack[depth:]:
            opened[dropped] -= 1
        del stack[depth:]

    for match in _MARK.finditer(text):
        i, char = match.start(), match.group()
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        if char in _DOUBLE_OPEN:
            push("double", i)
        elif char in _DOUBLE_CLOSE:
            close("double", i)
        elif char == '"':
            open_double = opened["double"] > 0
            looks_opening = before in _OPENING_CONTEXT and not after.isspace()
            if open_double and not looks_opening:
                close("double", i)
            elif looks_opening:
                push("double", i)
            elif open_double:
                close("double", i)
        elif char in _SINGLE_OPEN or char == "'":
            looks_opening = before in _OPENING_CONTEXT and after.isalnum()
            open_single = opened["single"] > 0
            if char == "'" and open_single and not after.isalnum() and not before.isspace():
                close("single", i)
            elif looks_opening:
                push("single", i)
        elif char in _SINGLE_CLOSE:
            # "don’t", "ISIS’s": a closing mark between letters is an apostrophe, never a quote.
            if not after.isalnum():
                close("single", i)

    unclosed = [position for kind, position in stack if kind == "double"]
    if unclosed:
        lead = len(text) - len(text.lstrip())
        sentence_ends = [sent.end_char for sent in doc.sents]
        for position in unclosed:
            if position <= lead:
                end = len(text)
            else:
                at = bisect.bisect_right(sentence_ends, position)
                end = sentence_ends[at] if at < len(sentence_ends) else len(text)
            quotes.append(Quote(position, end, False))
    return sorted(quotes, key=lambda quote: (quote.start, -quote.end))


def outermost(quotes: list[Quote]) -> list[Quote]:
    """The quotes no other quote holds: a nested quote is part of its outer quote's words."""
    found: list[Quote] = []
    for quote in quotes:  # sorted by start, longest first
        if not found or quote.start >= found[-1].end:
            found.append(quote)
    return found


class Marks:
    """A block's quotations, able to say in log time whether a stretch lies inside one and which token holds a
    character (a long block of quotations must not cost quotations times words)."""

    def __init__(self, doc: Doc, quotes: list[Quote]):
        self.quotes = quotes
        self.outer = outermost(quotes)
        self._starts = [quote.start for quote in self.outer]
        self._token_ends = doc.to_array([IDX, LENGTH]).sum(axis=1).tolist() if len(doc) else []

    def token_at(self, char: int) -> int:
        """Index of the first token that ends after `char` (the doc's length when none does)."""
        return bisect.bisect_right(self._token_ends, char)

    def holding(self, start: int, end: int) -> Quote | None:
        """The outermost quote holding [start, end): its speaker is the one named outside all marks."""
        i = bisect.bisect_left(self._starts, start) - 1  # the last quote opening before `start`
        if i < 0:
            return None
        inner_start, inner_end = self.outer[i].inner
        return self.outer[i] if inner_start <= start and end <= inner_end else None

    def before(self, quote: Quote) -> Quote | None:
        """The outermost quote before `quote` (itself an outermost one)."""
        i = bisect.bisect_left(self._starts, quote.start)
        return self.outer[i - 1] if i > 0 else None

    def holds(self, token: Token) -> bool:
        return self.holding(token.idx, token.idx + len(token)) is not None


def opens_with_a_mark(text: str) -> bool:
    """The block opens a quotation: the paragraph convention's sign that it continues the one before."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in _CONTINUES


def last_unclosed(quotes: list[Quote]) -> Quote | None:
    """The unclosed double quote still open where the block ends, the one a next paragraph can continue."""
    unclosed = [quote for quote in quotes if not quote.closed]
    return unclosed[0] if unclosed else None
