"""The loaded-term lexicon: a curated data file, validated on load.

The file (``data/lexicon.yaml``) is edited by people, so every mistake must come back as one sentence that
names the entry (1-based index and term) and the field, e.g.
``entry 17 ('savage'): field 'severity': must be 1-3``. A lexicon that fails validation is never used half-way:
`load_lexicon` raises `LexiconError` and the caller (the server) refuses to start.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .lexicon_schema import OMIT, PLACEHOLDERS, POS_TAGS, RULE_ID, Entry, Pair, Header, ScareQuotes, Senses
from .schema import describe, read_mapping

__all__ = ["DEFAULT_PATH", "OMIT", "PLACEHOLDERS", "POS_TAGS", "RULE_ID", "Entry", "Lexicon", "LexiconError", "Pair",
           "ScareQuotes", "Senses", "load_lexicon"]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "lexicon.yaml"


class LexiconError(ValueError):
    """The lexicon file is missing, unreadable or invalid; the message names the entry and the field."""


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
    senses: Senses | None
    path: Path

    def __len__(self) -> int:
        return len(self.entries)


def _owner(where: int | str) -> str:
    return f"entry {where}" if isinstance(where, int) else where


def _entry_label(index: int, raw: Any) -> str:
    term = raw.get("term") if isinstance(raw, dict) else None
    return f"entry {index} ({term!r})" if isinstance(term, str) else f"entry {index}"


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate the lexicon at `path` (default: the packaged ``data/lexicon.yaml``).

    Raises `LexiconError` on the first problem, naming entry (1-based index and term) and field.
    """
    path = Path(path) if path is not None else DEFAULT_PATH
    raw = read_mapping(path, "lexicon", LexiconError, "'categories', 'stoplist', 'entries', ...")

    try:
        header = Header.model_validate(raw)
    except ValidationError as exc:
        field, message = describe(exc, Header)
        raise LexiconError(f"lexicon {path}: field {field!r}: {message}") from exc

    entries: list[Entry] = []
    seen: dict[str, int] = {}
    ids: dict[str, int | str] = {header.scare_quotes.id: "scare_quotes"} if header.scare_quotes else {}
    whys: dict[str, int] = {}
    stoplist = frozenset(header.stoplist)
    for index, item in enumerate(header.entries, start=1):
        label = _entry_label(index, item)
        if not isinstance(item, dict):
            raise LexiconError(f"{label}: must be a mapping of fields")
        try:
            entry = Entry.model_validate(item)
        except ValidationError as exc:
            field, message = describe(exc, Entry)
            raise LexiconError(f"{label}: field {field!r}: {message}") from exc
        if entry.category not in header.categories:
            raise LexiconError(
                f"{label}: field 'category': {entry.category!r} is not declared "
                f"(declared: {', '.join(header.categories)})"
            )
        if not entry.alternatives and not entry.better:
            raise LexiconError(f"{label}: field 'alternatives': must list at least one neutral alternative or "
                               f"{OMIT!r}, or say in 'better' what to write instead")
        if entry.pos and entry.is_phrase:
            raise LexiconError(f"{label}: field 'pos': only single-word terms take a POS constraint")
        classes = header.senses.classes if header.senses else {}
        domains = header.senses.domains if header.senses else {}
        unknown = [name for name in entry.applies_to if name not in classes]
        if unknown:
            raise LexiconError(f"{label}: field 'applies_to': {unknown[0]!r} is not a class of 'senses'")
        unknown = [name for name in entry.literal_with if name not in domains]
        if unknown:
            raise LexiconError(f"{label}: field 'literal_with': {unknown[0]!r} is not a domain of 'senses'")
        if entry.id in ids:
            raise LexiconError(f"{label}: field 'id': {entry.id!r} is already the id of {_owner(ids[entry.id])}")
        if entry.term in seen:
            raise LexiconError(f"{label}: field 'term': duplicates entry {seen[entry.term]}")
        if entry.term in stoplist:
            raise LexiconError(f"{label}: field 'term': {entry.term!r} is on the stoplist of neutral words")
        # Copy-pasted explanations are how a lexicon rots into filler; each entry says its own why.
        if entry.why in whys:
            raise LexiconError(f"{label}: field 'why': repeats the explanation of entry {whys[entry.why]}")
        seen[entry.term] = index
        ids[entry.id] = index
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
        senses=header.senses,
        path=path,
    )
