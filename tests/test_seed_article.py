"""The article the product was conceived on, end to end through the Analyzer."""

import pytest

from reader_context.pipeline import Block


@pytest.fixture(scope="module")
def seed_result(analyzer, seed_text):
    blocks = [Block(f"p{i}", line) for i, line in enumerate(seed_text.splitlines()) if line.strip()]
    return analyzer.analyze(blocks, features=("entities",)).model_dump()


@pytest.mark.parametrize("title", ["Palmyra", "Syria", "Russia", "Vladimir Putin", "UNESCO", "Damascus", "Brussels"])
def test_embedded_cards_for_the_known_names(seed_result, title):
    card = seed_result["cards"].get(f"wikipedia:{title}")
    assert card is not None, sorted(seed_result["cards"])
    assert card["source"] == "embedded" and card["attribution"] and card["url"].startswith("https://en.wikipedia.org/wiki/")
    assert any(m["card"] == card["id"] for m in seed_result["mentions"])


def test_palmyra_card_is_the_ancient_city(seed_result):
    assert "Ancient city" in seed_result["cards"]["wikipedia:Palmyra"]["description"]


def test_no_isis_mention_gets_the_goddess(seed_result):
    for m in seed_result["mentions"]:
        if m["text"].upper() == "ISIS":
            assert m["card"] != "wikipedia:Isis"


def test_irina_bokova_gets_an_article_card_that_mentions_unesco(seed_result):
    ids = {m["card"] for m in seed_result["mentions"] if m["text"] == "Irina Bokova"}
    assert len(ids) == 1
    card = seed_result["cards"][ids.pop()]
    assert card["source"] == "article"
    assert any("UNESCO" in c for c in card["in_article"])


def test_daesh_and_isis_are_tied_together(seed_result):
    ids = {m["card"] for m in seed_result["mentions"] if m["text"] in ("ISIS", "Daesh")}
    assert len(ids) == 1 and None not in ids
    assert "also known as Daesh" in seed_result["cards"][ids.pop()]["in_article"]


@pytest.fixture(scope="module")
def seed_terms(analyzer, seed_text):
    blocks = [Block(f"p{i}", line) for i, line in enumerate(seed_text.splitlines()) if line.strip()]
    return analyzer.analyze(blocks, features=("terms",)).model_dump()["terms"]


def test_alternatives_fit_the_sentence(seed_terms):
    """Issue 13: "have eradicated the remaining extremists" is offered "killed" and "militants"."""
    [eradicated] = [t for t in seed_terms if t["text"] == "eradicated"]
    assert "killed" in eradicated["alternatives"] and "kill" not in eradicated["alternatives"]
    [extremists] = [t for t in seed_terms if t["text"] == "extremists"]
    assert "militants" in extremists["alternatives"] and "militant" not in extremists["alternatives"]
    for term in seed_terms:
        assert not any(a.startswith("(") and a != "(omit)" for a in term["alternatives"]), term
        if term["attributed"] and term["attributed"]["quote"]:
            assert term["alternatives"] == [], term


def test_every_offset_is_exact(seed_result, seed_text):
    lines = {f"p{i}": line for i, line in enumerate(seed_text.splitlines()) if line.strip()}
    for m in seed_result["mentions"]:
        assert lines[m["block"]][m["start"]:m["end"]] == m["text"]
