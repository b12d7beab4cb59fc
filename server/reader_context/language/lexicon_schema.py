"""The lexicon's schema: one pydantic model per part of data/lexicon.yaml, each check naming its field."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from .schema import Strict, fail

# Universal POS tags a constraint may name; anything else is a typo that would silently never match.
POS_TAGS = frozenset({"ADJ", "ADV", "NOUN", "PROPN", "VERB", "INTJ", "ADP", "DET", "PRON", "NUM", "AUX"})

# Placeholders a multi-word term may use; the detector expands them into token patterns.
PLACEHOLDERS = frozenset({"<poss>", "<gap>"})

_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# "<category>.<slug>" as first written; only the shape is checked, so an entry keeps its id when it moves category.
RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9]+(?:-[a-z0-9]+)*$")
# Lowercase words, hyphens, apostrophes and placeholders; no punctuation that the tokenizer would split oddly.
_TERM = re.compile(r"^(?:<poss>|<gap>|[a-z0-9][a-z0-9'’\-\.]*)(?: (?:<poss>|<gap>|[a-z0-9][a-z0-9'’\-\.]*))*$")
OMIT = "(omit)"
# Brackets and blanks ("(name the group)", "critic of ...") mark an instruction to the writer, not wording a reader
# could put in the sentence; such text belongs in `better`.
_INSTRUCTION = re.compile(r"[()\[\]]|\.\.\.|…")


def _severity_1_to_3(value: Any) -> int:
    # bool is an int in Python; "severity: yes" in YAML must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise fail("severity", "must be 1-3")
    return value


def _rule_id(value: str) -> str:
    if not RULE_ID.match(value):
        raise fail("id", "must look like 'category.words-with-hyphens' (lowercase letters, digits, hyphens)")
    return value


def _instructions(value: tuple[str, ...]) -> tuple[str, ...]:
    # Shown as "Better: name the group, or give the numbers.": the note supplies the capital, commas and full stop.
    for item in value:
        if not item or not item[0].islower() or item[-1] in ".;,!?" or _INSTRUCTION.search(item):
            raise fail("better", f"{item!r} must be a lowercase instruction without brackets, blanks or a "
                                 f"final full stop (\"name the group\")")
    return value


# Before, not after, int coercion: "severity: yes" must be refused, not read as 1.
Severity = Annotated[int, BeforeValidator(_severity_1_to_3)]
RuleId = Annotated[str, AfterValidator(_rule_id)]
Instructions = Annotated[tuple[str, ...], AfterValidator(_instructions)]


class Entry(Strict):
    id: RuleId
    term: str
    forms: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    category: str
    severity: Severity
    why: str
    alternatives: tuple[str, ...] = ()
    better: Instructions = ()
    note: str | None = None
    # Lowercase single words which, right before or after a match, make it literal ("tax regime", "cult classic").
    except_before: tuple[str, ...] = ()
    except_after: tuple[str, ...] = ()
    # Sense constraints, checked against the `senses` section: what the word must be applied to for the loaded
    # sense ("eradicate" people, not a disease), and domains whose words make it literal ("toxic" chemicals).
    applies_to: tuple[str, ...] = ()
    literal_with: tuple[str, ...] = ()
    # The capitalised form is the standard name of an event ("the Holocaust", "the Boston Massacre").
    name_is_literal: bool = False

    @field_validator("term")
    @classmethod
    def _term(cls, value: str) -> str:
        if not _TERM.match(value):
            raise fail("term", "must be lowercase words (letters, digits, hyphens, apostrophes) or <poss>/<gap>")
        words = value.split(" ")
        if words[0] in PLACEHOLDERS or words[-1] in PLACEHOLDERS:
            raise fail("term", "must not start or end with a placeholder")
        return value

    @field_validator("forms", "except_before", "except_after")
    @classmethod
    def _lowercase_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item or item != item.lower() or item != item.strip():
                raise fail("lowercase", f"{item!r} must be a non-empty lowercase string")
        if len(set(value)) != len(value):
            raise fail("duplicate", "lists a word twice")
        return value

    @field_validator("except_before", "except_after")
    @classmethod
    def _single_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # The context check compares one neighbouring token; a phrase here would silently never match.
        for item in value:
            if " " in item:
                raise fail("words", f"{item!r} must be a single word")
        return value

    @field_validator("pos")
    @classmethod
    def _pos(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [tag for tag in value if tag not in POS_TAGS]
        if unknown:
            raise fail("pos", f"unknown POS tag {unknown[0]!r}; use one of {', '.join(sorted(POS_TAGS))}")
        return value

    @field_validator("why")
    @classmethod
    def _why(cls, value: str) -> str:
        # One sentence a reader can take in inside a tooltip: long enough to say something, short enough to read.
        if not 25 <= len(value) <= 240:
            raise fail("why", "must be one sentence of 25-240 characters")
        if value[-1] not in ".!?":
            raise fail("why", "must be a full sentence ending with a full stop")
        return value

    @field_validator("alternatives")
    @classmethod
    def _alternatives(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item:
                raise fail("alternatives", "must not contain empty strings")
            if item != OMIT and _INSTRUCTION.search(item):
                raise fail("alternatives", f"{item!r} is an instruction, not wording: put it in 'better', "
                                           f"without brackets or blanks")
        return value

    @property
    def is_phrase(self) -> bool:
        return " " in self.term


class Pair(Strict):
    loaded: str
    neutral: str
    explanation: str

    @field_validator("explanation")
    @classmethod
    def _explanation(cls, value: str) -> str:
        if not 25 <= len(value) <= 300 or value[-1] not in ".!?":
            raise fail("explanation", "must be one sentence of 25-300 characters ending with a full stop")
        return value


class SenseClass(Strict):
    """Who or what a word can be applied to: a target counts when its entity type or lemma is listed here."""

    entity_types: tuple[str, ...] = ()
    words: tuple[str, ...]

    @field_validator("words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _lowercase_unique(value)


class Domain(Strict):
    """Words of a domain: one of them on the word's target (or in its sentence, when it has none) makes it
    literal. `about_people`: the domain is about people themselves, so it counts even when the target is a person.
    `target_only`: the words say nothing elsewhere in the sentence ("no", "all"), so a word with no target found
    keeps its flag."""

    words: tuple[str, ...]
    about_people: bool = False
    target_only: bool = False

    @field_validator("words")
    @classmethod
    def _words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return _lowercase_unique(value)


class Senses(Strict):
    classes: dict[str, SenseClass]
    domains: dict[str, Domain]


def _lowercase_unique(value: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        raise fail("words", "must list at least one word")
    for item in value:
        if not item or item != item.lower() or " " in item:
            raise fail("words", f"{item!r} must be one lowercase word")
    repeated = sorted({item for item in value if value.count(item) > 1})
    if repeated:
        raise fail("duplicate", f"lists {repeated[0]!r} twice")
    return value


class ScareQuotes(Strict):
    """Its alternative is always the quoted words without their marks, so the file gives only `better`."""

    id: RuleId
    category: str
    severity: Severity
    why: str
    better: Instructions = ()
    max_words: int = Field(3, ge=1, le=5)


class Header(Strict):
    version: int
    categories: dict[str, str]
    stoplist: tuple[str, ...]
    reporting_verbs: tuple[str, ...]
    pairs: tuple[Pair, ...] = ()
    scare_quotes: ScareQuotes | None = None
    senses: Senses | None = None
    entries: list[Any]

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise fail("categories", "must declare at least one category")
        for key, description in value.items():
            if not _CATEGORY_ID.match(key):
                raise fail("categories", f"category id {key!r} must be snake_case")
            if not description or not description.strip():
                raise fail("categories", f"category {key!r} needs a description")
        return value

    @field_validator("stoplist", "reporting_verbs")
    @classmethod
    def _word_list(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item or item != item.lower() or " " in item:
                raise fail("words", f"{item!r} must be one lowercase word")
        return value

    @model_validator(mode="after")
    def _scare_category(self) -> Header:
        if self.scare_quotes and self.scare_quotes.category not in self.categories:
            raise fail("category", f"scare_quotes category {self.scare_quotes.category!r} is not declared")
        return self
