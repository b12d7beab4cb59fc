"""The entity-linking scorer on small hand-made gold documents, with a fake analyzer and store."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader_context.evaluation.entities import (
    TitleResolver, evaluate_entities, format_entities_report, is_capitalised, normalize_title, read_gold,
    type_is_named,
)
from reader_context.knowledge.entity import AliasHit, Entity
from reader_context.knowledge.names import alias_key

PERSON, PLACE, ORG, POSITION, OCCUPATION = "Q215627", "Q27096213", "Q43229", "Q4164871", "Q12737077"


class FakeStore:
    """Entities by id with their aliases, answering the two calls the scorer makes."""

    def __init__(self, entities: dict[str, tuple[str, bool, list[tuple[str, str]]]]):
        # id -> (title, common_noun, [(alias, origin)])
        self.known = entities

    def entities(self, ids):
        out = {}
        for i in ids:
            if i in self.known:
                title, noun, _ = self.known[i]
                out[i] = Entity(id=i, title=title, kind="other", description=None, summary=None, url=None,
                                source="embedded", attribution=None, context="", common_noun=noun)
        return out

    def lookup_alias(self, key):
        return [AliasHit(i, alias, origin, 1.0) for i, (title, _, aliases) in self.known.items()
                for alias, origin in [(title, "title"), *aliases] if alias_key(alias) == key]


STORE = FakeStore({
    "wikipedia:Ada Lovelace": ("Ada Lovelace", False, [("Lovelace", "surname")]),
    "wikipedia:Ruritania": ("Ruritania", False, [("Old Ruritania", "lead-alt")]),
    "wikipedia:Zenda": ("Zenda", False, []),
    "wikipedia:Glimmer, Ruritania": ("Glimmer, Ruritania", False, [("Glimmer", "lead")]),
    "wikipedia:Apple": ("Apple", True, []),
    "wikipedia:Brick Bank": ("Brick Bank", False, [("Bank", "lead-alt")]),
    "user:Tom Thumb": ("Tom Thumb", False, []),
})


def card(entity_id: str, source: str = "embedded") -> dict:
    title = STORE.known[entity_id][0] if entity_id in STORE.known else entity_id.split(":", 1)[1]
    return {"id": entity_id, "title": title, "source": source}


class FakeAnalyzer:
    """Returns a fixed response per document text; records how it was called."""

    def __init__(self, responses: dict[str, list[tuple[str, str | None, str]]]):
        # text -> [(mention text, card id or None, source)]; offsets are found in the text
        self.responses = responses
        self.store = STORE
        self.calls: list[tuple] = []

    def analyze(self, blocks, features=("entities", "terms"), online=None):
        self.calls.append((len(blocks), features, online))
        (block,) = blocks
        mentions, cards, pos = [], {}, {}
        for text, card_id, source in self.responses.get(block.text, []):
            start = block.text.index(text, pos.get(text, 0))
            pos[text] = start + 1
            mentions.append({"block": block.id, "start": start, "end": start + len(text), "text": text,
                             "label": "X", "card": card_id, "confidence": None})
            if card_id:
                cards[card_id] = card(card_id, source)
        response = {"mentions": mentions, "cards": cards}
        return SimpleNamespace(model_dump=lambda: response)  # read as the pipeline's AnalyzeResponse is


def span(text: str, needle: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return [start, start + len(needle)]


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


# A format A document of our own: the evaluation span stops before the last sentence.
TEXT_A = ("Ada Lovelace met the mayor of Glimmer in Ruritania. She said the Brick Bank was new. "
          "The king of Zenda ate an apple. Zenda is not scored here.")
END_A = TEXT_A.index(" Zenda is not")


def doc_a() -> dict:
    t = TEXT_A
    return {
        "id": 1, "title": "toy", "text": t, "evaluation_span": [0, END_A],
        "labels": [
            {"span": span(t, "Ada Lovelace"), "entity_id": "Q1", "name": "Ada Lovelace", "type": PERSON},
            {"span": span(t, "mayor"), "entity_id": "Q2", "name": "mayor", "type": f"{OCCUPATION}|{POSITION}"},
            {"span": span(t, "Glimmer"), "entity_id": "Q3", "name": "Glimmer", "type": PLACE},
            {"span": span(t, "Ruritania"), "entity_id": "Q4", "name": "Old Ruritania", "type": f"{PLACE}|{ORG}"},
            {"span": span(t, "She"), "entity_id": "Q1", "name": "Ada Lovelace", "type": PERSON, "coref": True},
            {"span": span(t, "Brick Bank"), "entity_id": "<NIL>", "name": "Unknown", "type": "OTHER"},
            {"span": span(t, "Zenda"), "entity_id": "Q5", "name": "Zenda", "type": PLACE},
            {"span": span(t, "apple"), "entity_id": "Q6", "name": "apple", "type": "Q2424752"},
            {"span": span(t, "Zenda", 1), "entity_id": "Q5", "name": "Zenda", "type": PLACE},  # outside the span
        ],
    }


RESPONSE_A = [
    ("Ada Lovelace", "wikipedia:Ada Lovelace", "embedded"),  # right, exact span
    ("Glimmer", "wikipedia:Glimmer, Ruritania", "embedded"),  # right: the label drops the disambiguator
    ("Ruritania", "wikipedia:Ruritania", "embedded"),  # right: the gold gives its older name
    ("She", "wikipedia:Ada Lovelace", "embedded"),  # on a coref label only: unannotated
    ("Bank", "wikipedia:Brick Bank", "embedded"),  # on a gold NIL: wrong, and on a part of it
    ("king", "wikipedia:Tom Thumb", "user"),  # no gold there: unannotated
    ("Zenda", "article:Zenda", "article"),  # an article card is no link: counted apart, misses Zenda
    ("Zenda", "wikipedia:Zenda", "embedded"),  # outside evaluation_span: ignored
]


def test_format_a_counts(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [doc_a()])
    analyzer = FakeAnalyzer({TEXT_A: RESPONSE_A})
    result = evaluate_entities([path], analyzer)
    f = result["files"][0]
    assert analyzer.calls == [(1, ("entities",), "never")]  # one call, one block per document
    assert f["format"] == "A" and f["docs"] == 1
    # named gold: Ada Lovelace, Glimmer, Ruritania, Zenda (inside); not mayor (occupation), apple
    # (lower case), Brick Bank (NIL), She (coref), the second Zenda (outside the span)
    assert f["gold_named"] == 4
    assert f["gold_named_in_kb"] == 4
    assert f["shown_cards"] == 6  # embedded/user cards inside the span, article card excluded
    assert f["article_cards"] == 1
    assert (f["shown_aligned"], f["correct"], f["wrong"], f["unannotated"]) == (4, 3, 1, 2)
    assert (f["wrong_on_nil"], f["wrong_partial"]) == (1, 1)
    assert (f["correct_by_alias"], f["correct_by_label"]) == (1, 1)
    assert f["precision"] == pytest.approx(3 / 4, abs=1e-4)
    assert f["strict_precision"] == pytest.approx(3 / 6, abs=1e-4)
    assert f["recall_named"] == f["recall_named_in_kb"] == pytest.approx(3 / 4, abs=1e-4)
    assert f["wrong_cards"] == [{"mention": "Bank", "ours": "Brick Bank", "gold": "NIL", "count": 1}]
    assert f["missed_in_kb"] == [{"mention": "Zenda", "gold": "Zenda", "ours": "(article card)", "count": 1}]
    assert f["missed_reasons"] == {"article card": 1}
    assert {u["mention"] for u in f["unannotated_cards"]} == {"She", "king"}


def test_overlap_alignment_and_recall_through_a_nested_child(tmp_path):
    text = "Shares rose in Glimmer, Ruritania today."
    doc = {"id": 2, "text": text, "evaluation_span": [0, len(text)], "labels": [
        {"span": span(text, "Glimmer, Ruritania"), "entity_id": "Q3", "name": "Glimmer", "type": PLACE,
         "children": [1, 2]},
        {"span": span(text, "Glimmer"), "entity_id": "Q3", "name": "Glimmer", "type": PLACE, "parent": 0},
        {"span": span(text, "Ruritania"), "entity_id": "Q4", "name": "Ruritania", "type": PLACE, "parent": 0,
         "optional": True},
    ]}
    path = write_jsonl(tmp_path / "n.jsonl", [doc])
    result = evaluate_entities([path], FakeAnalyzer({text: [("Glimmer", "wikipedia:Glimmer, Ruritania", "embedded")]}))
    f = result["files"][0]
    # one card overlapping parent and child: one shown card, right, on an exact span
    assert (f["shown_aligned"], f["correct"], f["exact_span"], f["correct_exact_span"]) == (1, 1, 1, 1)
    # the optional child does not count in recall; parent and child are both recalled
    assert (f["gold_named"], f["recalled_named"]) == (2, 2)


def test_format_b_whole_text_nil_and_underscores(tmp_path):
    text = "In Zenda the mayor met Tom Thumb and a bank. Ada spoke."
    doc = {"doc": "toy-b", "text": text, "labels": [
        {"start": 3, "end": 8, "mention": "Zenda", "wikipedia_title": "Zenda"},
        {"start": span(text, "Tom Thumb")[0], "end": span(text, "Tom Thumb")[1], "mention": "Tom Thumb",
         "wikipedia_title": "Tom_Thumb_(performer)"},
        {"start": span(text, "bank")[0], "end": span(text, "bank")[1], "mention": "bank",
         "wikipedia_title": "Bank"},  # lower case: not named
        {"start": span(text, "Ada")[0], "end": span(text, "Ada")[1], "mention": "Ada", "wikipedia_title": None},
    ]}
    path = write_jsonl(tmp_path / "b.jsonl", [doc])
    fmt, docs = read_gold(path)
    assert fmt == "B" and docs[0].span == (0, len(text))
    response = [
        ("Zenda", "wikipedia:Zenda", "embedded"),
        ("Tom Thumb", "user:Tom Thumb", "user"),  # gold is another Tom Thumb: wrong
        ("Ada", "wikipedia:Ada Lovelace", "embedded"),  # gold NIL: wrong
    ]
    f = evaluate_entities([path], FakeAnalyzer({text: response}))["files"][0]
    assert f["format"] == "B"
    assert (f["gold_named"], f["gold_named_in_kb"]) == (2, 1)
    assert (f["correct"], f["wrong"], f["wrong_on_nil"]) == (1, 2, 1)
    assert f["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert f["recall_named"] == pytest.approx(1 / 2) and f["recall_named_in_kb"] == 1.0
    assert {(w["mention"], w["gold"]) for w in f["wrong_cards"]} == {("Tom Thumb", "Tom Thumb (performer)"),
                                                                    ("Ada", "NIL")}


def test_totals_and_report(tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", [doc_a()])
    empty = write_jsonl(tmp_path / "empty.jsonl", [{"doc": "e", "text": "Nothing here.", "labels": []}])
    result = evaluate_entities([a, empty], FakeAnalyzer({TEXT_A: RESPONSE_A}))
    assert [f["file"] for f in result["files"]] == ["a.jsonl", "empty.jsonl"]
    assert result["files"][1]["precision"] is None
    total = result["total"]
    assert (total["docs"], total["correct"], total["wrong"]) == (2, 3, 1)
    report = format_entities_report(result)
    assert "| a.jsonl | 1 | 4 | 4 | 4 | 3 | 0.750 | 0.500 | 0.750 | 0.750 | 2 | 1 |" in report
    assert "**total**" in report and "| Bank | Brick Bank | NIL | 1 |" in report
    assert "| empty.jsonl | 1 | 0 | 0 | 0 | 0 | – | – | – | – | 0 | 0 |" in report


def test_title_resolution_rules():
    r = TitleResolver(STORE)
    assert r.resolve("Ada_Lovelace") == (frozenset({"wikipedia:Ada Lovelace"}), "title")
    assert r.resolve("old Ruritania") == (frozenset({"wikipedia:Ruritania"}), "alias")
    assert r.resolve("Glimmer") == (frozenset({"wikipedia:Glimmer, Ruritania"}), "label")
    assert r.resolve("Lovelace")[0] == frozenset()  # a surname is not another title
    assert r.resolve("Bank")[0] == frozenset()  # a shortening of "Brick Bank" is not another name of it
    # a name typed as a company never names the common noun "Apple"
    assert r.resolve("Apple")[0] == {"wikipedia:Apple"}
    assert r.resolve("Apple", typed_name=True)[0] == frozenset()
    apple = card("wikipedia:Apple")
    assert r.match(apple, "apple") == "title" and r.match(apple, "Apple", typed_name=True) == ""


def test_named_rules():
    assert type_is_named(PERSON) and type_is_named(f"{PLACE}|{POSITION}|{ORG}")  # "Japan"
    assert not type_is_named(f"{OCCUPATION}|{PERSON}|{POSITION}")  # "judge"
    assert not type_is_named("Q33829") and not type_is_named("OTHER") and not type_is_named("QUANTITY")
    assert is_capitalised("Ada") and is_capitalised("iTunes") and is_capitalised('"Zenda"')
    assert not is_capitalised("apple") and not is_capitalised("42")
    assert normalize_title("new_York  City") == "New York City"
    assert normalize_title("Iran\u2013Iraq War") == normalize_title("Iran-Iraq War")
    assert normalize_title("National Park") != normalize_title("National park")


def test_sentences_are_scored_one_by_one_with_offsets_into_the_document(analyzer, tmp_path):
    """`eval entities --sentences` analyses each sentence alone, as an API user sends a short text, and scores
    the marks where they stand in the whole document."""
    text = "Vladimir Putin flew to Damascus on Monday. Angela Merkel stayed in Berlin."
    labels = [{"start": s, "end": s + len(n), "mention": n, "wikipedia_title": t} for n, t in (
        ("Vladimir Putin", "Vladimir Putin"), ("Damascus", "Damascus"), ("Angela Merkel", "Angela Merkel"),
        ("Berlin", "Berlin")) for s in [text.index(n)]]
    path = write_jsonl(tmp_path / "two.jsonl", [{"doc": "two", "text": text, "labels": labels}])
    whole = evaluate_entities([path], analyzer)["total"]
    alone = evaluate_entities([path], analyzer, sentences=True)["total"]
    assert whole["correct"] == alone["correct"] == 4 and alone["precision"] == 1.0


def test_threshold_table_scores_each_threshold_and_restores_the_configured_one(tmp_path, analyzer):
    from reader_context.evaluation.entities import format_threshold_table, threshold_table

    text = "Vladimir Putin flew to Syria and toured Palmyra with his generals."
    gold = {"id": 1, "title": "toy", "text": text, "evaluation_span": [0, len(text)], "labels": [
        {"span": span(text, "Vladimir Putin"), "entity_id": "Q7747", "name": "Vladimir Putin", "type": PERSON},
        {"span": span(text, "Syria"), "entity_id": "Q858", "name": "Syria", "type": PLACE},
        {"span": span(text, "Palmyra"), "entity_id": "Q5747", "name": "Palmyra", "type": PLACE},
    ]}
    path = write_jsonl(tmp_path / "toy.jsonl", [gold])
    configured = analyzer.linker.threshold
    rows = threshold_table([path], analyzer, [0.3, 1.0])
    assert analyzer.linker.threshold == configured
    by = {(r["threshold"], r["file"]): r for r in rows}
    assert by[(0.3, "toy.jsonl")]["correct"] == 3
    assert by[(1.0, "toy.jsonl")]["shown_aligned"] == 0  # no score reaches 1: every mention is NIL
    table = format_threshold_table(rows)
    assert "| 0.30 | toy.jsonl | 3 | 3 | 1.000 |" in table
