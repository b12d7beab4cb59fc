"""The loaded-terms evaluation: SemEval SI partial-overlap scoring, the VADER baseline, splits and the report.

The corpus here is a tiny one written for the test; the real PTC folder is only read if it is present.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import require_shared

from reader_context.evaluation.terms import (
    _Score,
    evaluate_terms,
    format_terms_report,
    is_held_out,
    merge_spans,
    read_gold,
    vader_spans,
)

PTC = Path(__file__).resolve().parents[2] / "shared" / "data" / "ptc-dev"


def test_partial_overlap_scoring_follows_the_si_definition():
    score = _Score()
    # Predicted [0,10) overlaps gold [5,15) by 5: precision credit 5/10, recall credit 5/10.
    # Predicted [20,22) lies inside gold [20,30): precision 2/2, recall 2/10. Predicted [40,45) misses.
    credits = score.add([(0, 10), (20, 22), (40, 45)], [(5, 15), (20, 30)])
    assert credits == [0.5, 1.0, 0.0]
    result = score.result()
    assert result["precision"] == pytest.approx(1.5 / 3, abs=1e-4)
    assert result["recall"] == pytest.approx((0.5 + 0.2) / 2, abs=1e-4)
    p, r = 0.5, 0.35
    assert result["f1"] == pytest.approx(2 * p * r / (p + r), abs=1e-4)


def test_empty_predictions_score_zero_not_an_error():
    score = _Score()
    score.add([], [(0, 4)])
    assert score.result() == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "predicted": 0, "gold": 1}


def test_overlapping_gold_spans_are_merged():
    assert merge_spans([(10, 20), (0, 5), (15, 30), (30, 31), (40, 41)]) == [(0, 5), (10, 31), (40, 41)]


def test_held_out_split_is_stable_and_about_a_fifth():
    ids = [str(111111111 + i) for i in range(2000)]
    held = [article for article in ids if is_held_out(article)]
    assert 0.15 < len(held) / len(ids) < 0.25
    assert held == [article for article in ids if is_held_out(article)]


def test_vader_baseline_flags_strongly_valenced_words():
    valences = {"horrible": -2.5, "good": 1.9, "hate": -2.7}
    text = "A horrible, good day; they hate it."
    assert [text[s:e] for s, e in vader_spans(text, valences)] == ["horrible", "hate"]


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """Two articles in PTC's layout (title, blank line, a sentence a line), written for this test."""
    articles = tmp_path / "articles"
    articles.mkdir()
    first = "Town falls\n\nThe savage gunmen fled the town.\nOfficials said the army took control.\n"
    second = "Report\n\nThe vile thugs jailed critics.\nIt was a quiet day.\n"
    (articles / "article1.txt").write_text(first, encoding="utf-8")
    (articles / "article2.txt").write_text(second, encoding="utf-8")
    savage = first.index("savage gunmen")
    vile = second.index("vile thugs")
    labels = [
        f"1\tLoaded_Language\t{savage}\t{savage + len('savage gunmen')}",
        "1\tRepetition\t0\t4",
        f"2\tName_Calling,Labeling\t{vile}\t{vile + len('vile thugs')}",
        f"2\tLoaded_Language\t{vile}\t{vile + len('vile')}",
    ]
    (tmp_path / "labels.tsv").write_text("\n".join(labels) + "\n", encoding="utf-8")
    return tmp_path


def test_gold_is_the_union_of_the_two_techniques_merged(corpus):
    gold = read_gold(corpus)
    assert set(gold) == {"1", "2"}
    assert len(gold["1"]) == 1 and len(gold["2"]) == 1


