"""The lexicon data file: its schema, its validator's messages, and the shape of the shipped lexicon."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import spacy
import yaml

from reader_context.language import GrammarError, LexiconError, LoadedTerms, load_grammar, load_lexicon
from reader_context.language import grammar as grammar_module
from reader_context.language.lexicon import DEFAULT_PATH

HEADER = {
    "version": 1,
    "categories": {"pejorative": "Contempt in an adjective.", "idiom": "A loaded idiom."},
    "stoplist": ["attack", "killed"],
    "reporting_verbs": ["say"],
}
GOOD = {
    "id": "pejorative.vile",
    "term": "vile",
    "pos": ["ADJ"],
    "category": "pejorative",
    "severity": 2,
    "why": "Expresses disgust instead of describing the event.",
    "alternatives": ["(omit)"],
}


def write(tmp_path: Path, entries: list, **header) -> Path:
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump({**HEADER, **header, "entries": entries}, sort_keys=False), encoding="utf-8")
    return path


def rejection(tmp_path: Path, entries: list, **header) -> str:
    with pytest.raises(LexiconError) as caught:
        load_lexicon(write(tmp_path, entries, **header))
    return str(caught.value)


def test_shipped_lexicon_is_large_varied_and_valid():
    lexicon = load_lexicon()
    assert lexicon.path == DEFAULT_PATH
    assert len(lexicon) >= 300
    used = Counter(entry.category for entry in lexicon.entries)
    assert set(used) == set(lexicon.categories), "every declared category has entries and no entry is undeclared"
    assert min(used.values()) >= 20
    assert len({entry.why for entry in lexicon.entries}) == len(lexicon), "no copy-pasted explanations"
    assert {1, 2, 3} <= {entry.severity for entry in lexicon.entries}


def test_shipped_lexicon_covers_the_labels_that_matter_most():
    terms = {entry.term for entry in load_lexicon().entries}
    for term in ("cult", "puppet", "martyr", "liberate", "crackdown", "terrorist", "thug", "self-styled", "sham"):
        assert term in terms


def test_shipped_lexicon_covers_word_families_and_common_epithets():
    terms = {entry.term for entry in load_lexicon().entries}
    # Adverb and noun forms of loaded adjectives, emotive "criticise" verbs and name-calling nouns.
    for term in ("shamelessly", "zealotry", "cowardice", "blast", "rip into", "grifter", "sellout", "fearmongering"):
        assert term in terms


def test_entries_with_a_common_neutral_sense_carry_context_words():
    entries = {entry.term: entry for entry in load_lexicon().entries}
    assert "wind" in entries["stellar"].except_after
    assert "duck" in entries["lame"].except_after
    assert "bomb" in entries["dirty"].except_after
    assert "fund" in entries["vulture"].except_after


def test_stoplist_holds_the_neutral_war_vocabulary():
    stoplist = load_lexicon().stoplist
    neutral = ("attack", "killed", "forces", "army", "troops", "militants", "operation", "retreat", "control", "said")
    for word in neutral:
        assert word in stoplist


def test_a_valid_minimal_file_loads(tmp_path):
    lexicon = load_lexicon(write(tmp_path, [GOOD]))
    assert [entry.term for entry in lexicon.entries] == ["vile"]


def test_bad_severity_names_entry_and_field(tmp_path):
    savage = {**GOOD, "term": "savage", "why": "Calls people wild animals.", "severity": 5}
    message = rejection(tmp_path, [GOOD, savage])
    assert message == "entry 2 ('savage'): field 'severity': must be 1-3"


def test_boolean_severity_is_not_a_number(tmp_path):
    assert "field 'severity': must be 1-3" in rejection(tmp_path, [{**GOOD, "severity": True}])


def test_unknown_field_is_rejected_by_name(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "severty": 2}])
    assert message.startswith("entry 1 ('vile'): field 'severty': unknown field")


def test_missing_field(tmp_path):
    entry = dict(GOOD)
    del entry["why"]
    assert rejection(tmp_path, [entry]) == "entry 1 ('vile'): field 'why': is required"


def test_entry_without_a_term_is_named_by_index(tmp_path):
    entry = dict(GOOD)
    del entry["term"]
    assert rejection(tmp_path, [GOOD, entry]).startswith("entry 2: field 'term'")


def test_undeclared_category(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "category": "spin"}])
    assert message.startswith("entry 1 ('vile'): field 'category': 'spin' is not declared")


def test_unknown_pos_tag(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "pos": ["ADJECTIVE"]}])
    assert message.startswith("entry 1 ('vile'): field 'pos': unknown POS tag 'ADJECTIVE'")


def test_pos_only_on_single_words(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "term": "iron fist", "category": "idiom", "pos": ["NOUN"]}])
    assert message == "entry 1 ('iron fist'): field 'pos': only single-word terms take a POS constraint"


def test_uppercase_term(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "term": "Vile"}])
    assert message.startswith("entry 1 ('Vile'): field 'term': must be lowercase")


def test_why_must_be_a_sentence(tmp_path):
    assert "field 'why'" in rejection(tmp_path, [{**GOOD, "why": "bad"}])
    assert "field 'why'" in rejection(tmp_path, [{**GOOD, "why": "Expresses disgust instead of describing the event"}])


def test_empty_alternatives(tmp_path):
    assert "field 'alternatives'" in rejection(tmp_path, [{**GOOD, "alternatives": []}])
    # Advice alone is enough when no word will do.
    assert load_lexicon(write(tmp_path, [{**GOOD, "alternatives": [], "better": ["describe the act"]}]))


@pytest.mark.parametrize("instruction", ["(name the group)", "(omit the word)", "critic of ...", "critic of …"])
def test_an_instruction_cannot_pass_as_an_alternative(tmp_path, instruction):
    message = rejection(tmp_path, [{**GOOD, "alternatives": ["deadly", instruction]}])
    assert message.startswith("entry 1 ('vile'): field 'alternatives': ") and "put it in 'better'" in message


@pytest.mark.parametrize("advice", ["(name the group)", "Name the group", "name the group.", "say who ...", ""])
def test_better_is_a_bare_lowercase_instruction(tmp_path, advice):
    assert "field 'better'" in rejection(tmp_path, [{**GOOD, "better": [advice]}])


def test_duplicate_term(tmp_path):
    second = {**GOOD, "id": "pejorative.vile-again", "why": "Another explanation of the same word."}
    assert rejection(tmp_path, [GOOD, second]) == "entry 2 ('vile'): field 'term': duplicates entry 1"


def test_repeated_why(tmp_path):
    second = {**GOOD, "id": "pejorative.heinous", "term": "heinous"}
    assert rejection(tmp_path, [GOOD, second]) == "entry 2 ('heinous'): field 'why': repeats the explanation of entry 1"


def test_stoplisted_term_cannot_become_an_entry(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "term": "attack"}])
    assert message == "entry 1 ('attack'): field 'term': 'attack' is on the stoplist of neutral words"


def test_context_words_are_single_words(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "except_after": ["the need"]}])
    assert message.startswith("entry 1 ('vile'): field 'except_after': 'the need' must be a single word")


def test_pair_must_refer_to_an_entry(tmp_path):
    pairs = [{"loaded": "regime", "neutral": "government", "explanation": "A government is not always a regime."}]
    assert "field 'pairs': 'regime' is not a term of any entry" in rejection(tmp_path, [GOOD], pairs=pairs)


def test_header_errors_name_the_field(tmp_path):
    assert "field 'categories'" in rejection(tmp_path, [GOOD], categories={"Bad Id": "x"})
    assert "field 'stoplist'" in rejection(tmp_path, [GOOD], stoplist=["Attack"])


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(LexiconError, match="cannot be read"):
        load_lexicon(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("entries: [unclosed", encoding="utf-8")
    with pytest.raises(LexiconError, match="not valid YAML"):
        load_lexicon(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="must be a mapping"):
        load_lexicon(listed)


# -- rule ids ---------------------------------------------------------------------------------------------

SCARE_QUOTES = {"id": "doubt.scare-quotes", "category": "pejorative", "severity": 1,
                "why": "Quotation marks cast doubt without an argument.", "better": ["name who uses the word"]}


def test_shipped_rule_ids_are_unique_written_out_and_stable():
    first, second = load_lexicon(), load_lexicon()
    ids = [entry.id for entry in first.entries]
    assert len(set(ids)) == len(ids) == len(first)
    assert first.scare_quotes.id == "doubt.scare-quotes" and first.scare_quotes.id not in ids
    assert ids == [entry.id for entry in second.entries]
    by_term = {entry.term: entry.id for entry in first.entries}
    assert by_term["savage"] == "pejorative.savage"
    assert by_term["on <poss> last legs"] == "idiom.on-last-legs"
    # Written in the file, not derived: the data a client stores survives a reload or a re-categorisation.
    written = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert [entry["id"] for entry in written["entries"]] == ids


def test_an_entry_needs_an_id(tmp_path):
    entry = {key: value for key, value in GOOD.items() if key != "id"}
    assert rejection(tmp_path, [entry]) == "entry 1 ('vile'): field 'id': is required"


def test_rule_id_shape(tmp_path):
    message = rejection(tmp_path, [{**GOOD, "id": "Pejorative.Vile"}])
    assert message.startswith("entry 1 ('vile'): field 'id': must look like 'category.words-with-hyphens'")


def test_duplicate_rule_id(tmp_path):
    second = {**GOOD, "term": "heinous", "why": "A courtroom word used to pass sentence."}
    message = rejection(tmp_path, [GOOD, second])
    assert message == "entry 2 ('heinous'): field 'id': 'pejorative.vile' is already the id of entry 1"


def test_scare_quotes_rule_has_its_own_id(tmp_path):
    assert load_lexicon(write(tmp_path, [GOOD], scare_quotes=SCARE_QUOTES)).scare_quotes.id == "doubt.scare-quotes"
    clash = {**GOOD, "id": "doubt.scare-quotes"}
    message = rejection(tmp_path, [clash], scare_quotes=SCARE_QUOTES)
    assert message == "entry 1 ('vile'): field 'id': 'doubt.scare-quotes' is already the id of scare_quotes"
    nameless = {key: value for key, value in SCARE_QUOTES.items() if key != "id"}
    assert "field 'scare_quotes.id': is required" in rejection(tmp_path, [GOOD], scare_quotes=nameless)


# -- the grammar word lists (data/grammar.yaml) -----------------------------------------------------------


def grammar_rejection(tmp_path: Path, **changes) -> str:
    data = {**yaml.safe_load(grammar_module.DEFAULT_PATH.read_text(encoding="utf-8")), **changes}
    data = {key: value for key, value in data.items() if value is not None}
    path = tmp_path / "grammar.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(GrammarError) as caught:
        load_grammar(path)
    return str(caught.value)


def test_shipped_grammar_is_loaded_once():
    grammar = load_grammar()
    assert grammar is load_grammar()
    assert "so" in grammar.degree_words and "their" in grammar.possessives and "PERSON" in grammar.speaker_entity_types


def test_malformed_grammar_is_refused_naming_the_field(tmp_path):
    assert grammar_rejection(tmp_path, degree_words=["very", "Truly"]).endswith(
        "field 'degree_words': 'Truly' must be one lowercase word")
    assert grammar_rejection(tmp_path, first_person=None).endswith("field 'first_person': is required")
    assert grammar_rejection(tmp_path, possessives="their").endswith("field 'possessives': must be a non-empty list")
    assert grammar_rejection(tmp_path, labelling_verbs=["call", "call"]).endswith(
        "field 'labelling_verbs': lists an item twice")
    assert grammar_rejection(tmp_path, name_entity_types=["org"]).endswith(
        "field 'name_entity_types': 'org' must be an uppercase entity type such as PERSON")
    assert "field 'surprise': unknown field" in grammar_rejection(tmp_path, surprise=["x"])


def test_grammar_label_categories_must_be_lexicon_categories(tmp_path):
    data = {**yaml.safe_load(grammar_module.DEFAULT_PATH.read_text(encoding="utf-8")), "label_categories": ["slur"]}
    path = tmp_path / "grammar.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(GrammarError, match="field 'label_categories': 'slur' is not a lexicon category"):
        LoadedTerms(spacy.blank("en"), grammar=str(path))


SENSES = {
    "classes": {"people": {"entity_types": ["PERSON"], "words": ["people", "them"]}},
    "domains": {"medicine": {"words": ["disease", "virus"]}},
}


def test_sense_constraints_name_declared_classes_and_domains(tmp_path):
    entry = {**GOOD, "applies_to": ["people"], "literal_with": ["medicine"]}
    loaded = load_lexicon(write(tmp_path, [entry], senses=SENSES)).entries[0]
    assert loaded.applies_to == ("people",) and loaded.literal_with == ("medicine",)
    assert rejection(tmp_path, [{**GOOD, "applies_to": ["ideas"]}], senses=SENSES) == (
        "entry 1 ('vile'): field 'applies_to': 'ideas' is not a class of 'senses'"
    )
    assert rejection(tmp_path, [{**GOOD, "literal_with": ["sport"]}], senses=SENSES) == (
        "entry 1 ('vile'): field 'literal_with': 'sport' is not a domain of 'senses'"
    )
    # Without a senses section no entry may name a class.
    assert "'people' is not a class" in rejection(tmp_path, [{**GOOD, "applies_to": ["people"]}])


def test_sense_word_lists_are_checked(tmp_path):
    repeated = {**SENSES, "domains": {"medicine": {"words": ["virus", "virus"]}}}
    assert "lists 'virus' twice" in rejection(tmp_path, [GOOD], senses=repeated)
    capitals = {**SENSES, "domains": {"medicine": {"words": ["Virus"]}}}
    assert "'Virus' must be one lowercase word" in rejection(tmp_path, [GOOD], senses=capitals)


def test_a_key_given_twice_in_an_entry_is_refused(tmp_path):
    path = tmp_path / "lexicon.yaml"
    path.write_text(
        yaml.safe_dump(HEADER, sort_keys=False)
        + "entries:\n  - {id: pejorative.vile, term: vile, category: pejorative, severity: 2, severity: 3,\n"
        + "     why: \"Expresses disgust instead of describing the event.\", alternatives: [\"(omit)\"]}\n",
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match="'severity' is given twice"):
        load_lexicon(path)
