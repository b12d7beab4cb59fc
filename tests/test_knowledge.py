"""The embedded knowledge base, built from the real registry packages, and a user's own entries."""

import json
import time

import pytest
import yaml
from pydantic import ValidationError

from reader_context.knowledge import (
    Entity, KnowledgeError, KnowledgeStore, build_embedded, import_user_entries, open_knowledge,
)
from reader_context.knowledge.build import current_fingerprint
from reader_context.knowledge.kinds import DEFAULT_PATH as KINDS_PATH
from reader_context.knowledge.kinds import KindsError, load_kind_words
from reader_context.knowledge.names import alias_key
from reader_context.knowledge.overrides import load_overrides


@pytest.fixture(scope="module")
def store(kb_path):
    return KnowledgeStore(kb_path)


def _ids(store, name):
    return {h.entity_id for h in store.lookup_alias(alias_key(name))}


def test_built_from_the_packages_with_sources_and_licences(store):
    stats = store.stats()
    assert stats["by_source"]["embedded"] > 10_000
    card = store.entities(["wikipedia:Palmyra"])["wikipedia:Palmyra"]
    assert card.kind == "place" and card.summary.startswith("Palmyra is an ancient city")
    assert "CC BY-SA" in card.attribution and card.url == "https://en.wikipedia.org/wiki/Palmyra"
    assert len(card.summary) < 700  # a card, never the whole lead


def test_aliases_derived_from_leads_countries_and_our_overrides(store):
    assert "wikipedia:Vladimir Putin" in _ids(store, "Putin")  # unambiguous surname
    assert "wikipedia:UNESCO" in _ids(store, "United Nations Educational, Scientific and Cultural Organization")
    assert "wikipedia:World Health Organization" in _ids(store, "WHO")  # "(WHO)" in the lead
    assert "wikipedia:Syria" in _ids(store, "Syrian Arab Republic")  # countryinfo
    assert "wikipedia:United States" in _ids(store, "U.S.")  # our override file
    assert store.entities(["wikipedia:Syria"])["wikipedia:Syria"].facts["capital"] == "Damascus"


def test_lookup_prefers_the_name_over_the_common_noun(store):
    assert store.lookup("Apple").title == "Apple Inc."
    assert store.lookup("unesco").title == "UNESCO"
    assert store.lookup("heritage site listed by UNESCO") is not None  # full-text fallback
    assert store.lookup("qwertyuiopasdf") is None


def test_every_override_names_an_entry_that_exists(store):
    titles = {row[0] for row in store.connection().execute("SELECT title FROM entities")}
    overrides = load_overrides()
    for item in overrides.aliases + overrides.needs_support:
        assert item.title in titles, item


@pytest.mark.slow  # builds a knowledge base of its own
def test_user_import_reports_bad_lines_and_keeps_everything_else(tmp_path):
    path = tmp_path / "kb.sqlite3"
    store = open_knowledge(path)
    before = store.stats()["by_source"]["embedded"]
    entries = tmp_path / "mine.jsonl"
    entries.write_text("\n".join([
        json.dumps({"title": "Syriatel", "description": "Syrian mobile network operator",
                    "summary": "Syriatel is a mobile network operator in Syria.", "aliases": ["SyriaTel"],
                    "kind": "organization", "url": "https://example.org/syriatel"}),
        "{not json",
        json.dumps({"title": "", "kind": "organization"}),
        json.dumps({"title": "Ok Corp", "kind": "spaceship"}),
        json.dumps({"title": "Bokova Foundation", "unknown_field": 1}),
    ]) + "\n", encoding="utf-8")
    report = import_user_entries(store, entries)
    assert report.added == 1
    assert [line for line, _ in report.errors] == [2, 3, 4, 5]
    assert "title" in report.errors[1][1] and "kind" in report.errors[2][1] and "unknown_field" in report.errors[3][1]
    card = store.lookup("SyriaTel")
    assert card.source == "user" and card.title == "Syriatel"
    # A rebuild of the embedded entries keeps the user's.
    build_embedded(store, force=True)
    assert store.lookup("Syriatel").source == "user"
    assert store.stats()["by_source"]["embedded"] == before


