"""spaCy's attribute ruler, matched through an index instead of its Matcher.

Why: the English pipelines' attribute ruler (tag map, morphology exceptions) runs a `Matcher` of 179 patterns over
every token, and that match was the pipeline's third-largest cost: 24 ms of a 210 ms pass over 1,000 words, more
than the tagger, parser and lemmatizer together (docs/benchmarks.md). Nearly all of its patterns are one token with
a few equality or set tests, which a dictionary keyed on one of the tested values finds in a lookup. Those
patterns are matched here; any other (several tokens, or an operator this module does not know) stays in a
`Matcher` of its own. The matches are the same list the ruler's own `match` makes, in the same precedence order,
and the ruler sets the attributes itself: tests/test_token_rules.py compares every token attribute with the stock
ruler's on real news.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

# A token is tested on these values, read once per token.
_ATTRS = ("LOWER", "TAG", "DEP", "IS_SPACE")
# One of these, tested for equality or membership, is what a pattern is filed under.
_INDEXED = ("LOWER", "TAG", "DEP")
_Test = Callable[[tuple], bool]


def _test(attr: str, spec: object) -> _Test | None:
    """A token test equal to the Matcher's for `{attr: spec}`, or None for what this module does not know."""
    if attr not in _ATTRS:
        return None
    k = _ATTRS.index(attr)
    if isinstance(spec, bool if attr == "IS_SPACE" else str):
        return lambda v: v[k] == spec
    if isinstance(spec, dict) and len(spec) == 1 and attr != "IS_SPACE":
        (op, arg), = spec.items()
        if op == "IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda v: v[k] in members
        if op == "NOT_IN" and isinstance(arg, list):
            members = frozenset(arg)
            return lambda v: v[k] not in members
        if op == "REGEX" and isinstance(arg, str):
            search = re.compile(arg).search
            return lambda v: search(v[k]) is not None
    return None


def _keys(token_pattern: dict) -> tuple[str, frozenset] | None:
    for attr in _INDEXED:
        spec = token_pattern.get(attr)
        if isinstance(spec, str):
            return attr, frozenset([spec])
        if isinstance(spec, dict) and list(spec) == ["IN"]:
            return attr, frozenset(spec["IN"])
    return None


class IndexedRules:
    """The `match` of one AttributeRuler, from its patterns as they are when this is made."""

    def __init__(self, ruler: AttributeRuler):
        self.vocab = ruler.vocab
        self._index: dict[str, dict[str, list[tuple[int, list[_Test]]]]] = {a: defaultdict(list) for a in _INDEXED}
        self._everywhere: list[tuple[int, list[_Test]]] = []
        self._rest = Matcher(ruler.vocab)
        # The ruler names the matches of each add() by its position, as a string (AttributeRuler.add).
        entries = ruler.patterns  # rebuilt from the ruler's Matcher on every access
        self._match_ids = [self.vocab.strings.add(str(i)) for i in range(len(entries))]
        for attr_id, entry in enumerate(entries):
            for pattern in entry["patterns"]:
                tests = [_test(a, s) for a, s in pattern[0].items()] if len(pattern) == 1 else [None]
                key = _keys(pattern[0]) if len(pattern) == 1 else None
                if None in tests or not tests:
                    self._rest.add(self._match_ids[attr_id], [pattern])
                elif key is None:
                    self._everywhere.append((attr_id, tests))
                else:
                    attr, values = key
                    for v in values:
                        self._index[attr][v].append((attr_id, tests))

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        found: set[tuple[int, int, int]] = set()
        lower, tag, dep = self._index["LOWER"], self._index["TAG"], self._index["DEP"]
        for i, token in enumerate(doc):
            values = (token.lower_, token.tag_, token.dep_, token.is_space)
            for candidates in (lower.get(values[0]), tag.get(values[1]), dep.get(values[2]), self._everywhere):
                if candidates:
                    for attr_id, tests in candidates:
                        for test in tests:
                            if not test(values):
                                break
                        else:
                            found.add((attr_id, i, i + 1))
        matches = [(attr_id, self._match_ids[attr_id], s, e) for attr_id, s, e in found]
        matches.extend((int(self.vocab.strings[m]), m, s, e) for m, s, e in self._rest(doc, allow_missing=True))
        matches.sort()  # as the ruler does: later patterns take precedence
        return matches


def index_attribute_ruler(ruler: AttributeRuler) -> None:
    """Match `ruler`'s patterns through an index from now on (the ruler keeps setting the attributes)."""
    ruler.match = IndexedRules(ruler).match  # type: ignore[method-assign]
