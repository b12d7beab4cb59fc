"""How names are compared: one normal form for alias keys, used by the store and the spotter alike."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_DISAMBIGUATOR = re.compile(r"\s*\([^)]*\)$")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})


def fold(name: str) -> str:
    """The name without accents and with plain apostrophes and hyphens: "Pútin" and "Putin" fold alike."""
    text = unicodedata.normalize("NFKD", name.translate(_QUOTES))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def without_disambiguator(title: str) -> str:
    """A Wikipedia-style title without its bracketed disambiguator: "Mercury (planet)" -> "Mercury"."""
    return _DISAMBIGUATOR.sub("", title)


def alias_key(name: str) -> str:
    """Case-, accent- and spacing-insensitive key; a leading article does not change who is meant."""
    text = _SPACE.sub(" ", fold(name)).strip().casefold()
    if text.startswith("the "):
        text = text[4:]
    return text


def is_acronym(name: str) -> bool:
    """All-capital names ("ISIS", "WHO", "U.S.") must match case-sensitively: "Isis" is a goddess."""
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def abbreviates(acronym: str, name: str) -> bool:
    """ "WHO" abbreviates "World Health Organization"; "(US)" inside a lead, or "(Reuters)" after
    "LONDON", abbreviates nothing there."""
    initials = [w[0].upper() for w in re.findall(r"[A-Za-z][\w'\-]*", name)]
    pos = 0
    for ch in (c for c in acronym if c.isalpha()):
        try:
            pos = initials.index(ch, pos) + 1
        except ValueError:
            return False
    return True