@pytest.mark.slow  # builds a knowledge base of its own
def test_a_stale_store_is_rebuilt_and_a_fresh_one_is_not(tmp_path):
    path = tmp_path / "kb.sqlite3"
    store = open_knowledge(path)
    with store.write() as conn:
        conn.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'countryinfo'")
    assert build_embedded(KnowledgeStore(path)) is not None  # stale: rebuilt
    assert build_embedded(KnowledgeStore(path)) is None  # current: nothing to do


def test_a_corrupt_file_is_refused_not_served_empty(tmp_path):
    path = tmp_path / "kb.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(KnowledgeError):
        open_knowledge(path)


def test_an_unbuilt_store_is_refused_when_building_is_off(tmp_path):
    with pytest.raises(KnowledgeError, match="kb build"):
        open_knowledge(tmp_path / "empty.sqlite3", build=False)


# -- the entity record and its card -------------------------------------------------------------------


def entity(title: str, source: str = "wikipedia", **values) -> Entity:
    fields = {"kind": "person", "aliases": ((title, "title", 1.0),)} | values
    return Entity(id=f"{source}:{title}", title=title, description=None, summary=f"{title} is.", url=None,
                  source=source, attribution=None, **fields)


def test_a_card_dump_has_the_keys_the_api_always_sent(store):
    palmyra = store.entities(["wikipedia:Palmyra"])["wikipedia:Palmyra"]
    assert set(palmyra.card().model_dump()) == {"id", "title", "kind", "description", "summary", "url", "thumbnail",
                                                "source", "attribution", "in_article"}  # no facts: none to show
    syria = store.entities(["wikipedia:Syria"])["wikipedia:Syria"].card().model_dump()
    assert syria["facts"]["capital"] == "Damascus"
    with pytest.raises(ValidationError, match="extra"):
        type(palmyra.card()).model_validate({**syria, "score": 1})


# -- what an alias matcher reads ----------------------------------------------------------------------


def test_aliases_since_gives_new_names_and_the_build_stamp_says_when_to_start_over(tmp_path):
    store = KnowledgeStore(tmp_path / "kb.sqlite3")
    store.create_schema()
    assert store.aliases_since(0) == ([], 0) and store.build_stamp() == ""
    ada = entity("Ada Lovelace", aliases=(("Ada Lovelace", "title", 1.0), ("Lovelace", "surname", 0.5)))
    with store.write() as conn:
        store.put(conn, [ada, entity("Castle", kind="place", common_noun=True)])
    names, high = store.aliases_since(0)
    assert sorted(names) == [("Ada Lovelace", "ada lovelace"), ("Lovelace", "lovelace")]  # no common noun
    assert store.aliases_since(high) == ([], high)

    store.put_wikipedia({"Syriatel": entity("Syriatel")}, time.time())
    assert store.aliases_since(high)[0] == [("Syriatel", "syriatel")]
    assert store.build_stamp() == ""  # write-through only adds names: read on from the high-water mark

    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"title": "Zenda", "aliases": ["Old Zenda"]}) + "\n", encoding="utf-8")
    import_user_entries(store, path)
    assert store.aliases_since(high)[0][1:] == [("Zenda", "zenda"), ("Old Zenda", "old zenda")]
    assert store.build_stamp() == ""  # an import of new entries only adds names too
    import_user_entries(store, path)
    assert store.build_stamp()  # imported again, its rows were replaced: start over


# -- curated words ----------------------------------------------------------------------------------


def test_the_kinds_file_is_part_of_the_build_fingerprint():
    assert current_fingerprint()["kinds"]


@pytest.mark.parametrize("change, field", [
    (lambda d: d["topic_default"].update(People="human"), "topic_default.People"),
    (lambda d: d["heads"].update(work=d["heads"]["work"] + " city"), "heads"),
    (lambda d: d.pop("weak_heads"), "weak_heads"),
    (lambda d: d.update(heads_extra="x"), "heads_extra"),
])
def test_a_malformed_kinds_file_is_refused_naming_the_field(tmp_path, change, field):
    data = yaml.safe_load(KINDS_PATH.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "kinds.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KindsError, match=f"kinds.yaml: {field}: "):
        load_kind_words(path)
