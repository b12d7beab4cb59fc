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
    "Reporters visited Timbuktu last week.",
])
def test_a_name_where_a_place_stands_gets_the_places_card(analyze, sentence):
    place = "Timbuktu" if "Timbuktu" in sentence else "Palmyra"
    assert cards_by_text(analyze(sentence)).get(place) == place


def test_where_a_name_stands_never_takes_a_persons_card_away(analyze):
    assert cards_by_text(analyze("Leaders visited Vladimir Putin in Moscow."))["Vladimir Putin"] == "Vladimir Putin"


@pytest.mark.parametrize("sentence, name, kind", [
    ("Sen. Marta Quillfeather said the bill would fail.", "Marta Quillfeather", "person"),
    ("Cardinal Oskar Brennholt led the mass on Sunday.", "Oskar Brennholt", "person"),
    ("Ekstra Nyhedsposten, a Norwegian broadsheet, printed the letter.", "Ekstra Nyhedsposten", "organization"),
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


@pytest.mark.parametrize("blocks", [
    [("h", "Senators Slam Putin Over Syria Plan"), ("p", "Russian President Vladimir Putin said the plan was fair. "
                                                          "Putin added that Moscow would not back down.")],
    [("0", "Senators Slam Putin Over Syria Plan\n\nRussian President Vladimir Putin said the plan was fair. "
           "Putin added that Moscow would not back down.")],
])
def test_a_title_case_headline_makes_no_fake_name(analyzer, blocks):
    from reader_context.pipeline import Block

    result = analyzer.analyze([Block(i, t) for i, t in blocks]).model_dump()
    texts = [m["text"] for m in result["mentions"]]
    assert not any("Slam" in t for t in texts), texts
    cards = cards_by_text(result)
    assert cards["Putin"] == "Vladimir Putin" and cards["Syria"] == "Syria"  # the headline's names the body confirms
    assert all(m["card"] == "wikipedia:Vladimir Putin" for m in result["mentions"] if "Putin" in m["text"])


def test_a_headline_surname_is_the_bodys_full_name(analyzer):
    from reader_context.pipeline import Block

    result = analyzer.analyze([Block("h", "Merkel Meets Lawmakers In Paris As Talks Stall"),
                               Block("p", "Angela Merkel met French lawmakers in Paris on Monday.")]).model_dump()
    cards = cards_by_text(result)
    assert cards["Merkel"] == "Angela Merkel" and "Merkel Meets" not in " ".join(cards)


def test_a_name_with_a_connector_in_a_tag_line_is_not_carded_by_its_part(analyze):
    result = analyze("All About Schools Today • U.S. Department of Education • Charter Schools\n\nThe rules changed.")
    assert cards_by_text(result).get("U.S.") is None


@pytest.mark.slow  # every PTC dev article: about 25 s
def test_no_article_card_on_real_news_is_page_debris(analyzer):
    """The 297 PTC dev articles are real web news, line breaks, handles, bylines and all."""
    from conftest import SHARED, require_shared
    from reader_context.pipeline import Block

    folder = require_shared(SHARED / "data" / "ptc-dev" / "articles")
    debris = []
    for path in sorted(folder.glob("article*.txt")):
        result = analyzer.analyze([Block("0", path.read_text(encoding="utf-8"))], features=("entities",))
        for card in result.cards.values():
            text = card.description or ""
            if card.source == "article" and (
                    "\n" in text or "\n" in card.title or "advertisement" in text.lower() or len(text) > 120
                    or text.count("(") != text.count(")") or text.count("[") != text.count("]")):
                debris.append((path.name, card.title, text))
    assert not debris, debris[:5]
