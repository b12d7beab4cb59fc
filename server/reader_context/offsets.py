"""Text as sent ⇄ text the NLP reads.

Control and format characters (Unicode categories Cc and Cf: NUL, soft hyphens, bidi controls, zero-width
spaces and joiners, the BOM, invisible math operators) glued to or inside a word make spaCy read
"Pu\u00adtin" or "sav\u200dage" as some other word. They are taken out before the NLP, by category rather than
by a hand-kept list, and every offset is mapped back to the text as sent. Tab, newline and carriage return
are Cc too but are layout the tokenizer needs, so they stay.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import cache

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
    """A block's text without invisible characters, and where each of its characters stood in the original."""

    text: str
    kept: tuple[int, ...] | None  # None: nothing was taken out, offsets are the same

    @classmethod
    def of(cls, original: str) -> Visible:
        pattern = _invisible()
        if not pattern.search(original):
            return cls(original, None)
        kept = tuple(i for i, ch in enumerate(original) if not pattern.match(ch))
        return cls("".join(original[i] for i in kept), kept)

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span [start, end) of the visible text as offsets into the text as sent.

        An invisible character inside the span stays inside it ("sav\u00adage" is marked whole); one just
        outside it stays outside.
        """
        if self.kept is None or start >= end:
            return start, end
        return self.kept[start], self.kept[end - 1] + 1