def test_evaluate_terms_on_a_small_corpus(corpus, nlp, loaded_terms):
    result = evaluate_terms(corpus, nlp, loaded_terms, article_ids={"1", "2"})
    split = result["splits"]["selected"]
    assert split["articles"] == 2
    ours, words = split["ours"], split["words_only"]
    # savage, vile and thugs are flagged, all inside gold spans. Their phrases, "savage gunmen" and "vile thugs"
    # (the two words' phrases merged into one expression), are the gold spans exactly.
    assert ours["predicted"] == 2 and ours["gold"] == 2
    assert ours["precision"] == 1.0 and ours["recall"] == 1.0
    # The marked words alone: "savage" covers 6 of "savage gunmen"'s 13 characters; "vile" and "thugs" 9 of 10.
    assert words["predicted"] == 3 and words["precision"] == 1.0
    assert words["recall"] == pytest.approx((6 / 13 + 9 / 10) / 2, abs=1e-4)
    assert "vader" in split and split["by_category"]["pejorative"]["predicted"] == 2

    report = format_terms_report(result)
    assert "| selected | 2 | Reader Context (phrases) | 2 | 2 | 1.000 | 1.000 | 1.000 |" in report
    assert "| selected | 2 | Reader Context (marked words only) | 3 | 2 | 1.000 |" in report
    assert "VADER \\|valence\\| ≥ 2" in report


def one_article(directory: Path, article_id: str, text: str, gold: str) -> None:
    """A PTC folder of one article whose one Loaded_Language span is the first `gold` in `text`."""
    (directory / "articles").mkdir()
    (directory / "articles" / f"article{article_id}.txt").write_text(text, encoding="utf-8")
    start = text.index(gold)
    (directory / "labels.tsv").write_text(f"{article_id}\tLoaded_Language\t{start}\t{start + len(gold)}\n",
                                          encoding="utf-8")


def test_rules_are_scored_one_by_one_and_the_weak_ones_listed(tmp_path, nlp, loaded_terms):
    """A rule that is wrong three times out of three is named for pruning; a rule that is right is not."""
    text = "Notes\n\nThe vile plan failed.\nA vile rumour spread.\nThe vile tax rose.\nThe savage gunmen fled.\n"
    one_article(tmp_path, "9", text, "savage gunmen")
    split = evaluate_terms(tmp_path, nlp, loaded_terms, article_ids={"9"})["splits"]["selected"]
    assert split["by_rule"]["pejorative.vile"] == {"predicted": 3, "precision": 0.0}
    assert split["by_rule"]["pejorative.savage"] == {"predicted": 1, "precision": 1.0}
    assert split["below_floor"] == ["pejorative.vile"]
    report = format_terms_report(evaluate_terms(tmp_path, nlp, loaded_terms, article_ids={"9"}))
    assert "| pejorative.vile | 3 | 0.000 |" in report
    assert "candidates for pruning: pejorative.vile." in report


def test_article_ids_select_a_subset(corpus, nlp, loaded_terms):
    result = evaluate_terms(corpus, nlp, loaded_terms, article_ids={"2"})
    assert result["splits"]["selected"]["articles"] == 1


def test_without_ids_both_splits_are_reported(corpus, nlp, loaded_terms):
    result = evaluate_terms(corpus, nlp, loaded_terms)
    assert set(result["splits"]) == {"dev", "held_out"}
    assert sum(split["articles"] for split in result["splits"].values()) == 2


def test_real_ptc_sample_when_present(nlp, loaded_terms):
    require_shared(PTC / "labels.tsv")
    sample = {p.stem.removeprefix("article") for p in sorted((PTC / "articles").glob("article*.txt"))[:5]}
    result = evaluate_terms(PTC, nlp, loaded_terms, article_ids=sample)
    split = result["splits"]["selected"]
    assert split["articles"] == 5
    assert split["ours"]["gold"] > 0 and split["vader"]["predicted"] > 0


def test_words_of_one_expression_count_once(tmp_path, nlp, loaded_terms):
    """Three loaded words sharing one phrase are one expression: recall cannot exceed what the gold holds."""
    one_article(tmp_path, "7", "Notes\n\nThe plan was reckless, cruel and shameful.\n", "reckless, cruel and shameful")
    ours = evaluate_terms(tmp_path, nlp, loaded_terms, article_ids={"7"})["splits"]["selected"]["ours"]
    assert ours["predicted"] == 1 and ours["recall"] == 1.0 and ours["precision"] == 1.0
