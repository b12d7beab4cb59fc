"""The knowledge base under operations (issue 16, item 5): online writes while readers read, imports and
builds of many lines, the file replaced under a running server, a full disk, and the never-link list."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from reader_context.knowledge import Entity, KnowledgeStore, build_embedded, import_user_entries
from reader_context.pipeline import Analyzer, Block

pytestmark = pytest.mark.slow  # each test works on a copy of the real knowledge base


def copy_kb(kb_path: Path, to: Path) -> Path:
    """A consistent copy of the session's knowledge base (SQLite's backup API, WAL included)."""
    with sqlite3.connect(kb_path) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def online_entity(title: str, kind: str = "person", **values) -> Entity:
    return Entity(id=f"wikipedia:{title}", title=title, kind=kind, description="Someone", summary=f"{title}.",
                  url=None, source="wikipedia", attribution=None, aliases=((title, "title", 1.0),), **values)


def card_of(analyzer: Analyzer, text: str, name: str) -> str | None:
    result = analyzer.analyze([Block(f"b{time.monotonic_ns()}", text)], online="never")
    return next((m.card for m in result.mentions if m.text == name), "no mention")


# -- the alias-key cache ------------------------------------------------------------------------------


def test_online_writes_are_read_as_what_they_add_not_the_whole_alias_table_again(kb_path, settings, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    analyzer = Analyzer(settings.model_copy(update={"kb_path": path}))
    analyzer.warm_up()
    store = analyzer.store
    whole_reads = []
    weak_keys = store.weak_keys
    store.weak_keys = lambda *among: whole_reads.append(not among or among[0] is None) or weak_keys(*among)
    assert card_of(analyzer, "Vladimir Putin spoke.", "Vladimir Putin") == "wikipedia:Vladimir Putin"
    cached = len(analyzer.linker.store._aliases)
    writer = KnowledgeStore(path)  # another connection, as the online lookups' threads have
    for i, (title, kind) in enumerate([("Quorblax Indigo", "person"), ("Zembratide", "concept")] * 3):
        writer.put_wikipedia({title: online_entity(title, kind)}, time.time())
        assert card_of(analyzer, f"Vladimir Putin met Quorblax Indigo on day {i}.", "Quorblax Indigo") \
            == "wikipedia:Quorblax Indigo"
    # A single word that names only a concept is never a mention by itself, learnt from the keys just written.
    assert card_of(analyzer, "Zembratide rose again in May.", "Zembratide") == "no mention"
    assert not any(whole_reads), "an online write made the alias index read every alias again"
    # The linker's cache forgot only what was written: Putin's aliases are still there.
    assert "vladimir putin" in analyzer.linker.store._aliases and len(analyzer.linker.store._aliases) >= cached


# -- imports ------------------------------------------------------------------------------------------


def user_lines(count: int, tag: str) -> str:
    return "".join(json.dumps({"title": f"{tag} Company {i}", "summary": f"{tag} Company {i} makes things.",
                               "aliases": [f"{tag} Co {i}"], "kind": "organization"}) + "\n" for i in range(count))


def test_a_large_import_is_fast_and_other_writers_wait_a_batch_at_most(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(user_lines(10_000, "First"), encoding="utf-8")
    second.write_text(user_lines(3_000, "Second"), encoding="utf-8")
    stamp = KnowledgeStore(path).build_stamp()
    reports, waits = {}, []

    def run(name: str, file: Path) -> None:
        reports[name] = import_user_entries(KnowledgeStore(path), file)

    started = time.monotonic()
    imports = [threading.Thread(target=run, args=(name, file)) for name, file in (("first", first), ("second", second))]
    for thread in imports:
        thread.start()
    online = KnowledgeStore(path)  # what online lookups write meanwhile
    while any(t.is_alive() for t in imports):
        asked = time.monotonic()
        online.put_wikipedia_name(f"Name {len(waits)}", [], time.time())
        waits.append(time.monotonic() - asked)
    for thread in imports:
        thread.join()
    took = time.monotonic() - started
    assert reports["first"].added == 10_000 and reports["second"].added == 3_000  # the second did not give up
    assert took < 30, f"13,000 lines took {took:.0f} s"
    assert max(waits) < 5, f"an online write waited {max(waits):.1f} s for the imports"
    store = KnowledgeStore(path)
    assert store.lookup("First Co 9999").title == "First Company 9999"
    # Only added entries: every worker's alias index reads them as additions, without a rebuild.
    assert store.build_stamp() == stamp
    import_user_entries(store, second)  # imported again: its rows were replaced, which readers must learn
    assert store.build_stamp() != stamp and store.stats()["by_source"]["user"] == 13_000


# -- the never-link list --------------------------------------------------------------------------------


def test_a_rebuild_keeps_a_user_alias_that_is_on_the_never_link_list(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    mine = tmp_path / "mine.jsonl"
    # "America" never links to an embedded entry (data/aliases.yaml); a user may still name their own that way.
    mine.write_text(json.dumps({"title": "America Newspaper Group", "aliases": ["America"],
                                "kind": "organization"}) + "\n", encoding="utf-8")
    store = KnowledgeStore(path)
    import_user_entries(store, mine)
    assert store.lookup("America").id == "user:America Newspaper Group"
    build_embedded(store, force=True)
    assert store.lookup("America").id == "user:America Newspaper Group"
    assert all(hit.entity_id.startswith("user:") for hit in store.lookup_alias("america"))
