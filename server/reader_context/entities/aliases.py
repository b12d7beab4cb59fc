"""The knowledge base's aliases as a spaCy PhraseMatcher, kept as current as the base.

A hash-based PhraseMatcher over every alias finds the names the base knows in one pass whatever their
length, instead of trying every short span of every capitalised token. It is built once, extended with the
aliases written since (Wikipedia cards, imports) and rebuilt only when the base's build stamp changes
(a rebuild or an import that replaced rows).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from pathlib import Path

from spacy.language import Language
from spacy.attrs import ORTH, SPACY
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ..knowledge.names import alias_key, fold, is_acronym
from ..doctext import text_of
from .spans import NEVER_TAGS, capitalised, sentence_of, shouting

_NOT_NAME_INSIDE = frozenset({";", ":", '"', "\u201c", "\u201d"})
_ADJECTIVE_TAGS = frozenset({"JJ", "JJR", "JJS"})
PATTERN_BATCH = 500


def variants(alias: str) -> set[str]:
    """The forms under which text can name what `alias` names, as alias keys compare them: folded, with
    typographic apostrophes and dashes, and without a leading "The" ("at the Hague" names The Hague)."""
    forms = {alias, fold(alias)}
    forms |= {f.replace("'", "\u2019") for f in forms if "'" in f} | {f.replace("-", "\u2013") for f in forms if "-" in f}
    return forms | {f[4:] for f in forms if f[:4].lower() == "the " and len(f) > 4}


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def has_accents(text: str) -> bool:
    """Whether the text holds letters that fold to others ("é", "ß"-like compatibility forms, combining
    marks), checked at C speed on the whole text. Apostrophes and dashes are covered by pattern variants."""
    return not text.isascii() and bool(_COMBINING.search(text) or not unicodedata.is_normalized("NFKD", text))


def open_default_store(path: str):
    """The knowledge base a spaCy user gets without a backend: `path`, or the one the settings name."""
    from ..knowledge import open_knowledge
    from ..settings import get_settings

    return open_knowledge(Path(path) if path else get_settings().knowledge_path)


class Keys:
    """Alias keys as the index learns them: a frozen bulk and the few added since, merged only when those grow.
    Learning one name by copying every key (180,000 after a large import) cost each online write 15 ms, and
    leaving out weak keys by copying them all cost every analysis as much. Immutable, so a request can hold one
    while the index learns more; only membership is asked of it."""

    MERGE_AT = 4096

    def __init__(self, bulk: frozenset[str] = frozenset(), recent: frozenset[str] = frozenset(),
                 weak: frozenset[str] = frozenset()):
        self._bulk, self._recent, self._weak = bulk, recent, weak

    def __contains__(self, key: object) -> bool:
        return (key in self._bulk or key in self._recent) and key not in self._weak

    def adding(self, keys: set[str]) -> Keys:
        recent = self._recent | keys
        return Keys(self._bulk | recent, weak=self._weak) if len(recent) > self.MERGE_AT else Keys(self._bulk, recent, self._weak)

    def without(self, weak: frozenset[str]) -> Keys:
        """The same keys less `weak`: those that can stand for a name by themselves."""
        return Keys(self._bulk, self._recent, weak)


class AliasIndex:
    def __init__(self, nlp: Language, *, max_tokens: int = 8):
        self._nlp = nlp
        self.max_tokens = max_tokens
        self.store = None
        # Matching while another thread adds patterns is not safe in spaCy's matchers: one lock for both.
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
        self._stamp: str | None = None
        self._rowid = 0
        self._patterns: set[str] = set()
        self.keys = Keys()
        self.weak: frozenset[str] = frozenset()

    def use_store(self, store) -> None:
        with self._lock:
            self.store = store
            self._reset()

    def refresh(self) -> Keys:
        """Bring the matcher up to date with the base; returns the alias keys it knows."""
        stamp = self.store.build_stamp()
        with self._lock:
            if stamp != self._stamp:
                self._reset()
                self._stamp = stamp
            whole = self._rowid == 0
            added, rowid = self.store.aliases_since(self._rowid)
            if added:
                texts = {v for alias, _ in added for v in variants(alias) if v not in self._patterns}
                self._patterns |= texts
                # In batches: each pattern Doc reserves room for a sentence's tokens, and 30,000 of them at once
                # left 150 MB resident after they were freed; a batch's memory is reused by the next.
                ordered = sorted(texts)
                for i in range(0, len(ordered), PATTERN_BATCH):
                    self._matcher.add("ALIAS", list(self._nlp.tokenizer.pipe(ordered[i:i + PATTERN_BATCH])))
                new_keys = {key for _, key in added}
                self.keys = self.keys.adding(new_keys)
                # Only the keys just written are read again: a whole-table pass on every online write cost
                # a short analysis 4.5 -> 62 ms (issue 16).
                self.weak = self.store.weak_keys() if whole else (self.weak - new_keys) | self.store.weak_keys(new_keys)
            self._rowid = rowid
            return self.keys

    def names(self) -> Keys:
        """The alias keys that can stand for a name by themselves (weak keys such as "Business" left out)."""
        with self._lock:
            return self.keys.without(self.weak)

    def find(self, doc: Doc) -> list[Span]:
        """The longest alias at each place a name can start, left to right, without overlaps."""
        # Accents folded on the text's side too, so "Pútin" and "São Paulo" meet their aliases: a shadow Doc
        # with the same tokens, folded, only for text that has accents at all.
        shadow = None
        if has_accents(text_of(doc)):
            strings = doc.vocab.strings
            words = [strings[h] for h in doc.to_array(ORTH).tolist()]  # no Token objects: this runs on every Doc
            shadow = Doc(doc.vocab, words=[w if w.isascii() else fold(w) or w for w in words],
                         spaces=doc.to_array(SPACY).astype(bool).tolist())
        with self._lock:
            matches = self._matcher(doc) + (self._matcher(shadow) if shadow is not None else [])
            keys, weak = self.keys, self.weak
        longest: dict[int, int] = {}
        for _, start, end in matches:
            if end - start <= self.max_tokens and end > longest.get(start, start) and self._could_be_a_name(
                    doc, start, end, keys, weak):
                longest[start] = end
        spans, free_from = [], 0
        for start in sorted(longest):
            if start < free_from:
                continue
            span = Span(doc, start, longest[start])
            first = span[0]
            if len(span) == 1 and first.tag_ in _ADJECTIVE_TAGS:
                continue
            # A capitalised common word opening a sentence ("Now", "Apple pie") is not a name unless tagged one.
            if len(span) == 1 and span.start == sentence_of(span).start and first.pos_ != "PROPN" and not is_acronym(first.text):
                continue
            free_from = span.end
            if is_acronym(span.text) and shouting(span):
                continue
            spans.append(span)
        return spans

    @staticmethod
    def _could_be_a_name(doc: Doc, start: int, end: int, keys: Keys, weak: frozenset[str]) -> bool:
        first, last = doc[start], doc[end - 1]
        if not capitalised(first) or first.tag_ in NEVER_TAGS:
            return False
        if not (capitalised(last) or last.like_num or last.text in (".", ")")):
            return False
        if any(t.is_space or t.text in _NOT_NAME_INSIDE for t in doc[start:end]):
            return False
        key = alias_key(doc[start:end].text)
        # "Stock Exchange" in "Toronto Stock Exchange" and "Business" in "Vogue Business" are parts of a
        # name, not the concepts "Stock exchange" and "Business".
        return key in keys and key not in weak
