"""Redis as an untrusted cache (issue 16, item 4): whoever can write to Redis must not be able to plant a card,
let alone one that the knowledge base keeps after a FLUSHALL and a restart. Against a real redis-server with
a password, and the stand-in Wikipedia."""

from __future__ import annotations

import json
import logging

import pytest

from reader_context.knowledge.pending import PendingCards
from reader_context.knowledge.shared import SharedCache
from redis_server import redis_with_password  # noqa: F401 (a fixture)
from test_online_cache import module_standin, new_store, online, settings, standin, titles  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow  # a real redis-server

SECRET = "a deployment secret of some length"
PREFIX = "reader-context:wikipedia:en:"
FORGED = {
    "id": "wikipedia:Islamic State", "title": "Islamic State", "kind": "organization",
    "description": "Planted description", "summary": "Planted by whoever could write to Redis.",
    "url": "https://attacker.example/phish", "source": "wikipedia", "attribution": None, "context": "planted",
    "thumbnail": None, "facts": None, "common_noun": False, "aliases": [["Islamic State", "title", 1.0]],
    "fetched_at": None,
}


def plant(server, key: str, value, *, secret: str | None = None) -> None:
    """Write a value as an attacker would: raw, or sealed with a secret of their own guess."""
    raw = json.dumps(value)
    if secret:
        raw = SharedCache(server.url, timeout=0.5, prefix=PREFIX, secret=secret)._seal(key, raw)
    server.client().set(PREFIX + key, raw, ex=3600)


def planted_title(now: float, **changes) -> dict:
    return {"entry": {**FORGED, **changes}, "at": now}


def in_base(store, entity_id: str):
    return store.connection().execute("SELECT summary FROM entities WHERE id = ?", (entity_id,)).fetchone()


def test_with_a_secret_a_forged_entry_is_ignored_and_never_reaches_the_base(standin, redis_with_password, tmp_path,
                                                                             caplog):
    config = settings(tmp_path, redis_secret=SECRET)
    worker = online(new_store(tmp_path / "a.sqlite3"), standin.url, config, redis_with_password.url)
    now = worker._clock()
    plant(redis_with_password, "name:Daesh", {"ids": ["wikipedia:Islamic State"], "at": now})
    plant(redis_with_password, "title:Islamic State", planted_title(now))  # unsealed
    plant(redis_with_password, "title:Daesh", planted_title(now), secret="a wrong guess at the secret")
    caplog.set_level(logging.WARNING)
    entry = worker.lookup("Daesh")[0]
    assert entry.summary != FORGED["summary"] and entry.url.startswith(standin.url)
    assert standin.seen.searches["Daesh"] == 1  # asked Wikipedia, as if Redis had held nothing
    assert in_base(worker.store, "wikipedia:Islamic State")[0] == entry.summary
    assert any("did not write" in r.getMessage() for r in caplog.records)
    assert redis_with_password.password not in caplog.text  # the log names the Redis, never its password


def test_without_a_secret_a_planted_entry_never_outlives_a_flushall_and_a_restart(standin, redis_with_password,
                                                                                    tmp_path):
    config = settings(tmp_path)
    store = new_store(tmp_path / "a.sqlite3")
    worker = online(store, standin.url, config, redis_with_password.url)
    plant(redis_with_password, "name:Daesh", {"ids": ["wikipedia:Islamic State"], "at": worker._clock()})
    plant(redis_with_password, "title:Islamic State", planted_title(worker._clock()))
    # Unsealed and well-formed: it cannot be told from another worker's, so it may be served from memory...
    assert worker.lookup("Daesh")[0].summary == FORGED["summary"]
    # ...but it is not in the base, so FLUSHALL and a restart end it.
    assert in_base(store, "wikipedia:Islamic State") is None
    assert store.wikipedia_name("Daesh") is None
    redis_with_password.client().flushall()
    restarted = online(store, standin.url, config, redis_with_password.url)
    assert restarted.lookup("Daesh")[0].summary != FORGED["summary"]


@pytest.mark.parametrize("changes", [
    {"url": "javascript:alert(document.cookie)"},
    {"source": "user"},  # a user's own entry is never shared, and never refetched
    {"kind": "spaceship"},
    {"id": "user:Islamic State"},
    {"summary": "x" * 50_000},
    {"extra": "field"},
])
def test_an_entry_not_of_our_shape_is_ignored(standin, redis_with_password, tmp_path, changes):
    worker = online(new_store(tmp_path / "a.sqlite3"), standin.url, settings(tmp_path), redis_with_password.url)
    plant(redis_with_password, "title:Islamic State", planted_title(worker._clock(), **changes))
    found = worker.get(["wikipedia:Islamic State"])["wikipedia:Islamic State"]
    assert found.summary != FORGED["summary"] and found.source == "wikipedia"
    assert standin.seen.titles["Islamic State"] == 1


def test_an_entry_learnt_in_the_future_is_ignored(standin, redis_with_password, tmp_path):
    # It would otherwise stay "fresh" for ever in every worker that read it.
    worker = online(new_store(tmp_path / "a.sqlite3"), standin.url, settings(tmp_path), redis_with_password.url)
    plant(redis_with_password, "title:Islamic State", planted_title(worker._clock() + 86_400 * 365))
    assert worker.get(["wikipedia:Islamic State"])["wikipedia:Islamic State"].summary != FORGED["summary"]


def test_a_correctly_sealed_entry_is_used_and_kept(standin, redis_with_password, tmp_path):
    config = settings(tmp_path, redis_secret=SECRET)
    first = online(new_store(tmp_path / "a.sqlite3"), standin.url, config, redis_with_password.url)
    second = online(new_store(tmp_path / "b.sqlite3"), standin.url, config, redis_with_password.url)
    assert titles(first.lookup("Daesh")) == ["Islamic State"]
    sent = standin.seen.requests
    assert titles(second.lookup("Daesh")) == ["Islamic State"]
    assert standin.seen.requests == sent  # from Redis, no Wikipedia call
    # Sealed by a holder of the secret: the second instance's base keeps it.
    assert in_base(second.store, "wikipedia:Islamic State") is not None
    raw = redis_with_password.client().get(PREFIX + "title:Islamic State")
    assert raw.split(":", 1)[0] != raw and not raw.startswith("{")  # sealed, not bare JSON


def test_a_forged_pending_card_is_ignored(redis_with_password, tmp_path):
    def shared(secret):
        return SharedCache(redis_with_password.url, timeout=0.5, prefix="reader-context:pending:", secret=secret)

    mine = PendingCards(new_store(tmp_path / "a.sqlite3"), shared(SECRET))
    other = PendingCards(new_store(tmp_path / "b.sqlite3"), shared(SECRET))
    pid = mine.open()
    card = {"id": "wikipedia:X", "title": "X", "kind": "person", "description": None, "summary": "Planted.",
            "url": "https://attacker.example/", "thumbnail": None, "source": "wikipedia", "attribution": None}
    redis_with_password.client().set("reader-context:pending:" + pid, json.dumps([True, card, mine._clock() + 60]))
    assert other.get([pid]) == ({}, [])  # the forged answer is no answer: the id is unknown there
    shared(None).set(pid, [True, {**card, "url": "javascript:alert(1)"}, mine._clock() + 60], 60)
    unsealed = PendingCards(new_store(tmp_path / "c.sqlite3"), shared(None))
    assert unsealed.get([pid]) == ({}, [])
