"""Text as sent ⇄ text the NLP reads.

Control and format characters (Unicode categories Cc and Cf: NUL, soft hyphens, bidi controls, zero-width
spaces and joiners, the BOM, invisible math operators) glued to or inside a word make spaCy read
"Pu\u00adtin" or "sav\u200dage" as some other word. They are taken out before the NLP, by category rather than
by a hand-kept list, and every offset is mapped back to the text as sent. Tab, newline and carriage return
are Cc too but are layout the tokenizer needs, so they stay.

Decomposed text ("Sa\u0303o Paulo", as macOS and some editors send it) is composed (NFC) for the same reason:
the model, the aliases and the lexicon know "São". A composed character maps back to every character it
was made of.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache, partial

_KEPT = "\t\n\r"


@cache
def _invisible() -> re.Pattern[str]:
    chars = (chr(c) for c in range(sys.maxunicode + 1))
    ranges = []
    for ch in chars:
        if unicodedata.category(ch) in ("Cc", "Cf") and ch not in _KEPT:
            if ranges and ord(ch) == ranges[-1][1] + 1:
                ranges[-1][1] = ord(ch)
            else:
                ranges.append([ord(ch), ord(ch)])
    return re.compile("[" + "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]")


@dataclass(frozen=True)
class Visible:
    """A block's text as the NLP reads it, and where each of its characters stood in the original."""

    text: str
    starts: tuple[int, ...] | None  # where each character begins in the original; None: offsets are the same
    ends: tuple[int, ...] | None  # ... and where it ends

    @classmethod
    def of(cls, original: str) -> Visible:
        pattern = _invisible()
        composed = unicodedata.is_normalized("NFC", original)
        if composed and not pattern.search(original):
            return cls(original, None, None)
        kept = [i for i, ch in enumerate(original) if not pattern.match(ch)]
        visible = "".join(original[i] for i in kept)
        if unicodedata.is_normalized("NFC", visible):
            return cls(visible, tuple(kept), tuple(i + 1 for i in kept))
        text, starts, ends = [], [], []
        for a, b in _clusters(visible):
            piece = unicodedata.normalize("NFC", visible[a:b])
            text.append(piece)
            starts += [kept[a]] * len(piece)
            ends += [kept[b - 1] + 1] * len(piece)
        return cls("".join(text), tuple(starts), tuple(ends))

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span [start, end) of the visible text as offsets into the text as sent.

        An invisible character inside the span stays inside it ("sav\u00adage" is marked whole); one just
        outside it stays outside.
        """
        if self.starts is None or self.ends is None or start >= end:
            return start, end
        return self.starts[start], self.ends[end - 1]


def _clusters(text: str) -> list[tuple[int, int]]:
    """[start, end) runs that NFC composes only within: a character starts a new run unless it is a combining
    mark or composes with the run before it (Hangul jamo, a few Indic vowel signs)."""
    nfc = partial(unicodedata.normalize, "NFC")
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(text)):
        if unicodedata.combining(text[i]) == 0 and nfc(text[start:i + 1]) == nfc(text[start:i]) + nfc(text[i]):
            runs.append((start, i))
            start = i
    if text:
        runs.append((start, len(text)))
    return runs
