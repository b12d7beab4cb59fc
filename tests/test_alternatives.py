"""Alternatives that drop into the sentence (issue 13): inflected to the matched word, of a part of speech that
fits it, honest about widened spans, never an instruction, and never offered inside a direct quotation."""

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


def alternatives(term, text: str, word: str) -> list[str]:
    return term(text, word)["alternatives"]


# -- tense, person and number ----------------------------------------------------------------------------


def test_a_past_tense_verb_takes_past_tense_alternatives(term):
    offered = alternatives(term, "The army eradicated the remaining extremists.", "eradicated")
    assert "killed" in offered and "defeated" in offered
    assert "kill" not in offered and "defeat" not in offered


def test_a_perfect_participle_takes_participles_and_a_phrasal_verb_inflects_its_verb(term):
    offered = alternatives(term, "Troops have eradicated the last armed cells.", "eradicated")
    assert {"killed", "driven out"} <= set(offered)


def test_a_plural_noun_takes_plural_alternatives(term):
    assert "militants" in alternatives(term, "The army eradicated the remaining extremists.", "extremists")
    offered = alternatives(term, "The terrorists fled across the border.", "terrorists")
    assert {"militants", "fighters", "attackers"} <= set(offered)
    assert "militant" not in offered
    assert "militant" in alternatives(term, "A terrorist fled across the border.", "terrorist")


def test_a_noun_phrase_takes_the_plural_at_its_head(term):
    assert "Islamist fighters" in alternatives(term, "The jihadis fled the town.", "jihadis")
    assert "Large numbers" in alternatives(term, "Hordes of people crossed the bridge.", "Hordes")


def test_third_person_singular(term):
    offered = alternatives(term, "The government eradicates dissent every spring.", "eradicates")
    assert {"kills", "defeats", "drives out"} <= set(offered)


def test_gerund(term):
    offered = alternatives(term, "Officials are eradicating the remaining cells.", "eradicating")
    assert {"killing", "defeating", "driving out"} <= set(offered)


def test_be_agrees_with_its_subject(term):
    assert "were present in" in alternatives(term, "Rats infested the old building.", "infested")
    assert "are present in" in alternatives(term, "Rats infest the old building.", "infest")


def test_the_object_a_gap_took_in_stays_with_the_verb(term):
    assert alternatives(term, "The soldiers wiped them out.", "wiped them out") == ["killed them", "defeated them"]


# -- degree ----------------------------------------------------------------------------------------------


def test_superlative_and_comparative_adjectives(term):
    assert "deadliest" in alternatives(term, "This was the vilest attack in years.", "vilest")
    assert "harsher" in alternatives(term, "The new rules are crueler than the old ones.", "crueler")
    # A long word is graded with "most", not an ending the dictionary happens to know ("bitterest").
    assert "most bitter" in alternatives(term, "The ugliest campaign in years has ended.", "ugliest")


# -- part of speech --------------------------------------------------------------------------------------


def test_a_noun_is_never_offered_for_a_verb(term):
    # rampage's alternatives are nouns ("attacks", "series of attacks"): a verb slot gets none of them.
    assert alternatives(term, "Gunmen rampaged through the market.", "rampaged") == []
    offered = alternatives(term, "The rebels slaughtered the villagers.", "slaughtered")
    assert offered == ["killed"]


def test_an_adjective_is_never_offered_for_a_noun(term):
    assert "hard-line" in alternatives(term, "He shared extremist views online.", "extremist")
    assert "hard-line" not in alternatives(term, "The army eradicated the remaining extremists.", "extremists")
    assert alternatives(term, "Savages attacked the convoy.", "Savages") == []


def test_a_participle_before_a_noun_takes_the_same_participle(term):
    assert alternatives(term, "The brutalized prisoners were freed.", "brutalized") == ["beaten", "mistreated"]


def test_omit_is_offered_only_where_the_sentence_stands_without_the_word(term):
    assert OMIT in alternatives(term, "It was a barbaric attack.", "barbaric")
    assert OMIT not in alternatives(term, "The attack was barbaric.", "barbaric")
    assert OMIT in alternatives(term, "They destroyed the town ruthlessly.", "ruthlessly")


# -- widened spans ---------------------------------------------------------------------------------------


def test_a_degree_word_stays_before_the_neutral_adjective(term):
    assert alternatives(term, "The response was so vile that nobody spoke.", "so vile") == ["so deadly"]
    assert "most serious" in alternatives(term, "It was the most heinous crime.", "most heinous")
    # Dropping the adjective leaves the degree word with nothing to modify, so the whole span goes.
    assert alternatives(term, "It was a truly shameful decision.", "truly shameful") == [OMIT]


def test_dropping_an_intensifier_leaves_the_adjective_it_inflated(term):
    assert alternatives(term, "The plan was utterly unacceptable.", "utterly unacceptable") == ["unacceptable"]


def test_a_labels_modifiers_stay_before_the_neutral_noun(term):
    assert alternatives(term, "Violent extremists attacked the town.", "Violent extremists") == ["Violent militants"]


def test_a_sentence_initial_match_keeps_its_capital(term):
    offered = alternatives(term, "Savage gunmen attacked the village.", "Savage")
    assert offered == [OMIT, "Brutal", "Armed"]
    assert alternatives(term, "Eradicated by the army, the group fell apart.", "Eradicated")[0] == "Killed"


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


# -- quotations ------------------------------------------------------------------------------------------


def test_nothing_is_offered_inside_a_direct_quotation(term):
    text = '"The extremists will be eradicated," a spokesman said.'
    for word in ("extremists", "eradicated"):
        quoted = term(text, word)
        assert quoted["attributed"]["quote"] is True
        assert quoted["alternatives"] == []
        assert quoted["note"].startswith("In a direct quotation: the speaker's words cannot be reworded.")


def test_the_same_words_in_the_outlets_own_sentence_get_alternatives(term):
    text = "The extremists will be eradicated, a spokesman said."
    assert term(text, "extremists")["attributed"] is None
    assert "militants" in alternatives(term, text, "extremists")
    assert "killed" in alternatives(term, text, "eradicated")


def test_reported_speech_is_the_outlets_wording_and_gets_alternatives(term):
    reported = term("Ahmed Hassan said the rebels were terrorists.", "terrorists")
    assert reported["attributed"] is None and reported["reported"] == {"speaker": "Ahmed Hassan"}
    assert "militants" in reported["alternatives"]


def test_the_span_extension_and_the_records_agree(nlp):
    doc = nlp("The army eradicated the remaining extremists.")
    assert [s._.loaded_term["alternatives"] for s in doc.spans["loaded_terms"]] == [
        r["alternatives"] for r in term_records(doc)]
