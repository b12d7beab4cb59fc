"""The attribute ruler matched through an index (token_rules.py) must tag exactly as spaCy's own: part of speech,
morphology and lemmas feed the loaded-term matcher, the phrases and the mention filter."""

from __future__ import annotations

from operator import attrgetter

import pytest
import spacy
from spacy.pipeline import AttributeRuler

from conftest import SHARED, require_shared
from reader_context.nlp import load_pipeline
from reader_context.settings import Settings
from reader_context.token_rules import IndexedRules, index_attribute_ruler

MODEL = Settings().spacy_model
ATTRS = ("text", "tag_", "pos_", "morph", "lemma_", "dep_", "head.i", "ent_type_")

# Our own sentences, with the shapes the English ruler has rules for: contractions and colloquial pairs (its
# patterns of two tokens), pronouns by case, auxiliaries, "there is", determiners used as pronouns, odd spacing.
OWN_TEXTS = [
    "Y'all ain't gonna believe it, but the council let's say \"postponed\" the vote again.",
    "I told you it was there: there are three of them, and that is what they did.",
    "Those who had left did not come back; he has gotten what he wanted , c'mon .",
    "The minister, who does not answer questions, had the report  rewritten \n twice.",
    "Gotta go: they were asked whether it could be done, and which of these would.",
]


def _same_tokens(stock, ours, texts) -> None:
    for text, a, b in zip(texts, stock.pipe(texts), ours.pipe(texts)):
        for x, y in zip(a, b, strict=True):
            got = [(str(attrgetter(attr)(x)), str(attrgetter(attr)(y))) for attr in ATTRS]
            assert all(p == q for p, q in got), (text[max(0, x.idx - 40):x.idx + 40], got)


@pytest.fixture(scope="module")
def pipelines():
    stock, ours = spacy.load(MODEL), spacy.load(MODEL)
    index_attribute_ruler(ours.get_pipe("attribute_ruler"))
    return stock, ours


def test_the_served_pipeline_matches_its_ruler_through_the_index():
    ruler = load_pipeline(MODEL).get_pipe("attribute_ruler")
    assert isinstance(ruler.match.__self__, IndexedRules)


def test_every_token_attribute_is_spacys_on_our_sentences(pipelines):
    _same_tokens(*pipelines, OWN_TEXTS)


def test_every_token_attribute_is_spacys_on_real_news(pipelines):
    articles = sorted(require_shared(SHARED / "data" / "ptc-dev" / "articles").glob("*.txt"))[:60]
    texts = [p for a in articles for p in a.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    assert sum(len(t.split()) for t in texts) > 20_000
    _same_tokens(*pipelines, texts)


def test_each_kind_of_pattern_matches_as_spacys_matcher_does():
    """Every operator the index knows, one it does not (left to a Matcher) and patterns of two tokens; a later
    pattern overrides an earlier one on the same token, as in the ruler."""
    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    rules = [
        ([{"LOWER": "the"}], {"LEMMA": "THE"}),
        ([{"LOWER": {"IN": ["cat", "cats"]}, "IS_SPACE": False}], {"LEMMA": "feline"}),
        ([{"LOWER": {"NOT_IN": ["the", "cat"]}, "IS_SPACE": False}], {"NORM": "other"}),
        ([{"LOWER": {"REGEX": "^sat$|^mat"}}], {"LEMMA": "sit-or-mat"}),
        ([{"LENGTH": {">=": 4}}], {"NORM": "long"}),  # an operator the index leaves to a Matcher
        ([{"LOWER": "on"}, {"LOWER": "the"}], {"LEMMA": "on-the"}),  # two tokens, the second one set
        ([{"IS_SPACE": True}], {"LEMMA": "space"}),
        ([{"LOWER": "cats"}], {"LEMMA": "cats, later"}),  # later than "feline": takes precedence
    ]
    for pattern, attrs in rules:
        index = 1 if len(pattern) == 2 else 0
        ruler.add([pattern], attrs, index=index)
    for text in ("The cat sat on the mat .", "Cats  on the mats", "the THE tHe  \n sat-on"):
        stock, ours = nlp.make_doc(text), nlp.make_doc(text)
        ruler(stock)
        assert IndexedRules(ruler).match(ours) == ruler.match(ours)
        ruler.set_annotations(ours, IndexedRules(ruler).match(ours))
        assert [(t.lemma_, t.norm_) for t in ours] == [(t.lemma_, t.norm_) for t in stock]
    doc = nlp.make_doc("Cats on the mat")
    ruler.set_annotations(doc, IndexedRules(ruler).match(doc))
    assert [t.lemma_ for t in doc] == ["cats, later", "", "on-the", "sit-or-mat"] and doc[0].norm_ == "long"
