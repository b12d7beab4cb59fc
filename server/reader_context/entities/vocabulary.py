"""The spotter's and linker's curated words (data/vocabulary.yaml): a schema, a validator, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from ..curated import load_yaml

DEFAULT_PATH = Path(__file__).with_name("data") / "vocabulary.yaml"


class VocabularyError(ValueError):
    """The vocabulary file is unreadable or invalid; the message names the list and the word."""


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    connectors: frozenset[str]
    title_words: frozenset[str]
    sports_words: frozenset[str]
    place_prepositions: frozenset[str]
    place_verbs: frozenset[str]
    place_only_prepositions: frozenset[str]
    arrival_verbs: frozenset[str]
    sports_verbs: frozenset[str]
    result_verbs: frozenset[str]

    @field_validator("connectors", "title_words", "sports_words", "place_prepositions", "place_verbs",
                     "place_only_prepositions", "arrival_verbs", "sports_verbs", "result_verbs", mode="before")
    @classmethod
    def _words(cls, value: object) -> object:
        if not isinstance(value, list) or not value:
            raise ValueError("must be a non-empty list of words")
        for word in value:
            if not isinstance(word, str) or not word or word != word.strip().lower() or " " in word:
                raise ValueError(f"{word!r} must be one lowercase word")
        if len(set(value)) != len(value):
            twice = next(w for w in value if value.count(w) > 1)
            raise ValueError(f"{twice!r} is listed twice")
        return value


def load_vocabulary(path: Path = DEFAULT_PATH) -> Vocabulary:
    return load_yaml(path, Vocabulary, VocabularyError)


@cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()
