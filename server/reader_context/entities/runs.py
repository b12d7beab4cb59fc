"""Runs of proper nouns that neither NER nor the knowledge base found ("Fakhr-al-Din al-Maani Castle").

Read from the Doc's token arrays in one pass: a token-pattern Matcher needs a Python callback per token for
"starts with a capital" and for "a hyphen written without spaces", which cost 4 ms per 1,000 words, eight
times this loop.
"""

from __future__ import annotations

from spacy.attrs import IS_ALPHA, LOWER, SHAPE, SPACY, TAG
from spacy.tokens import Doc, Span

from .spans import shouting
from .vocabulary import vocabulary

_PROPER = ("NNP", "NNPS")
_GLUE = ("-", "\u2010", "'")


def proper_runs(doc: Doc) -> list[Span]:
    """Two or more proper nouns, with connectors ("of", "al") and hyphens written without spaces inside
    them, never at either end; not in a sentence set in capitals."""
    n = len(doc)
    if n < 2:
        return []
    strings = doc.vocab.strings
    rows = doc.to_array([TAG, SHAPE, LOWER, SPACY, IS_ALPHA]).tolist()
    proper = {strings[t] for t in _PROPER}
    inside = {strings.add(w) for w in vocabulary().connectors}
    glue = {strings.add(w) for w in _GLUE}
    capital: dict[int, bool] = {}

    def starts(i: int) -> bool:  # a proper noun written with a capital
        tag, shape = rows[i][0], rows[i][1]
        if tag not in proper:
            return False
        if shape not in capital:
            capital[shape] = strings[shape][:1] == "X"
        return capital[shape]

    def continues(i: int) -> bool:
        lower = rows[i][2]
        if lower in inside or starts(i):
            return True
        return lower in glue and not rows[i - 1][3] and not rows[i][3]

    runs, i = [], 0
    while i < n:
        if not starts(i):
            i += 1
            continue
        j = i + 1
        while j < n and continues(j):
            j += 1
        while j > i + 1 and not starts(j - 1):
            j -= 1
        if sum(rows[k][4] for k in range(i, j)) >= 2:
            span = Span(doc, i, j)
            if not shouting(span):
                runs.append(span)
        i = max(j, i + 1)
    return runs
