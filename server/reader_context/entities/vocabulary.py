"""The spotter's and linker's curated words (data/vocabulary.yaml): a schema, a validator, loaded once."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

DEFAULT_PATH = Path(__file__).with_name("data") / "vocabulary.yaml"


class VocabularyError(ValueError):
    """The vocabulary file is unreadable or invalid; the message names the list and the word."""


class Vocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    version: int
    connectors: frozenset[str]
    title_words: frozenset[str]
    sports_words: frozenset[str]

    @field_validator("connectors", "title_words", "sports_words", mode="before")
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
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Vocabulary.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise VocabularyError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise VocabularyError(f"{path}: field {where!r}: {first['msg']}") from exc


@cache
def vocabulary() -> Vocabulary:
    return load_vocabulary()
