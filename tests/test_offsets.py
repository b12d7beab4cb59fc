"""Text as sent ⇄ text the NLP reads: invisible characters by Unicode category, offsets exact both ways."""

import unicodedata

import pytest

from reader_context.offsets import Visible
from reader_context.pipeline import Block


@pytest.mark.parametrize("char", ["\u00ad", "\u061c", "\u180e", "\u200b", "\u200d", "\u2061", "\u2064", "\u202e",
                                  "\ufeff", "\x00", "\x7f", "\U000e0001"])
def test_every_control_and_format_character_is_taken_out_and_mapped_back(char):
    assert unicodedata.category(char) in ("Cc", "Cf")
    sent = f"Vla{char}dimir Putin"
    visible = Visible.of(sent)
    assert visible.text == "Vladimir Putin"
    start, end = visible.original(0, 8)
    assert sent[start:end] == f"Vla{char}dimir"
    assert sent[slice(*visible.original(9, 14))] == "Putin"


def test_layout_characters_stay():
    text = "Line one\tcell\r\nLine two"
    assert Visible.of(text).text == text and Visible.of(text).kept is None


def test_soft_hyphens_hide_no_name_and_no_loaded_word(analyzer):
    text = "The sav\u00adage gunmen fled Pal\u00admyra, Vladimir Pu\u00adtin said."
    result = analyzer.analyze([Block("0", text)]).model_dump()
    putin = [m for m in result["mentions"] if m["card"] == "wikipedia:Vladimir Putin"]
    assert putin and putin[0]["text"] == "Vladimir Pu\u00adtin" == text[putin[0]["start"]:putin[0]["end"]]
    savage = [t for t in result["terms"] if t["lemma"] == "savage"]
    assert savage and savage[0]["text"] == "sav\u00adage" == text[savage[0]["start"]:savage[0]["end"]]
