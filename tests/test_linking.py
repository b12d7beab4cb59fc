"""Linking traps a reader would notice: each wrong card here is one a real article would show."""

from conftest import cards_by_text


def test_isis_in_capitals_is_never_the_goddess(analyze):
    result = analyze("ISIS fighters seized the town before ISIS released a video from Raqqa, Syria.")
    for m in result["mentions"]:
        if m["text"] == "ISIS":
            assert m["card"] is None or result["cards"][m["card"]]["title"] != "Isis"


def test_isis_in_title_case_is_the_goddess_only_when_the_article_is_about_her(analyze):
    news = analyze("Isis fighters were driven out of the city by Syrian troops on Sunday, the army said.")
    assert cards_by_text(news).get("Isis") is None
    myth = analyze("In Egyptian mythology Isis was the wife of Osiris and the mother of Horus; "
                   "her cult spread from ancient Egypt across the Roman Empire.")
    assert cards_by_text(myth).get("Isis") == "Isis"


def test_palmyra_in_an_article_about_syria_is_the_ancient_city(analyze):
    result = analyze("Syrian troops retook Palmyra, the ancient city in the desert, from militants.")
    card = result["cards"][next(m["card"] for m in result["mentions"] if m["text"] == "Palmyra")]
    assert card["title"] == "Palmyra" and "Syria" in card["description"]


def test_capitalised_names_are_not_their_common_noun_senses(analyze):
    result = analyze("Apple unveiled a new phone in California. Turkey closed its border with Syria. "
                     "Trump told reporters in Washington that the United States would sign the deal.")
    cards = cards_by_text(result)
    assert cards.get("Apple") != "Apple"  # the fruit
    assert cards.get("Turkey") == "Turkey"
    assert cards.get("Trump") == "Donald Trump"


def test_who_and_us_are_organisations_only_when_written_as_such(analyze):
    result = analyze("The WHO declared an emergency, and US officials agreed. Let us see who comes.")
    cards = cards_by_text(result)
    assert cards.get("WHO") == "World Health Organization"
    assert cards.get("US") == "United States"
    assert "us" not in cards and "who" not in cards
    shouting = analyze("WHO IS TO BLAME FOR THE CRISIS? LET US FIND OUT TODAY")
    assert all(m["card"] is None for m in shouting["mentions"])


def test_numbers_dates_ordinals_and_pronouns_are_never_linked(analyze):
    result = analyze("On 12 March 2016, the second convoy of 200,000 people left; they said it was the first time, "
                     "and He Who Waits was not there. It cost $5 million and 40 percent.")
    for m in result["mentions"]:
        assert not m["text"][0].isdigit(), m
        assert m["text"].lower() not in {"they", "it", "he", "second", "first", "12 march 2016"}


def test_repeated_mentions_and_surnames_share_one_card(analyze):
    result = analyze("Russian President Vladimir Putin met officials in Moscow. Later Putin said "
                     "the talks went well, and Putin left for Damascus.")
    putin = {m["card"] for m in result["mentions"] if "Putin" in m["text"]}
    assert putin == {"wikipedia:Vladimir Putin"}
    assert sum(1 for m in result["mentions"] if m["text"] == "Putin") == 2


def test_a_surname_after_an_unknown_full_name_takes_the_article_card(analyze):
    result = analyze("Maria Kowalczyk, a spokeswoman for the ministry, said the plan was sound. "
                     "Kowalczyk added that more details would follow.")
    ids = {m["card"] for m in result["mentions"] if "Kowalczyk" in m["text"]}
    assert len(ids) == 1
    (card_id,) = ids
    assert card_id.startswith("article:")
    assert "a spokeswoman for the ministry" in result["cards"][card_id]["in_article"]


def test_in_article_context_titles_and_introduced_names(analyze):
    result = analyze("Russian President Vladimir Putin spoke. The city was taken from ISIS \u2013 also known as Daesh.")
    putin = result["cards"]["wikipedia:Vladimir Putin"]
    assert "Russian President" in putin["in_article"]
    isis = {m["card"] for m in result["mentions"] if m["text"] in ("ISIS", "Daesh")}
    assert len(isis) == 1 and None not in isis
    assert "also known as Daesh" in result["cards"][isis.pop()]["in_article"]


def test_offsets_point_at_the_mention_text(analyze):
    text = "Zürich\u200b and S\u00e3o Paulo \U0001F600 hosted UNESCO delegates; Brussels followed."
    result = analyze(text)
    assert result["mentions"]
    for m in result["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]


def test_a_middle_initial_and_a_surname_are_the_same_person(analyze):
    result = analyze("Donald J. Trump spoke in Ohio. Donald Trump then flew home, and Trump later said the "
                     "United States would act.")
    assert {m["card"] for m in result["mentions"] if "Trump" in m["text"]} == {"wikipedia:Donald Trump"}


def test_a_full_name_the_knowledge_base_lacks_does_not_borrow_a_namesakes_card(analyze):
    result = analyze("Stephanie Putin, a nurse from Ohio, said the clinic was full. Putin added that she was tired.")
    assert all(m["card"] != "wikipedia:Vladimir Putin" for m in result["mentions"])


def test_one_span_is_one_mention(analyze, sample_text):
    result = analyze(sample_text)
    spans = [(m["block"], m["start"], m["end"]) for m in result["mentions"]]
    assert len(spans) == len(set(spans))
