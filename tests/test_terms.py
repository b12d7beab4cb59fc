"""Loaded-term detection with the real spaCy pipeline: the seed article, the guards, quotes and the profile."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy
from conftest import require_shared

from reader_context.language import framing_profile, term_records

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "palmyra-article.txt"


@pytest.fixture(scope="module")
def find(settings):
    # The component as a spaCy user (and the backend) adds it: one more pipe after the model's own.
    nlp = spacy.load(settings.spacy_model)
    nlp.add_pipe("reader_context_terms")

    def run(text: str) -> list[dict]:
        doc = nlp(text)
        terms = term_records(doc)
        for term in terms:
            assert doc.text[term["start"] : term["end"]] == term["text"]
        return terms

    return run


def texts(terms: list[dict]) -> list[str]:
    return [term["text"].lower() for term in terms]


def one(terms: list[dict], text: str) -> dict:
    matches = [term for term in terms if term["text"].lower() == text]
    assert len(matches) == 1, (text, texts(terms))
    return matches[0]


# -- the seed article -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_terms(find) -> list[dict]:
    require_shared(SEED)
    terms = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if line.strip():
            terms += [{**term, "sentence": line} for term in find(line)]
    return terms


@pytest.mark.parametrize(
    "word",
    [
        "tentacles", "savage", "vile", "heinous", "jihadi", "jihadis", "cult", "liberated", "eradicated",
        "extremists", "terrorists", "on its last legs", "depraved", "rampages", "ruthlessly",
    ],
)
def test_seed_loaded_words_are_flagged_in_the_authors_voice(seed_terms, word):
    found = [term for term in seed_terms if term["text"].lower() == word]
    assert found, f"{word!r} not flagged; flagged: {texts(seed_terms)}"
    assert all(term["attributed"] is None for term in found)


@pytest.mark.parametrize(
    "word",
    [
        "forces", "army", "attack", "killed", "militants", "retreat", "troops", "control", "government", "reported",
        "said", "city", "site", "operation",
    ],
)
def test_seed_neutral_war_reporting_is_not_flagged(seed_terms, word):
    assert not [term for term in seed_terms if word in term["text"].lower().split()]


def test_seed_martyr_city_is_attributed_to_irina_bokova(seed_terms):
    term = one(seed_terms, "martyr")
    assert term["sentence"][term["start"] :].startswith("martyr city")
    assert term["attributed"] == {"quote": True, "speaker": "Irina Bokova"}
    assert term["category"] == "glorifying"


def test_seed_eliminated_to_the_last_one_is_attributed(seed_terms):
    quoted = [t for t in seed_terms if t["start"] >= t["sentence"].find("eliminated, to the last one") >= 0]
    assert [t["text"] for t in quoted] == ["eliminated", "to the last one"]
    assert all(t["attributed"] and t["attributed"]["quote"] for t in quoted)


def test_seed_terms_carry_explanations(seed_terms):
    for term in seed_terms:
        assert term["why"].endswith(".") and 1 <= term["severity"] <= 3
        # Something to do about each: words that fit, advice in the note, or why a quotation stays as it is.
        if term["attributed"] and term["attributed"]["quote"]:
            assert term["alternatives"] == [] and "quotation" in term["note"]
        else:
            assert term["alternatives"] or term["note"].startswith("Better: ")
    assert set(seed_terms[0]) >= {"start", "end", "text", "lemma", "category", "severity", "why", "alternatives",
                                  "note", "attributed", "rule"}


def test_seed_profile_says_the_authors_own_wording_is_loaded(seed_terms):
    words = len(SEED.read_text(encoding="utf-8").split())
    profile = framing_profile(seed_terms, words=words)
    assert profile["author"]["count"] >= 15
    assert profile["author_loaded_level"] == "high"
    assert profile["quoted"]["count"] >= 3


# -- guards ---------------------------------------------------------------------------------------------


def test_words_inside_proper_names_are_not_flagged(find):
    terms = find("The Liberation Army said the liberation of the town was complete.")
    assert texts(terms) == ["liberation"]
    assert terms[0]["start"] == len("The Liberation Army said the ")
    assert texts(find("Michael Savage, a radio host, spoke on Tuesday.")) == []


def test_a_capitalised_loaded_phrase_is_still_the_phrase(find):
    assert "deep state" in texts(find("He blamed the Deep State for the leak."))


def test_headlines_in_title_case_are_checked(find):
    assert texts(find("Savage Attack On Vile Puppet Shocks The World")) == ["savage", "vile", "puppet"]


def test_stoplisted_conflict_vocabulary_is_never_flagged(find):
    sentence = (
        "Forces attacked the city; troops killed militants and fighters who were forced to retreat after the "
        "operation, and the army captured the town and took control, officials reported and said."
    )
    assert find(sentence) == []


def test_part_of_speech_and_context_rules(find):
    assert texts(find("The film became a cult classic.")) == []
    assert texts(find("Followers left the cult last year.")) == ["cult"]
    assert texts(find("The film became a cargo cult favourite.")) == []
    assert texts(find("The cult in the hills did not disband.")) == ["cult"]
    assert texts(find("Toxic waste leaked into the river.")) == []


def test_pair_explanation_is_the_note(find):
    term = one(find("The puppet jailed the journalists."), "puppet")
    assert term["note"].endswith("'Ally' or 'backed by' describes a relationship; 'puppet' claims total control by "
                                 "a foreign hand, which is rarely shown.")
    assert "ally" in term["alternatives"]


def test_phrases_with_placeholders_and_gaps(find):
    terms = find("They are on their last legs, and the soldiers wiped them out.")
    assert texts(terms) == ["on their last legs", "wiped them out"]
    assert [t["lemma"] for t in terms] == ["on one's last legs", "wipe … out"]


def test_longest_match_wins_and_terms_never_overlap(find):
    terms = find("It was a reign of terror, a bloodbath that went on and on.")
    assert texts(terms) == ["reign of terror", "bloodbath"]
    starts = [t["start"] for t in terms]
    assert starts == sorted(starts)
    assert all(a["end"] <= b["start"] for a, b in zip(terms, terms[1:]))


def test_intensifier_takes_in_the_adjective_it_inflates(find):
    terms = find("The plan was utterly unacceptable and extremely vile.")
    assert texts(terms) == ["utterly unacceptable", "extremely", "vile"]
    assert terms[0]["lemma"] == "utterly"


def test_a_plain_degree_word_is_taken_in_with_the_loaded_adjective(find):
    # "so" and "truly" are not terms themselves; they inflate the loaded word they modify.
    assert texts(find("The response was so vile that nobody spoke.")) == ["so vile"]
    assert texts(find("It was a truly shameful decision.")) == ["truly shameful"]
    # A degree word that is a term of its own keeps its own explanation.
    assert texts(find("The plan was extremely vile.")) == ["extremely", "vile"]
    assert one(find("The response was so vile that nobody spoke."), "so vile")["lemma"] == "vile"


def test_a_label_takes_in_the_plain_words_that_say_whom_it_is_pinned_on(find):
    assert texts(find("He is a pathological liar.")) == ["pathological liar"]
    assert one(find("He is a pathological liar."), "pathological liar")["lemma"] == "liar"
    # Factual qualifiers, names and function words stay outside the label.
    assert texts(find("The former thug now runs a gym.")) == ["thug"]
    assert texts(find("Several Iranian thugs were seen.")) == ["thugs"]
    # Half of a longer modifier is not taken ("politically correct nonsense").
    assert texts(find("It is politically correct nonsense.")) == ["nonsense"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The star's stellar wind was measured.", []),
        ("She gave a stellar performance.", ["stellar"]),
        ("The lame duck session begins in November.", []),
        ("That was a lame excuse.", ["lame"]),
        ("Police found materials for a dirty bomb.", []),
        ("It was a dirty deal.", ["dirty"]),
        ("The rocket will blast off on Monday.", []),
        ("The senator blasted the ruling.", ["blasted"]),
        ("A vulture fund bought the debt.", []),
        ("Dust devils crossed the crater floor.", []),
        ("The campaign to eradicate polio is nearly complete.", []),
        ("Noxious fumes filled the tunnel.", []),
        ("Police found an incendiary device.", []),
        ("He gave an incendiary speech.", ["incendiary"]),
        ("Lava spewed from the crater.", []),
        ("The pundit spewed hatred on air.", ["spewed"]),
    ],
)
def test_neutral_senses_of_new_entries_are_left_alone(find, text, expected):
    assert texts(find(text)) == expected


def test_emotive_verbs_and_name_calling_nouns(find):
    found = texts(find("The senator tore into the grifters and their fearmongering, a dumpster fire of a plan."))
    assert found == ["tore into", "grifters", "fearmongering", "dumpster fire"]


def test_offsets_are_code_points_with_non_ascii_text(find):
    text = "Café owners 😀 in Zürich called it a “heinous” and vile act — the savage gunmen fled."
    terms = find(text)
    assert texts(terms) == ["heinous", "vile", "savage"]
    for term in terms:
        assert text[term["start"] : term["end"]] == term["text"]


# -- quotes and reported speech -------------------------------------------------------------------------


@pytest.mark.parametrize("quote", ['"{}"', "“{}”"])
def test_straight_and_curly_quotes(find, quote):
    terms = find("Maria Lopez said: " + quote.format("These savage men will pay.") + " The vile men fled.")
    assert one(terms, "savage")["attributed"] == {"quote": True, "speaker": "Maria Lopez"}
    assert one(terms, "vile")["attributed"] is None


def test_quote_across_sentences_with_speaker_after_it(find):
    terms = find('"The vile attack shocked us. It was a heinous crime," said Maria Lopez. The depraved gunmen fled.')
    assert one(terms, "vile")["attributed"] == {"quote": True, "speaker": "Maria Lopez"}
    assert one(terms, "heinous")["attributed"] == {"quote": True, "speaker": "Maria Lopez"}
    assert one(terms, "depraved")["attributed"] is None


def test_nested_quotes_take_the_outer_speaker(find):
    terms = find("“They called it ‘a heinous act’ and left,” Ahmed Hassan told reporters.")
    assert one(terms, "heinous")["attributed"] == {"quote": True, "speaker": "Ahmed Hassan"}


def test_apostrophes_are_not_quotes(find):
    terms = find("Don’t forget the heroic medics — ISIS’s fighters are savage.")
    assert one(terms, "heroic")["attributed"] is None
    assert one(terms, "savage")["attributed"] is None


def test_reported_speech_is_the_outlets_wording_naming_whom_it_reports(find):
    term = one(find("Ahmed Hassan said the rebels were terrorists."), "terrorists")
    assert term["attributed"] is None
    assert term["reported"] == {"speaker": "Ahmed Hassan"}
    term = one(find("Officials called the protesters thugs."), "thugs")
    assert (term["attributed"], term["reported"]) == (None, {"speaker": None})
    # Outside reported speech there is no one to report.
    assert one(find("The savage gunmen fled."), "savage")["reported"] is None


def test_first_person_opinion_is_the_authors_voice(find):
    assert one(find("I think the puppet is finished."), "puppet")["attributed"] is None


def test_according_to_stays_in_the_authors_voice(find):
    assert one(find("The savage gunmen fled, according to reports."), "savage")["attributed"] is None


def test_unbalanced_quote_mid_block_ends_with_its_sentence(find):
    terms = find('He called it "a vile act. The savage gunmen then fled the scene.')
    assert one(terms, "vile")["attributed"]["quote"] is True
    assert one(terms, "savage")["attributed"] is None


def test_unbalanced_quote_opening_a_block_continues_to_its_end(find):
    terms = find('"The savage gunmen fled. The heinous crime went unpunished.')
    assert all(t["attributed"] and t["attributed"]["quote"] for t in terms)
    assert texts(terms) == ["savage", "heinous"]


def test_scare_quotes_in_the_authors_voice(find):
    terms = find('The "peace" plan was signed. He said the "reform" failed.')
    assert [(t["text"], t["category"], t["attributed"], t["rule"]) for t in terms] == [
        ('"peace"', "doubt", None, "doubt.scare-quotes")
    ]


# -- framing profile ------------------------------------------------------------------------------------


def test_framing_profile_numbers():
    def term(category, attributed=None, severity=2):
        return {"category": category, "attributed": attributed, "severity": severity}

    terms = [
        term("pejorative"),
        term("pejorative", severity=3),
        term("contentious_label", severity=1),
        term("glorifying", {"quote": True, "speaker": "A"}),
    ]
    profile = framing_profile(terms, words=400, author_words=300)
    assert profile["terms_per_1000_words"] == 10.0
    assert profile["author"] == {
        "count": 3,
        "words": 300,
        "per_1000_words": 10.0,
        "by_category": {"contentious_label": 1, "pejorative": 2},
    }
    assert profile["quoted"] == {"count": 1, "words": 100, "per_1000_words": 10.0, "by_category": {"glorifying": 1}}
    assert profile["by_category"] == {"contentious_label": 1, "glorifying": 1, "pejorative": 2}
    assert profile["severity"] == {"1": 1, "2": 2, "3": 1}
    assert profile["author_loaded_level"] == "elevated"


def test_framing_profile_of_an_empty_article():
    profile = framing_profile([], words=0)
    assert profile["terms_per_1000_words"] == 0.0
    assert profile["author"]["count"] == 0
    assert profile["author_loaded_level"] == "low"
    with pytest.raises(ValueError):
        framing_profile([], words=-1)
    with pytest.raises(ValueError):
        framing_profile([], words=10, author_words=11)


def test_a_short_loaded_introduction_to_a_long_transcript_is_rated_on_its_own_words():
    intro = [{"category": "pejorative", "attributed": None, "severity": 2}]
    speech = [{"category": "glorifying", "attributed": {"quote": True, "speaker": "A"}, "severity": 2}]
    profile = framing_profile(intro + speech, words=2000, author_words=40)
    assert profile["author"]["per_1000_words"] == 25.0
    assert profile["author_loaded_level"] == "high"
    assert profile["quoted"]["per_1000_words"] == round(1000 / 1960, 1)
    # Without the quoted words, every word counts as the author's (a text without quotations).
    assert framing_profile(intro, words=2000)["author"]["per_1000_words"] == 0.5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The radical left wants to abolish the board.", ["radical left"]),
        ("The radical right wants to abolish the board.", ["radical right"]),
        ("He mocked the deplorables at the rally.", ["deplorables"]),
        ("The party moved to the left on taxes.", []),
    ],
)
def test_partisan_labels_are_flagged_on_both_sides(find, text, expected):
    assert texts(find(text)) == expected
