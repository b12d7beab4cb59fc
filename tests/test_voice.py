"""Whose voice a loaded word is in, across the blocks of a request: the written cases (tests/data/voice_cases.yaml),
the component as a spaCy user calls it, the API's block kinds and reported speech, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from reader_context.evaluation.voice import evaluate_voice, format_voice_report, load_cases
from reader_context.language import QUOTED_KEY, term_records
from reader_context.pipeline import Block

CASES = Path(__file__).resolve().parent / "data" / "voice_cases.yaml"


@pytest.fixture(scope="module")
def scored(analyzer):
    return evaluate_voice(CASES, analyzer)


@pytest.mark.parametrize("case_id", [case["id"] for case in load_cases(CASES)])
def test_each_written_case(scored, case_id):
    judged = next(j for j in scored["judged"] if j["id"] == case_id)
    assert judged["voice"] and judged["speaker"] is not False, judged


def test_the_cases_cover_every_class_and_report_their_accuracy(scored, capsys):
    classes = {j["class"] for j in scored["judged"]}
    assert classes == {"marks", "quote-block", "paragraphs", "colon", "transcript", "reported", "speaker", "robust"}
    with capsys.disabled():
        print("\n" + format_voice_report(scored))


# -- the component as a spaCy user calls it ------------------------------------------------------------


@pytest.fixture(scope="module")
def pipeline(settings):
    nlp = spacy.load(settings.spacy_model)
    nlp.add_pipe("reader_context_terms")
    return nlp


def read(nlp, texts, kinds=None):
    with nlp.select_pipes(disable=["reader_context_terms"]):
        docs = list(nlp.pipe(texts))
    return nlp.get_pipe("reader_context_terms").read_article(docs, kinds)


def test_read_article_carries_a_quotation_over_paragraphs(pipeline):
    docs = read(pipeline, ['Ahmed Hassan said: "We crossed at night. The vile guards were asleep.',
                           '"Nobody stopped us," he added.', "The savage fighting went on."])
    vile = term_records(docs[0])[0]
    assert vile["attributed"] == {"quote": True, "speaker": "Ahmed Hassan"}
    assert term_records(docs[2])[0]["attributed"] is None
    assert [s.text for s in docs[0].spans[QUOTED_KEY]] == ["We crossed at night. The vile guards were asleep."]
    assert [s.text for s in docs[1].spans[QUOTED_KEY]] == ["Nobody stopped us,"]
    assert list(docs[2].spans[QUOTED_KEY]) == []


def test_a_doc_read_alone_keeps_the_marks_of_its_own_block(pipeline):
    doc = pipeline('Ahmed Hassan said: "The vile guards were asleep."')
    assert term_records(doc)[0]["attributed"] == {"quote": True, "speaker": "Ahmed Hassan"}
    # Left open, and with no next paragraph to continue it, the quotation ends with its sentence.
    doc = pipeline('Ahmed Hassan said: "We crossed at night. The vile guards were asleep.')
    assert term_records(doc)[0]["attributed"] is None
    alone = pipeline("The vile guards were asleep.")
    assert term_records(alone)[0]["attributed"] is None and list(alone.spans[QUOTED_KEY]) == []


def test_a_quote_block_is_quoted_and_its_scare_quotes_are_the_speakers(pipeline):
    docs = read(pipeline, ["Lena Brandt wrote:", 'The "peace" they offer is a lie.'], [None, "quote"])
    terms = term_records(docs[1])
    assert terms and all(t["attributed"] == {"quote": True, "speaker": "Lena Brandt"} for t in terms)


def test_unparsed_docs_and_odd_kinds_are_refused_with_a_sentence(pipeline):
    component = pipeline.get_pipe("reader_context_terms")
    with pytest.raises(ValueError, match="no parse or tags"):
        component.read_article([pipeline.make_doc("Savage men said: hi.")])
    with pytest.raises(ValueError, match="kinds: one per doc"):
        read(pipeline, ["One.", "Two."], ["quote"])
    with pytest.raises(ValueError, match="kinds: one per doc"):
        read(pipeline, ["One."], ["footnote"])


@pytest.mark.parametrize("texts, kinds", [
    (["", "   ", '"', "“", "”", "‘", ":", '"":', "“”"], None),
    (['He said: "', '"', '"', '"savage'], None),
    (["Here is the full text of the speech:", "", "  "], [None, "quote", None]),
    (["X said:"], ["quote"]),
    (['"vile"', '“savage', '«heinous»', "‘vile’"], ["quote", "heading", "caption", None]),
    (["Read the transcript below:"] + ["“We are ‘savage’ he said: ”"] * 30, None),
    (["it said:", "they said:", "he said:", "She said the savage men fled."], None),
])
def test_bad_input_never_crashes(pipeline, texts, kinds):
    docs = read(pipeline, texts, kinds)
    for doc in docs:
        for term in term_records(doc):
            assert doc.text[term["start"]:term["end"]] == term["text"]
        covered = [t.i for span in doc.spans[QUOTED_KEY] for t in span]
        assert len(covered) == len(set(covered))


# -- through the API ------------------------------------------------------------------------------------


def test_the_api_takes_block_kinds_and_answers_reported_speech(client):
    body = {"blocks": [{"id": "a", "text": "Foreign Minister Lena Brandt said in a statement:"},
                       {"id": "b", "text": "We condemn this savage attack.", "kind": "quote"},
                       {"id": "c", "text": "Officials said the vile raid was planned.", "kind": None},
                       {"id": "d", "text": "The savage days", "kind": "heading"}]}
    res = client.post("/api/v1/analyze", json={**body, "features": ["terms"]})
    assert res.status_code == 200, res.get_data(as_text=True)
    terms = {t["block"]: t for t in res.get_json()["terms"]}
    assert terms["b"]["attributed"]["quote"] is True and "Lena Brandt" in terms["b"]["attributed"]["speaker"]
    assert terms["b"]["reported"] is None
    assert terms["c"]["attributed"] is None and terms["c"]["reported"] == {"speaker": None}
    assert terms["d"]["attributed"] is None


def test_an_unknown_block_kind_is_a_400_naming_the_field(client):
    res = client.post("/api/v1/analyze", json={"blocks": [{"id": "a", "text": "x", "kind": "footnote"}]})
    assert res.status_code == 400
    assert res.get_json()["error"]["field"] == "blocks.0.kind"


def test_a_kind_changes_the_answer_so_it_is_part_of_the_cache_key(analyzer):
    texts = ["The talks resumed.", "The puppet must go."]
    plain = analyzer.analyze([Block(f"b{i}", t) for i, t in enumerate(texts)], features=("terms",))
    quoted = analyzer.analyze([Block("b0", texts[0]), Block("b1", texts[1], "quote")], features=("terms",))
    assert plain.terms[0].attributed is None
    assert quoted.terms[0].attributed is not None and not quoted.stats.cached


def test_the_author_rate_is_over_the_authors_own_words(analyzer):
    speech = "My fellow citizens, tonight I speak to you about our schools, our roads and our farms. " * 20
    blocks = [Block("intro", "The vile leader spoke for an hour. Here is the full text of his speech:"),
              Block("speech", speech)]
    stats = analyzer.analyze(blocks, features=("terms",)).stats
    assert stats.author.count == 1 and stats.author.words < 20
    assert stats.quoted.words > 300 and stats.author.words + stats.quoted.words == stats.words
    assert stats.author_loaded_level == "high"
