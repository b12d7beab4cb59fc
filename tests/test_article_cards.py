"""Cards built from the article's own words, and the words around a name: what a careful reader would accept.
Every sentence here is our own."""

import pytest

from conftest import cards_by_text


def article_cards(result: dict) -> dict[str, dict]:
    return {c["title"]: c for c in result["cards"].values() if c["source"] == "article"}


def test_the_readme_example_gives_palmyra_and_a_person(analyze):
    result = analyze("Irina Bokova, of UNESCO, visited Palmyra.")
    assert cards_by_text(result)["Palmyra"] == "Palmyra"
    bokova = article_cards(result)["Irina Bokova"]
    assert bokova["kind"] == "person" and bokova["description"] == "of UNESCO"


@pytest.mark.parametrize("sentence", [
    "The convoy reached Palmyra on Sunday after a week on the road.",
    "Aid workers arrived in Palmyra with food and water.",
])
def test_a_name_where_a_place_stands_gets_the_places_card(analyze, sentence):
    assert cards_by_text(analyze(sentence)).get("Palmyra") == "Palmyra"


def test_where_a_name_stands_never_takes_a_persons_card_away(analyze):
    assert cards_by_text(analyze("Leaders visited Vladimir Putin in Moscow."))["Vladimir Putin"] == "Vladimir Putin"


@pytest.mark.parametrize("sentence, name, kind", [
    ("Sen. Marta Quillfeather said the bill would fail.", "Marta Quillfeather", "person"),
    ("Cardinal Oskar Brennholt led the mass on Sunday.", "Oskar Brennholt", "person"),
    ("Ekstra Nyhedsposten, a Danish tabloid, printed the letter.", "Ekstra Nyhedsposten", "organization"),
    ("Tomas Eberkind, a spokesman for the ministry, declined to comment.", "Tomas Eberkind", "person"),
])
def test_what_the_article_calls_a_thing_decides_its_kind(analyze, sentence, name, kind):
    cards = article_cards(analyze(sentence))
    assert cards[name]["kind"] == kind, cards


def test_names_and_descriptions_stop_at_a_line_break(analyze):
    text = ("The hearing was held by the U.S.\nSenator Lidia Varnesse said the vote would wait.\n"
            "Anja Solvreth, a reporter for the Daily Ledger\nPhoto: Piet Hallowen\nAdvertisement")
    result = analyze(text)
    assert all("\n" not in m["text"] for m in result["mentions"])
    for card in article_cards(result).values():
        assert "\n" not in card["title"] and "\n" not in card["description"], card


def test_descriptions_have_balanced_brackets_and_stay_short(analyze):
    text = ("Lena Morrow (@lenamorrow, a columnist, wrote that the plan failed. Ruth Abernathy, the chief "
            "executive of the Harbour Trust, a charity that runs three shelters and a food bank in the north of the "
            "city and that was founded in 1987 by a group of nurses, said it would close.")
    for card in article_cards(analyze(text)).values():
        description = card["description"]
        assert description.count("(") == description.count(")"), card
        assert len(description) <= 120, card
