"""Pending cards: finished after their request's deadline, served by whichever worker is asked next."""

from __future__ import annotations

import logging

import pytest

from reader_context.knowledge.entity import Card
from reader_context.knowledge.pending import PendingCards
from reader_context.knowledge.shared import SharedCache
from reader_context.knowledge.store import KnowledgeStore
from redis_server import redis_server  # noqa: F401 (a fixture)


class FakeClock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def new_store(path) -> KnowledgeStore:
    store = KnowledgeStore(path)
    store.create_schema()
    return store


def card(title: str, *in_article: str) -> Card:
    return Card(id=f"wikipedia:{title}", title=title, kind="person", description="Bulgarian diplomat",
                summary=f"{title} is a diplomat.", url=None, thumbnail=None, source="wikipedia",
                attribution="From Wikipedia, CC BY-SA 4.0", in_article=list(in_article))


def shared(url: str) -> SharedCache:
    return SharedCache(url, timeout=0.5, prefix="reader-context:test:")


def test_two_workers_on_one_base_serve_each_others_cards(tmp_path):
    path = tmp_path / "kb.sqlite3"
    first, second = PendingCards(new_store(path), None), PendingCards(new_store(path), None)
    pid = first.open()
    assert second.get([pid]) == ({}, [pid])
    first.resolve(pid, card("Irina Bokova", "the UNESCO chief"))
    found, waiting = second.get([pid, "pending:unknown", "wikipedia:Palmyra"])
    assert found == {pid: card("Irina Bokova", "the UNESCO chief")} and waiting == []


def test_two_articles_naming_one_person_keep_their_own_cards(tmp_path):
    pending = PendingCards(new_store(tmp_path / "kb.sqlite3"), None)
    one, two = pending.open(), pending.open()
    pending.resolve(one, card("Irina Bokova", "the UNESCO chief"))
    pending.resolve(two, card("Irina Bokova", "a Bulgarian candidate"))
    found, _ = pending.get([one, two])
    assert found[one].in_article == ["the UNESCO chief"] and found[two].in_article == ["a Bulgarian candidate"]


@pytest.mark.slow  # a real redis-server
def test_two_machines_share_cards_through_redis(tmp_path, redis_server):
    first = PendingCards(new_store(tmp_path / "a.sqlite3"), shared(redis_server.url))
    second = PendingCards(new_store(tmp_path / "b.sqlite3"), shared(redis_server.url))
    pid = first.open()
    assert second.get([pid]) == ({}, [pid])
    first.resolve(pid, card("Irina Bokova"))
    assert second.get([pid]) == ({pid: card("Irina Bokova")}, [])


def test_a_card_expires_and_expired_rows_are_purged(tmp_path):
    clock = FakeClock()
    store = new_store(tmp_path / "kb.sqlite3")
    pending = PendingCards(store, None, ttl_seconds=60, clock=clock)
    waiting, resolved = pending.open(), pending.open()
    pending.resolve(resolved, card("Irina Bokova"))
    clock.now += 59
    assert pending.get([waiting, resolved]) == ({resolved: card("Irina Bokova")}, [waiting])
    clock.now += 2
    assert pending.get([waiting, resolved]) == ({}, [])
    pending.open()  # purges what expired on the way
    assert store.connection().execute("SELECT COUNT(*) FROM pending_cards").fetchone()[0] == 1


def test_ids_are_unguessable_and_a_card_that_was_not_found_is_absent(tmp_path):
    pending = PendingCards(new_store(tmp_path / "kb.sqlite3"), None)
    ids = [pending.open() for _ in range(200)]
    assert len(set(ids)) == 200
    assert all(i.startswith("pending:") and len(i) - len("pending:") >= 22 for i in ids)  # 22 base64 chars: 128 bits
    pending.resolve(ids[0], None)
    assert pending.get(ids[:1]) == ({}, [])


def test_a_read_only_base_degrades_to_this_process_with_one_warning(tmp_path, caplog):
    store = new_store(tmp_path / "kb.sqlite3")
    store.close()
    store.read_only = True  # as a read-only mount leaves it (root can write any file, so no chmod here)
    pending = PendingCards(store, None)
    with caplog.at_level(logging.WARNING, logger="reader_context.knowledge.pending"):
        one, two = pending.open(), pending.open()
        pending.resolve(one, card("Irina Bokova"))
        assert pending.get([one, two]) == ({one: card("Irina Bokova")}, [two])
    assert len([r for r in caplog.records if r.name == "reader_context.knowledge.pending"]) == 1


def test_no_more_cards_wait_than_the_deployment_keeps(tmp_path):
    """A flood of late names must not grow the table without end: past `most`, no pending id is given,
    until cards expire."""
    clock = FakeClock()
    store = new_store(tmp_path / "kb.sqlite3")
    pending = PendingCards(store, None, ttl_seconds=60, most=5, clock=clock)
    ids = [pending.open() for _ in range(8)]
    assert all(ids[:5]) and ids[5:] == [None, None, None]
    assert store.connection().execute("SELECT COUNT(*) FROM pending_cards").fetchone()[0] == 5
    pending.resolve(ids[0], card("Irina Bokova"))  # a card found later still lands
    assert pending.get(ids[:1])[0] == {ids[0]: card("Irina Bokova")}
    clock.now += 61
    assert pending.open() is not None


def test_without_a_writable_base_memory_holds_no_more_than_the_cap(tmp_path):
    store = new_store(tmp_path / "kb.sqlite3")
    store.close()
    store.read_only = True
    pending = PendingCards(store, None, most=3)
    ids = [pending.open() for _ in range(5)]
    assert all(ids[:3]) and ids[3:] == [None, None]
    assert pending.get(ids[:3]) == ({}, ids[:3])  # the ones given are not pushed out
