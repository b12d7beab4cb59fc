"""What capitals say about a text: in a headline set in Title Case or capitals, nothing about names.

Both the loaded-term detector and the entity spotter ask it; it depends on nothing but spaCy's Doc.
"""

from __future__ import annotations

from spacy.attrs import IS_ALPHA, LENGTH, ORTH, SHAPE
from spacy.tokens import Doc


def is_headline(doc: Doc) -> bool:
    """Title Case or ALL CAPS text, where capitals say nothing about names. Read from the Doc's arrays: it is
    asked of every paragraph, and a walk over Token objects cost a fifth of the component's time."""
    strings = doc.vocab.strings
    shapes = [shape for alpha, length, shape in doc.to_array([IS_ALPHA, LENGTH, SHAPE]).tolist() if alpha and length > 3]
    return len(shapes) >= 3 and sum(1 for shape in shapes if strings[shape][:1] == "X") >= 0.7 * len(shapes)


def headline_lines(doc: Doc) -> list[tuple[int, int]]:
    """The lines of a Doc (token ranges between line breaks) set as Title Case headlines: a text's first line
    is often its title, and a heading the extension sends is a block of its own. Stricter than `is_headline`:
    a sentence crowded with names ("Irina Bokova, of UNESCO, visited Palmyra.") still has a lower-case verb
    and ends with a full stop; a headline capitalises every long word and has no full stop."""
    strings = doc.vocab.strings
    rows = doc.to_array([IS_ALPHA, LENGTH, SHAPE, ORTH]).tolist()
    lines, start = [], 0
    for i in range(len(rows) + 1):
        if i == len(rows) or "\n" in strings[rows[i][3]]:
            line = [row for row in rows[start:i] if not strings[row[3]].isspace()]
            shapes = [shape for alpha, length, shape, _ in line if alpha and length > 3]
            if (len(shapes) >= 3 and sum(1 for shape in shapes if strings[shape][:1] == "X") >= 0.9 * len(shapes)
                    and strings[line[-1][3]] != "."):
                lines.append((start, i))
            start = i + 1
    return lines
