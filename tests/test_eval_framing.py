"""`reader-context eval framing`: where the profile's levels fall on sets of articles, on articles we wrote."""

import json

from reader_context.evaluation.framing import evaluate_framing, format_framing_report, read_articles

CALM = ("The council met on Tuesday to discuss the budget.\nMembers approved a plan to repair two bridges.\n"
        "The work is expected to start in the spring.")
LOADED = ("The savage thugs of the corrupt regime unleashed a heinous bloodbath.\n"
          "Their vile, shameful campaign of terror was an utter disgrace.")


def test_a_news_set_and_a_propaganda_folder_are_rated_apart(tmp_path, analyzer):
    news = tmp_path / "news.jsonl"
    news.write_text("\n".join(json.dumps({"id": str(i), "text": CALM}) for i in range(3)) + "\n", encoding="utf-8")
    ptc = tmp_path / "ptc"
    (ptc / "articles").mkdir(parents=True)
    for i in range(3):
        (ptc / "articles" / f"article{i}.txt").write_text(f"Title\n\n{LOADED}\n", encoding="utf-8")
    assert len(read_articles(ptc)) == 3 and read_articles(news)[0] == CALM

    result = evaluate_framing([news, ptc], analyzer)
    calm, loaded = result["sets"]["news.jsonl"], result["sets"]["ptc"]
    assert calm["articles"] == 3 and calm["median"] == 0 and calm["elevated_or_high"] == 0
    assert loaded["high"] == 1.0 and loaded["median"] >= result["high_from"]
    report = format_framing_report(result)
    assert "| news.jsonl | 3 | 0" in report and "| ptc | 3 |" in report
