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
    assert Visible.of(text).text == text and Visible.of(text).starts is None


def test_soft_hyphens_hide_no_name_and_no_loaded_word(analyzer):
    text = "The sav\u00adage gunmen fled Pal\u00admyra, Vladimir Pu\u00adtin said."
    result = analyzer.analyze([Block("0", text)]).model_dump()
    putin = [m for m in result["mentions"] if m["card"] == "wikipedia:Vladimir Putin"]
    assert putin and putin[0]["text"] == "Vladimir Pu\u00adtin" == text[putin[0]["start"]:putin[0]["end"]]
    savage = [t for t in result["terms"] if t["lemma"] == "savage"]
    assert savage and savage[0]["text"] == "sav\u00adage" == text[savage[0]["start"]:savage[0]["end"]]


def test_decomposed_text_keeps_its_names_with_offsets_into_the_text_as_sent(analyzer):
    """macOS file names and some editors send "São Paulo" as "Sa\u0303o Paulo" (NFD): the NLP must read the
    composed words, and every mark still cover exactly the characters as sent."""
    composed = "Protesters marched in São Paulo, and Fatoumata Keïta, a curator at the museum, said the savage raid shocked her."
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    want = analyzer.analyze([Block("0", composed)]).model_dump()
    got = analyzer.analyze([Block("0", decomposed)]).model_dump()
    assert any(m["card"] == "wikipedia:São Paulo" for m in want["mentions"])
    for key in ("mentions", "terms"):
        assert [unicodedata.normalize("NFC", m["text"]) for m in got[key]] == [m["text"] for m in want[key]], key
        assert [m.get("card") for m in got[key]] == [m.get("card") for m in want[key]]
        assert all(decomposed[m["start"]:m["end"]] == m["text"] for m in got[key])


@pytest.mark.parametrize("sent, visible_text, span, original", [
    ("Sa\u0303o Paulo", "São Paulo", (0, 3), "Sa\u0303o"),
    ("Kei\u00ad\u0308ta said", "Keïta said", (0, 5), "Kei\u00ad\u0308ta"),  # a soft hyphen between letter and mark
    ("\u1100\u1161\u11a8 Seoul", "\uac01 Seoul", (0, 1), "\u1100\u1161\u11a8"),  # Hangul jamo compose too
    ("e\u0301\u0301 x", "\u00e9\u0301 x", (1, 2), "e\u0301\u0301"),  # a mark with nothing to join stays with its letter
])
def test_composed_characters_map_back_to_all_they_were_made_of(sent, visible_text, span, original):
    visible = Visible.of(sent)
    assert visible.text == visible_text
    start, end = visible.original(*span)
    assert sent[start:end] == original
