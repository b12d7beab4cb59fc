"""Sense constraints of the lexicon: a loaded word used in its literal sense is left alone.

Each class below is one the editors found flagged wrongly on unseen news; the sentences are our own.
"""

from __future__ import annotations

import pytest
import spacy

from reader_context.language import term_records


@pytest.fixture(scope="module")
def flagged(settings):
    nlp = spacy.load(settings.spacy_model)
    nlp.add_pipe("reader_context_terms")
    return lambda text: [t["lemma"] for t in term_records(nlp(text))]


@pytest.mark.parametrize(
    ("text", "lemma", "loaded"),
    [
        # Eliminationist verbs are loaded when people are their object, literal for diseases, programmes, crime.
        ("The army eradicated the remaining extremists.", "eradicate", True),
        ("The army vowed to wipe them out.", "wipe … out", True),
        ("Health workers eradicated polio in the province.", "eradicate", False),
        ("The new rules eliminate the fee for students.", "eliminate", False),
        ("The governor promised to stamp out the programme.", "stamp out", False),
        ("The mayor promised to stamp out the crime wave.", "stamp out", False),
        ("The general promised to stamp out the rebels.", "stamp out", True),
        ("The troops annihilated thousands of villagers.", "annihilate", True),
        ("United crushed their rivals in the cup final.", "crush", False),
        ("The police crushed the protesters.", "crush", True),
        # Animal words about animals.
        ("A swarm of bees settled on the hive.", "swarm", False),
        ("The farmer found vermin in the barn and set traps.", "vermin", False),
        ("The minister called the refugees vermin.", "vermin", True),
        # Words for people's vices applied to things.
        ("Toxic chemicals leaked into the river.", "toxic", False),
        ("The report found toxic waste near the school.", "toxic", False),
        ("Voters are tired of his toxic rhetoric.", "toxic", True),
        ("He runs a filthy operation of liars.", "filthy", True),
        # Religious vocabulary in religious writing, but not when said of people.
        ("The psalm asks God to deliver the faithful from evil.", "evil", False),
        ("The senator called the plan evil.", "evil", True),
        ("The sermon spoke of sin and of corrupt and evil men.", "evil", True),
        # A blow to a thing is a blow; to a ruling it is criticism dressed as one.
        ("He slammed the door and left.", "slam", False),
        ("The minister slammed the ruling.", "slam", True),
        # Size and record words measure a natural hazard or a physical event; of a decision or an attack they judge.
        ("A massive earthquake struck the coast on Monday.", "massive", False),
        ("Forecasters warned of catastrophic flooding in the valley.", "catastrophic", False),
        ("The city saw unprecedented rainfall this week.", "unprecedented", False),
        ("It was a massive failure of leadership.", "massive", True),
        ("The minister called it an unprecedented attack on democracy.", "unprecedented", True),
        ("After the storm came the catastrophic decision to close the dam.", "catastrophic", True),
        # Damage words of a storm or a quake measure it; of a policy or a verdict they judge.
        ("The storm wreaked havoc on the coast.", "wreak havoc", False),
        ("The new rules wreaked havoc on small schools.", "wreak havoc", True),
        ("The devastating hurricane flattened the harbour.", "devastating", False),
        ("It was a devastating verdict for the mayor.", "devastating", True),
        ("The earthquake was the worst disaster in decades.", "disaster", False),
        ("Critics called the reform a disaster.", "disaster", True),
        # A degree adverb on a measure, a certainty or a quantifier emphasises; on praise or blame it loads.
        ("The vote was extremely close.", "extremely", False),
        ("Investigators found absolutely nothing in the car.", "absolutely", False),
        ("The council is totally committed to the plan.", "totally", False),
        ("The remarks were absolutely disgusting.", "absolutely", True),
        ("Her rivals are extremely dishonest.", "extremely", True),
        # With nothing it modifies, a quantifier elsewhere in the sentence says nothing of it.
        ("Was the rally a success? Extremely, in all respects.", "extremely", True),
        # A label of people used as a classifier of a thing ("a terrorist motive") describes the thing.
        ("Police ruled out a terrorist motive for the fire.", "terrorist", False),
        ("The terrorists fled across the border.", "terrorist", True),
        # A noun the tagger read as a verb stays a noun.
        ("Navy torpedo boats of the squadron attacked.", "torpedo", False),
        ("Senators torpedoed the bill on Friday.", "torpedo", True),
        # An assault on a person is an assault; on a freedom it is a policy cast as violence.
        ("She told the court his assault on me changed her life.", "assault on", False),
        ("Critics called the bill an assault on free speech.", "assault on", True),
        # The standard name of an event.
        ("Survivors of the Holocaust met in Berlin.", "holocaust", False),
        ("Critics warned of a nuclear holocaust.", "holocaust", True),
    ],
)
def test_literal_senses_are_left_alone(flagged, text, lemma, loaded):
    assert (lemma in flagged(text)) is loaded, flagged(text)
