"""Limits at the edge that a client notices (issue 16): rate limits that weigh a request by its characters, bodies
over the limit whatever their framing, JSON too deep to parse, and answers no cache should keep."""

from __future__ import annotations

import io
import json

import pytest

from redis_server import BINARY as REDIS, MISSING_REASON, RedisServer
from reader_context.web import create_app

SMALL = "Vladimir Putin visited Palmyra."
LARGE = ("Floods reached Timbuktu after the rains in Mali. " * 250)[:12_000]


def _limited(settings, analyzer, **changes):
    return create_app(settings.model_copy(update={"rate_limit_enabled": True, **changes}), analyzer).test_client()


def test_a_client_sending_large_articles_is_limited_by_their_characters(settings, analyzer):
    client = _limited(settings, analyzer, rate_limit_characters="30000/minute")
    big, reader = {"REMOTE_ADDR": "198.51.100.1"}, {"REMOTE_ADDR": "198.51.100.2"}
    statuses = [client.post("/api/v1/analyze", json={"text": LARGE}, environ_base=big).status_code for _ in range(3)]
    assert statuses == [200, 200, 429], "12,000 characters a request: the third goes past 30,000 a minute"
    refused = client.post("/api/v1/analyze", json={"text": LARGE}, environ_base=big)
    error = refused.get_json()["error"]
    assert refused.status_code == 429 and error["code"] == "rate_limited" and "characters" in error["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    # The same number of requests, a few characters each, is nowhere near that client's budget...
    assert all(client.post("/api/v1/analyze", json={"text": SMALL}, environ_base=reader).status_code == 200
               for _ in range(5))
    # ...and another reader's lookups and short articles go on while the large sender waits.
    assert all(client.get("/api/v1/cards/lookup?q=Palmyra", environ_base=reader).status_code == 200 for _ in range(20))


def test_requests_are_still_counted_per_route_alongside_their_characters(settings, analyzer):
    client = _limited(settings, analyzer, rate_limit_analyze="2/minute", rate_limit_characters="1000000/minute")
    assert [client.post("/api/v1/analyze", json={"text": SMALL}).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.skipif(REDIS is None, reason=MISSING_REASON)
def test_the_character_limit_is_shared_by_workers_through_redis(settings, analyzer, tmp_path):
    server = RedisServer(tmp_path).start()
    try:
        shared = settings.model_copy(update={"rate_limit_enabled": True, "redis_url": server.url,
                                             "rate_limit_characters": "30000/minute"})
        workers = [create_app(shared, analyzer).test_client() for _ in range(2)]
        statuses = [workers[i % 2].post("/api/v1/analyze", json={"text": LARGE}).status_code for i in range(3)]
        assert statuses == [200, 200, 429], "two workers, one budget"
        server.stop()  # Redis gone: each worker counts on its own again and answers
        assert workers[1].post("/api/v1/analyze", json={"text": SMALL}).status_code in (200, 429)
    finally:
        server.stop()


def test_a_chunked_body_over_the_limit_is_a_413_not_a_cut_article(client):
    body = json.dumps({"text": "Palmyra " * 140_000}).encode()  # 1.1 MB, over the 1 MiB limit
    # As a server hands on a chunked body: no length, the stream ends where the body does (wsgi.input_terminated).
    res = client.post("/api/v1/analyze", input_stream=io.BytesIO(body), content_type="application/json",
                      headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert res.status_code == 413 and res.get_json()["error"]["code"] == "body_too_large", res.data[:200]
    small = json.dumps({"text": SMALL}).encode()
    res = client.post("/api/v1/analyze", input_stream=io.BytesIO(small), content_type="application/json",
                      headers={"Transfer-Encoding": "chunked"}, environ_overrides={"wsgi.input_terminated": True})
    assert res.status_code == 200 and res.get_json()["mentions"]


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_json_nested_too_deep_is_a_400_not_a_crash(client, depth):
    res = client.post("/api/v1/analyze", data="[" * depth + "]" * depth, content_type="application/json")
    assert res.status_code == 400 and res.get_json()["error"]["code"] == "malformed_json", res.data[:200]
    nested = '{"text": "x", "url": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    res = client.post("/api/v1/analyze", data=nested, content_type="application/json")
    assert res.status_code == 400 and res.is_json


def test_api_answers_are_not_stored_by_caches_but_static_files_may_be(client):
    for res in (client.post("/api/v1/analyze", json={"text": SMALL}), client.get("/api/v1/cards/lookup?q=Palmyra"),
                client.get("/api/v1/health"), client.get("/api/v1/nothing"), client.post("/api/v1/analyze", data="{")):
        assert res.headers["Cache-Control"] == "no-store", res.request.path
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/favicon.ico").headers.get("Cache-Control", "")
