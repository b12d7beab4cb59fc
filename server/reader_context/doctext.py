"""A Doc's text, read once: spaCy joins doc.text from every token on each access, and both the entity spotter and
the loaded-term detector ask for it many times per block. Depends on nothing but spaCy's Doc."""

from __future__ import annotations

from spacy.tokens import Doc

_KEY = "reader_context.text"


def text_of(doc: Doc) -> str:
    """doc.text, kept on the Doc after the first read, or as given by whoever made the Doc (`remember_text`)."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def remember_text(doc: Doc, text: str) -> Doc:
    """Say what text `doc` was made from (the tokenizer keeps every character, so it is doc.text)."""
    doc.user_data[_KEY] = text
    return doc
