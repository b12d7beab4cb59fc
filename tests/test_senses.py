"""Linking that knows when not to link: the sense a name has where it stands, in short texts as in long ones.
Every sentence here is our own; each test pairs the trap with the sentence where the card is right."""

import pytest

from conftest import cards_by_text


def test_a_bare_name_means_the_entry_that_holds_it_undisambiguated(analyze):
    # Wikipedia's convention: "New York (state)" is not what a bare "New York" usually means.
    assert cards_by_text(analyze("The mayor of New York announced a curfew."))["New York"] == "New York City"


@pytest.mark.parametrize("report", [
    "Chicago edged Boston 4-2 on Saturday night.",
    "Orlova scored twice as the strikers ran riot against Brazil.",
    "Dossou kicked twenty points as Chicago beat Brazil in the tournament.",
])
def test_in_a_match_report_a_city_or_country_is_a_team_not_the_place(analyze, report):
    cards = cards_by_text(analyze(report))
    assert not any(cards.get(place) for place in ("Chicago", "Boston", "Brazil"))


@pytest.mark.parametrize("sentence, place", [
    ("Voters in Brazil elected a new president on Sunday.", "Brazil"),
    ("The Senate voted 51-49 after a long debate in Chicago.", "Chicago"),
    ("The governor won a second term in Brazil on Sunday.", "Brazil"),
])
def test_a_score_or_a_vote_without_a_game_leaves_the_place(analyze, sentence, place):
    assert cards_by_text(analyze(sentence))[place] == place


def test_a_name_where_only_a_place_can_stand_is_not_a_person(analyze):
    assert cards_by_text(analyze("The delegation landed at JFK late on Tuesday.")).get("JFK") != "John F. Kennedy"
    assert cards_by_text(analyze("John F. Kennedy was elected in 1960."))["John F. Kennedy"] == "John F. Kennedy"


def test_a_mood_at_a_person_keeps_the_persons_card(analyze):
    cards = cards_by_text(analyze("Diplomats were angry at Vladimir Putin on Monday."))
    assert cards["Vladimir Putin"] == "Vladimir Putin"


@pytest.mark.parametrize("sentence, name", [
    ("Victoria and her husband opened a restaurant in the spring.", "Victoria"),
    ("John directed the film and wrote its music.", "John"),
])
def test_a_given_name_alone_gets_no_famous_namesakes_card(analyze, sentence, name):
    assert cards_by_text(analyze(sentence)).get(name) is None


def test_a_full_name_still_gets_the_card_its_given_name_alone_does_not(analyze):
    assert cards_by_text(analyze("Queen Victoria ruled for more than sixty years."))["Queen Victoria"] == "Queen Victoria"


def test_a_possessive_opening_a_title_case_name_is_part_of_that_name(analyze):
    cards = cards_by_text(analyze("The clinic made Chicago's Top Chefs list again this year."))
    assert cards.get("Chicago") is None
    assert cards_by_text(analyze("Chicago's mayor spoke on Friday."))["Chicago"] == "Chicago"


def test_a_sentences_first_word_never_joins_a_demonym(analyze):
    result = analyze("Veteran Chilean diplomat Rosa Quintanilla flew home to Santiago, the Chilean capital, on Monday.")
    texts = {m["text"] for m in result["mentions"]}
    assert "Veteran Chilean" not in texts
    assert cards_by_text(result).get("Chilean") == "Chile"


def test_an_abbreviated_state_before_a_hyphen_is_found(analyze):
    assert cards_by_text(analyze("The Calif.-based firm hired forty people."))["Calif."] == "California"


@pytest.mark.parametrize("text, name, bound", [
    ("Migrants camped on the place de la Bataille-de-Stalingrad in Paris.", "Stalingrad", True),
    ("She studied in Aix-en-Provence for a year.", "Provence", True),
    ("The Israel-Gaza war went on.", "Israel", False),
])
def test_words_bound_by_hyphens_around_a_particle_are_one_name(nlp, text, name, bound):
    from reader_context.entities.spans import in_a_hyphenated_name

    doc = nlp(text)
    start = next(t.i for t in doc if t.text == name)
    assert in_a_hyphenated_name(doc[start:start + 1]) is bound


def test_a_son_who_shares_his_fathers_name_never_gets_the_fathers_card(analyze):
    cards = cards_by_text(analyze("Ferdinand Marcos ruled the Philippines for two decades. His son, Ferdinand Marcos "
                                  "Jr., won the presidency in 2022. Marcos Jr. promised continuity."))
    assert cards["Ferdinand Marcos"] == "Ferdinand Marcos"
    assert cards.get("Ferdinand Marcos Jr.") != "Ferdinand Marcos" and cards.get("Marcos Jr.") != "Ferdinand Marcos"


def test_a_pope_who_took_a_predecessors_name_is_not_the_predecessor(analyze):
    cards = cards_by_text(analyze("Pope John Paul II visited Poland in 1979. John Paul I had reigned for only 33 days."))
    assert cards["Pope John Paul II"] == "Pope John Paul II"
    assert not [text for text, title in cards.items() if title == "Pope John Paul II" and "II" not in text]


@pytest.mark.parametrize("sentence, word", [
    ("The Dutch original was better than the translation.", "Dutch"),
    ("Keynesian economics is back in fashion.", "Keynesian"),
])
def test_a_demonym_for_a_language_or_a_school_of_thought_gets_no_country_card(analyze, sentence, word):
    assert cards_by_text(analyze(sentence)).get(word) is None
