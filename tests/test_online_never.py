"""`online: never` means the knowledge shipped and imported (embedded and user entries) only: no Wikipedia
call, and no card some earlier request fetched from it, so the answer does not depend on what others read."""

from __future__ import annotations

import time

from test_online_analyze import copy_kb
from wikipedia_standin import closed_port_url

from reader_context.knowledge import Entity, KnowledgeStore
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings

TEXT = "Syriatel restored the network in Timbuktu on Tuesday."


def test_never_serves_no_card_fetched_from_wikipedia(kb_path, tmp_path):
    kb = copy_kb(kb_path, tmp_path)
    store = KnowledgeStore(kb)
    store.ensure_schema()
    # What an earlier reader's online lookup left in the base.
    store.put_wikipedia({"Syriatel": Entity(
        id="wikipedia:Syriatel", title="Syriatel", kind="organization", description="Mobile telephone company in Syria",
        summary="Syriatel is a mobile telephone company in Syria.", url="https://en.wikipedia.org/wiki/Syriatel",
        source="wikipedia", attribution="From Wikipedia, CC BY-SA 4.0",
        context="Mobile telephone company in Syria. Syriatel is a mobile telephone company in Syria.",
        aliases=(("Syriatel", "title", 1.0),))}, time.time())
    store.close()
    analyzer = Analyzer(Settings(kb_path=kb, data_dir=kb.parent, wikipedia_url=closed_port_url(), online="auto"))
    offline = analyzer.analyze([Block("p", TEXT)], online="auto")
    assert offline.cards["wikipedia:Syriatel"].source == "wikipedia"  # auto: the base serves it, Wikipedia or not
    never = analyzer.analyze([Block("p", TEXT)], online="never")
    assert "wikipedia:Syriatel" not in never.cards and {c.source for c in never.cards.values()} == {"embedded"}
    assert never.cards["wikipedia:Timbuktu"].source == "embedded"
