"""The grammar word lists (data/grammar.yaml): closed sets of words and entity types the detector reasons with.

They are curated like the lexicon, so they live beside it as data with a schema; a mistake comes back as one
sentence naming the field, e.g. ``grammar data/grammar.yaml: field 'degree_words': 'Very' must be lowercase``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError, field_validator

from .lexicon import LexiconError
from .schema import Strict, describe, fail, read_mapping

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "grammar.yaml"

_WORD = re.compile(r"^[a-z][a-z'’\-]*$")
_ENTITY_TYPE = re.compile(r"^[A-Z][A-Z_]*$")


class GrammarError(LexiconError):
    """The grammar file is missing, unreadable or invalid; the message names the field."""


def _closed_set(value: Any, pattern: re.Pattern[str], shape: str) -> frozenset[str]:
    # A bare string would be read as a set of letters; a repeat is a copy-paste slip that hides a missing word.
    if not isinstance(value, list) or not value:
        raise fail("list", "must be a non-empty list")
    for item in value:
        if not isinstance(item, str) or not pattern.match(item):
            raise fail("item", f"{item!r} must be {shape}")
    if len(set(value)) != len(value):
        raise fail("duplicate", "lists an item twice")
    return frozenset(value)


class Grammar(Strict):
    possessives: frozenset[str]
    scare_determiners: frozenset[str]
    degree_words: frozenset[str]
    label_categories: frozenset[str]
    factual_qualifiers: frozenset[str]
    name_entity_types: frozenset[str]
    speaker_entity_types: frozenset[str]
    first_person: frozenset[str]
    labelling_verbs: frozenset[str]
    speaking_nouns: frozenset[str]
    text_nouns: frozenset[str]
    document_nouns: frozenset[str]
    transcript_pointers: frozenset[str]
    viewing_verbs: frozenset[str]

    @field_validator("possessives", "scare_determiners", "degree_words", "factual_qualifiers", "first_person",
                     "labelling_verbs", "speaking_nouns", "text_nouns", "document_nouns", "transcript_pointers",
                     "viewing_verbs", mode="before")
    @classmethod
    def _words(cls, value: Any) -> frozenset[str]:
        return _closed_set(value, _WORD, "one lowercase word")

    @field_validator("label_categories", mode="before")
    @classmethod
    def _categories(cls, value: Any) -> frozenset[str]:
        return _closed_set(value, re.compile(r"^[a-z][a-z0-9_]*$"), "a snake_case lexicon category")

    @field_validator("name_entity_types", "speaker_entity_types", mode="before")
    @classmethod
    def _entity_types(cls, value: Any) -> frozenset[str]:
        return _closed_set(value, _ENTITY_TYPE, "an uppercase entity type such as PERSON")


@functools.lru_cache(maxsize=4)
def load_grammar(path: str | Path | None = None) -> Grammar:
    """Read and validate the grammar lists at `path` (default: the packaged ``data/grammar.yaml``), once per path.

    Raises `GrammarError` on the first problem, naming the field.
    """
    path = Path(path) if path else DEFAULT_PATH
    raw = read_mapping(path, "grammar", GrammarError, ", ".join(f"'{name}'" for name in Grammar.model_fields))
    try:
        return Grammar.model_validate(raw)
    except ValidationError as exc:
        field, message = describe(exc, Grammar)
        raise GrammarError(f"grammar {path}: field {field!r}: {message}") from exc
