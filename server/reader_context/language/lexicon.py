"""The loaded-term lexicon: a curated data file, validated on load.

The file (``data/lexicon.yaml``) is edited by people, so every mistake must come back as one sentence that
names the entry (1-based index and term) and the field, e.g.
``entry 17 ('savage'): field 'severity': must be 1-3``. A lexicon that fails validation is never used half-way:
`load_lexicon` raises `LexiconError` and the caller (the server) refuses to start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "lexicon.yaml"

# Universal POS tags a constraint may name; anything else is a typo that would silently never match.
POS_TAGS = frozenset({"ADJ", "ADV", "NOUN", "PROPN", "VERB", "INTJ", "ADP", "DET", "PRON", "NUM", "AUX"})

# Placeholders a multi-word term may use; the detector expands them into token patterns.
PLACEHOLDERS = frozenset({"<poss>", "<gap>"})

_CATEGORY_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Lowercase words, hyphens, apostrophes and placeholders; no punctuation that the tokenizer would split oddly.
_TERM = re.compile(r"^(?:<poss>|<gap>|[a-z0-9][a-z0-9'’\-\.]*)(?: (?:<poss>|<gap>|[a-z0-9][a-z0-9'’\-\.]*))*$")
OMIT = "(omit)"


class LexiconError(ValueError):
    """The lexicon file is missing, unreadable or invalid; the message names the entry and the field."""


def _fail(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _severity_1_to_3(value: Any) -> int:
    # bool is an int in Python; "severity: yes" in YAML must not pass as 1.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 3:
        raise _fail("severity", "must be 1-3")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Entry(_Strict):
    term: str
    forms: tuple[str, ...] = ()
    pos: tuple[str, ...] = ()
    category: str
    severity: int
    why: str
    alternatives: tuple[str, ...]
    note: str | None = None
    # Lowercase single words which, right before or after a match, make it literal ("tax regime", "cult classic").
    except_before: tuple[str, ...] = ()
    except_after: tuple[str, ...] = ()

    @field_validator("term")
    @classmethod
    def _term(cls, value: str) -> str:
        if not _TERM.match(value):
            raise _fail("term", "must be lowercase words (letters, digits, hyphens, apostrophes) or <poss>/<gap>")
        words = value.split(" ")
        if words[0] in PLACEHOLDERS or words[-1] in PLACEHOLDERS:
            raise _fail("term", "must not start or end with a placeholder")
        return value

    @field_validator("forms", "except_before", "except_after")
    @classmethod
    def _lowercase_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item or item != item.lower() or item != item.strip():
                raise _fail("lowercase", f"{item!r} must be a non-empty lowercase string")
        if len(set(value)) != len(value):
            raise _fail("duplicate", "lists a word twice")
        return value

    @field_validator("except_before", "except_after")
    @classmethod
    def _single_words(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # The context check compares one neighbouring token; a phrase here would silently never match.
        for item in value:
            if " " in item:
                raise _fail("words", f"{item!r} must be a single word")
        return value

    @field_validator("pos")
    @classmethod
    def _pos(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [tag for tag in value if tag not in POS_TAGS]
        if unknown:
            raise _fail("pos", f"unknown POS tag {unknown[0]!r}; use one of {', '.join(sorted(POS_TAGS))}")
        return value

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> int:
        return _severity_1_to_3(value)

    @field_validator("why")
    @classmethod
    def _why(cls, value: str) -> str:
        # One sentence a reader can take in inside a tooltip: long enough to say something, short enough to read.
        if not 25 <= len(value) <= 240:
            raise _fail("why", "must be one sentence of 25-240 characters")
        if value[-1] not in ".!?":
            raise _fail("why", "must be a full sentence ending with a full stop")
        return value

    @field_validator("alternatives")
    @classmethod
    def _alternatives(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise _fail("alternatives", f"must list at least one neutral alternative or {OMIT!r}")
        if any(not item for item in value):
            raise _fail("alternatives", "must not contain empty strings")
        return value

    @property
    def is_phrase(self) -> bool:
        return " " in self.term


class Pair(_Strict):
    loaded: str
    neutral: str
    explanation: str

    @field_validator("explanation")
    @classmethod
    def _explanation(cls, value: str) -> str:
        if not 25 <= len(value) <= 300 or value[-1] not in ".!?":
            raise _fail("explanation", "must be one sentence of 25-300 characters ending with a full stop")
        return value


class ScareQuotes(_Strict):
    category: str
    severity: int
    why: str
    alternatives: tuple[str, ...]
    max_words: int = Field(3, ge=1, le=5)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, value: Any) -> int:
        return _severity_1_to_3(value)


class _Header(_Strict):
    version: int
    categories: dict[str, str]
    stoplist: tuple[str, ...]
    reporting_verbs: tuple[str, ...]
    pairs: tuple[Pair, ...] = ()
    scare_quotes: ScareQuotes | None = None
    entries: list[Any]

    @field_validator("categories")
    @classmethod
    def _categories(cls, value: dict[str, str]) -> dict[str, str]:
        if not value:
            raise _fail("categories", "must declare at least one category")
        for key, description in value.items():
            if not _CATEGORY_ID.match(key):
                raise _fail("categories", f"category id {key!r} must be snake_case")
            if not description or not description.strip():
                raise _fail("categories", f"category {key!r} needs a description")
        return value

    @field_validator("stoplist", "reporting_verbs")
    @classmethod
    def _word_list(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item or item != item.lower() or " " in item:
                raise _fail("words", f"{item!r} must be one lowercase word")
        return value

    @model_validator(mode="after")
    def _scare_category(self) -> _Header:
        if self.scare_quotes and self.scare_quotes.category not in self.categories:
            raise _fail("category", f"scare_quotes category {self.scare_quotes.category!r} is not declared")
        return self


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon; immutable so one instance can be shared by every request thread."""

    version: int
    categories: dict[str, str]
    entries: tuple[Entry, ...]
    stoplist: frozenset[str]
    reporting_verbs: frozenset[str]
    pairs: dict[str, Pair]
    scare_quotes: ScareQuotes | None
    path: Path

    def __len__(self) -> int:
        return len(self.entries)


