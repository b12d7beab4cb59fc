"""What kind of thing an entry is, read from the head noun of its short description.

Wikidata-style descriptions put the head noun before the first preposition: "1968 film by Stanley
Kubrick" is a film, "President of Russia since 2012" is a president, "Ancient city in central Syria"
is a city. Matching keywords anywhere in the text gets these wrong; the head noun does not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, field_validator

from ..curated import load_yaml

DEFAULT_PATH = Path(__file__).with_name("data") / "kinds.yaml"

_KIND = Literal["person", "place", "organization", "event", "work", "concept", "other"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


class KindWords(BaseModel):
    """data/kinds.yaml: head nouns by kind, and the words that bend the rule."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    heads: dict[_KIND, str]
    weak_heads: str
    human_topics: frozenset[str]
    not_adverbs: str
    topic_default: dict[str, _KIND]

    @field_validator("heads")
    @classmethod
    def _one_kind_per_word(cls, heads: dict[str, str]) -> dict[str, str]:
        seen: dict[str, str] = {}
        for kind, text in heads.items():
            for word in text.split():
                if word != word.lower():
                    raise ValueError(f"{word!r} under {kind} must be lower case (heads are compared lower-cased)")
                if word in seen and seen[word] != kind:
                    raise ValueError(f"{word!r} is listed under both {seen[word]} and {kind}")
                seen[word] = kind
        return heads

    @property
    def head_kinds(self) -> dict[str, str]:
        return {w: kind for kind, text in self.heads.items() for w in text.split()}


class KindsError(ValueError):
    pass


def load_kind_words(path: Path = DEFAULT_PATH) -> KindWords:
    return load_yaml(path, KindWords, KindsError)


class _Tables(NamedTuple):
    heads: dict[str, str]
    weak_heads: frozenset[str]
    human_topics: frozenset[str]
    not_adverbs: frozenset[str]
    topic_default: dict[str, str]


def head_kinds() -> dict[str, str]:
    """Head noun -> kind: the words that say what kind of thing a description is ("county" -> place)."""
    return _tables().heads


@cache
def _tables() -> _Tables:
    words = load_kind_words()
    return _Tables(words.head_kinds, _words(words.weak_heads), words.human_topics, _words(words.not_adverbs),
                   dict(words.topic_default))


_CUT = re.compile(
    r"\s(?:of|in|by|from|for|that|who|which|with|on|at|above|near|to|between|within|since|during|founded|"
    r"based|located|known|used|born|whose|where|against|under|about|after|before|until|across|along|around|off|beside)\s|[(,;:]",
    re.IGNORECASE,
)
# Deities and legendary figures are not people a news reader means by a PERSON mention.
_MYTH = re.compile(r"\b(?:god|goddess|deity|mytholog\w*|legendary|mythical|fictional|demigod)\b", re.IGNORECASE)


def head_noun(description: str) -> str:
    not_adverbs = _tables().not_adverbs
    phrase = _CUT.split(description, maxsplit=1)[0]
    # "Country primarily in North America": adverbs are not heads.
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z\-']*", phrase) if not (w.islower() and w.endswith("ly") and w not in not_adverbs)]
    return words[-1].lower() if words else ""


def classify(description: str | None, topic: str | None = None) -> str:
    heads, weak_heads, human_topics, _, topic_default = _tables()
    text = (description or "").strip()
    if _MYTH.search(text):
        return "other"
    head = head_noun(text)
    kind = heads.get(head) or (heads.get(head[:-1]) if head.endswith("s") else None)
    if kind and (head not in weak_heads or topic in human_topics):
        return kind
    if topic == "People" and re.search(r"\(\s*(?:c\.\s*|born\s+|b\.\s*)?\d{1,4}", text):
        return "person"
    return topic_default.get(topic or "", "concept")
