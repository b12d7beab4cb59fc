"""Alternatives that drop into the sentence (issue 13): never an instruction to the writer."""

from __future__ import annotations

import pytest
import spacy

import reader_context.language.terms  # noqa: F401  registers the factory until the package's entry point does
from reader_context.language import term_records
from reader_context.language.lexicon import OMIT
from reader_context.settings import Settings


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(Settings().spacy_model)
    nlp.add_pipe("reader_context_terms")
    return nlp


@pytest.fixture(scope="module")
def term(nlp):
    def run(text: str, word: str) -> dict:
        [found] = [t for t in term_records(nlp(text)) if t["text"] == word]
        return found

    return run


# -- instructions ----------------------------------------------------------------------------------------


def test_instructions_are_advice_in_the_note_not_alternatives(term, nlp):
    hypocrite = term("He is a hypocrite.", "hypocrite")
    assert hypocrite["alternatives"] == []
    assert hypocrite["note"] == "Better: show the inconsistency."
    terrorists = term("The terrorists fled across the border.", "terrorists")
    assert terrorists["note"].startswith("Better: name the group. ")
    text = "The savage terrorists, a vile and heinous cult of thugs, went on a rampage; he is a coward and a liar."
    for record in term_records(nlp(text)):
        assert all(a == OMIT or "(" not in a and "..." not in a for a in record["alternatives"]), record


def test_scare_quotes_offer_the_word_without_its_marks(term):
    quoted = term('The "reform" plan stalled.', '"reform"')
    assert quoted["alternatives"] == ["reform"]
    assert quoted["note"] == "Better: name who uses the word."