def _describe(error: ValidationError, model: type[BaseModel]) -> tuple[str, str]:
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(entry)"
    message = first["msg"]
    if first["type"] == "extra_forbidden" and len(first["loc"]) == 1:
        message = "unknown field (allowed: " + ", ".join(model.model_fields) + ")"
    elif first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] == "missing":
        message = "is required"
    return field, message


def _entry_label(index: int, raw: Any) -> str:
    term = raw.get("term") if isinstance(raw, dict) else None
    return f"entry {index} ({term!r})" if isinstance(term, str) else f"entry {index}"


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate the lexicon at `path` (default: the packaged ``data/lexicon.yaml``).

    Raises `LexiconError` on the first problem, naming entry (1-based index and term) and field.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LexiconError(f"lexicon {path}: cannot be read: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise LexiconError(f"lexicon {path}: is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise LexiconError(f"lexicon {path}: must be a mapping with 'categories', 'stoplist', 'entries', ...")

    try:
        header = _Header.model_validate(raw)
    except ValidationError as exc:
        field, message = _describe(exc, _Header)
        raise LexiconError(f"lexicon {path}: field {field!r}: {message}") from exc

    entries: list[Entry] = []
    seen: dict[str, int] = {}
    whys: dict[str, int] = {}
    stoplist = frozenset(header.stoplist)
    for index, item in enumerate(header.entries, start=1):
        label = _entry_label(index, item)
        if not isinstance(item, dict):
            raise LexiconError(f"{label}: must be a mapping of fields")
        try:
            entry = Entry.model_validate(item)
        except ValidationError as exc:
            field, message = _describe(exc, Entry)
            raise LexiconError(f"{label}: field {field!r}: {message}") from exc
        if entry.category not in header.categories:
            raise LexiconError(
                f"{label}: field 'category': {entry.category!r} is not declared "
                f"(declared: {', '.join(header.categories)})"
            )
        if entry.pos and entry.is_phrase:
            raise LexiconError(f"{label}: field 'pos': only single-word terms take a POS constraint")
        if entry.term in seen:
            raise LexiconError(f"{label}: field 'term': duplicates entry {seen[entry.term]}")
        if entry.term in stoplist:
            raise LexiconError(f"{label}: field 'term': {entry.term!r} is on the stoplist of neutral words")
        # Copy-pasted explanations are how a lexicon rots into filler; each entry says its own why.
        if entry.why in whys:
            raise LexiconError(f"{label}: field 'why': repeats the explanation of entry {whys[entry.why]}")
        seen[entry.term] = index
        whys[entry.why] = index
        entries.append(entry)

    pairs: dict[str, Pair] = {}
    for pair in header.pairs:
        if pair.loaded not in seen:
            raise LexiconError(f"lexicon {path}: field 'pairs': {pair.loaded!r} is not a term of any entry")
        pairs[pair.loaded] = pair

    return Lexicon(
        version=header.version,
        categories=dict(header.categories),
        entries=tuple(entries),
        stoplist=stoplist,
        reporting_verbs=frozenset(header.reporting_verbs),
        pairs=pairs,
        scare_quotes=header.scare_quotes,
        path=path,
    )
