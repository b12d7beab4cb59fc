"""A card's links are web links only: a `javascript:` or `data:` URL from Wikipedia or an edited knowledge
base must never reach the page that draws the card."""

from __future__ import annotations

import time

import pytest
from test_online_analyze import analyzer_for, copy_kb, wiki  # noqa: F401 (a fixture)
from wikipedia_standin import Article

from reader_context.knowledge import Entity, KnowledgeStore
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings

EVIL = "javascript:alert(document.cookie)"


def test_links_from_an_edited_base_are_dropped_from_its_cards(kb_path, tmp_path):
    kb = copy_kb(kb_path, tmp_path)
    store = KnowledgeStore(kb)
    entity = Entity(id="user:Oswin Trevellick", title="Oswin Trevellick", kind="person", description="Mayor of Ulvik",
                    summary="Oswin Trevellick is the mayor of Ulvik.", url=EVIL, thumbnail="data:image/svg+xml,<svg/>",
                    source="user", attribution="Added by the user", aliases=(("Oswin Trevellick", "title", 1.0),))
    with store.write() as conn:  # what someone with write access to the file could put there
        store.put(conn, [entity], fetched_at=time.time())
        store.renew_build_stamp(conn)
    store.close()
    analyzer = Analyzer(Settings(kb_path=kb, data_dir=kb.parent, online="never"))
    result = analyzer.analyze([Block("p", "Oswin Trevellick opened the new bridge on Monday.")])
    card = result.cards["user:Oswin Trevellick"]
    assert card.title == "Oswin Trevellick" and card.url is None and card.thumbnail is None
    found, _ = analyzer.cards(["user:Oswin Trevellick"])
    assert found["user:Oswin Trevellick"].url is None


@pytest.mark.slow  # the stand-in Wikipedia
def test_links_from_wikipedia_that_are_not_web_links_are_dropped(kb_path, tmp_path, wiki):
    wiki.add(Article("Oswin Trevellick", "Oswin Trevellick is a Norwegian engineer who built the bridge at Ulvik.",
                     "Norwegian engineer", thumbnail=" JavaScript:alert(1)"))
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, online="always", deadline_ms=10_000)
    result = analyzer.analyze([Block("p", "Oswin Trevellick, the engineer, opened the bridge at Ulvik.")]).model_dump()
    card = result["cards"]["wikipedia:Oswin Trevellick"]
    assert card["source"] == "wikipedia" and card["thumbnail"] is None
    assert card["url"].startswith("http://127.0.0.1:")  # a web link stays
