"""What capitals say about a text: in a headline set in Title Case or capitals, nothing about names.

Both the loaded-term detector and the entity spotter ask it; it depends on nothing but spaCy's Doc.
"""

from __future__ import annotations

from spacy.attrs import IS_ALPHA, LENGTH, ORTH, SHAPE
from spacy.tokens import Doc


def is_headline(doc: Doc) -> bool:
    """Title Case or ALL CAPS text, where capitals say nothing about names. Read from the Doc's arrays: it is
    asked of every paragraph, and a walk over Token objects cost a fifth of the component's time."""
    rows = doc.to_array([IS_ALPHA, LENGTH, SHAPE]).tolist()
    return _capitalised_share(rows, doc.vocab.strings) >= 0.7


def headline_lines(doc: Doc) -> list[tuple[int, int]]:
    """The lines of a Doc (token ranges between line breaks) set as Title Case headlines: a text's first line
    is often its title, and a heading the extension sends is a block of its own. Stricter than `is_headline`:
    a sentence crowded with names ("Ana Ruiz, of Oxfam, toured Gaza.") still has a lower-case verb
    and ends with a full stop; a headline capitalises every long word and has no full stop."""
    strings = doc.vocab.strings
    rows = doc.to_array([IS_ALPHA, LENGTH, SHAPE, ORTH]).tolist()
    lines, start = [], 0
    for i in range(len(rows) + 1):
        if i == len(rows) or "\n" in strings[rows[i][3]]:
            line = [row for row in rows[start:i] if not strings[row[3]].isspace()]
            if _capitalised_share(line, strings) >= 0.9 and strings[line[-1][3]] != ".":
                lines.append((start, i))
            start = i + 1
    return lines


def _capitalised_share(rows: list[list[int]], strings) -> float:
    """The share of words over three letters that start with a capital, from rows of (IS_ALPHA, LENGTH, SHAPE,
    ...); 0 with fewer than three such words, which say nothing either way."""
    shapes = [row[2] for row in rows if row[0] and row[1] > 3]
    if len(shapes) < 3:
        return 0.0
    return sum(1 for shape in shapes if strings[shape][:1] == "X") / len(shapes)
