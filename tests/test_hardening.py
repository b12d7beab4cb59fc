"""Bad input and abuse at the door: hostile text, every limit configurable, the API key, rate limits,
request logs without page text, a server that refuses to start on a broken lexicon, and an extension that
never inserts remote HTML. Faults of Wikipedia and Redis in the online path are in test_wikipedia.py,
test_online_cache.py and test_online_analyze.py; faults of the knowledge-base file in test_store_faults.py."""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from fuzz_harness import check_marks
from redis_server import BINARY as REDIS, MISSING_REASON, RedisServer
from reader_context.language import LexiconError
from reader_context.language import lexicon as lexicon_module
from reader_context.pipeline import Analyzer
from reader_context.settings import Settings
from reader_context.web import create_app

EXTENSION_SRC = Path(__file__).resolve().parents[1] / "extension" / "src"
KEY = "a-long-enough-test-key-42"


def _app(settings, analyzer, **changes):
    return create_app(settings.model_copy(update={"rate_limit_enabled": False, **changes}), analyzer)


@pytest.fixture(scope="module")
def client(settings, analyzer):
    return _app(settings, analyzer).test_client()


def _error(res, status, code):
    assert res.status_code == status, res.get_data(as_text=True)[:300]
    assert res.is_json, res.data[:300]
    error = res.get_json()["error"]
    assert error["code"] == code, error
    return error


# -- hostile text -------------------------------------------------------------------------------

SENTENCE = "Vladimir Putin said the savage fighters left Palmyra in Syria."
HOSTILE = {
    "nul": SENTENCE.replace(" said", "\x00 said") + "\x00",
    "rtl": "\u202e" + SENTENCE + "\u202c \u05e9\u05dc\u05d5\u05dd \u0627\u0644\u0634\u0627\u0645 \u200f",
    "combining": "Pu\u0301tin " + SENTENCE + " e\u0301\u0301\u0301\u0308 Dama\u0308scus",
    "emoji": "\U0001F468\u200d\U0001F469\u200d\U0001F467 " + SENTENCE + " \U0001F1F8\U0001F1FE\U0001F3DB\ufe0f",
    "zero_width": "\u200b" + SENTENCE.replace("savage", "sav\u200dage") + "\ufeff\u200c",
    "html": "<script>alert('x')</script><b>" + SENTENCE + "</b> &amp; <img src=x onerror=alert(1)>",
    "crlf": SENTENCE.replace(" said", "\r\nsaid") + "\r\n\r\n" + SENTENCE + "\r",
    "one_long_word": "Palmyra" * (100_000 // 7),
    "max_chars_of_sentences": (SENTENCE + " ") * (100_000 // (len(SENTENCE) + 1)),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n == "max_chars_of_sentences" else n
                                  for n in HOSTILE])
@pytest.mark.parametrize("shape", ["text", "blocks"])
def test_hostile_text_is_answered_with_correct_offsets(client, name, shape):
    if name == "max_chars_of_sentences" and shape == "blocks":
        pytest.skip("the same 10 s of work as the text shape")
    text = HOSTILE[name]
    body = {"text": text} if shape == "text" else {"blocks": [{"id": "\u05d0\u0301", "text": text}]}
    started = time.perf_counter()
    res = client.post("/api/v1/analyze", data=json.dumps(body), content_type="application/json")
    assert res.status_code == 200, res.get_data(as_text=True)[:300]
    assert time.perf_counter() - started < 60  # answered, not hung: its speed is the benchmarks' business
    check_marks(body, res.get_json())


# Invisible control and format characters (NUL, bidi controls, zero-width space, BOM) glued to a word must not
# hide it: "\u202eVladimir Putin" and "Putin\x00" keep their card.
@pytest.mark.parametrize("name", [
    "combining", "emoji", "html", "crlf",
    "nul", "rtl", "zero_width",
])
def test_names_beside_odd_characters_are_still_found(client, name):
    response = client.post("/api/v1/analyze", json={"text": HOSTILE[name]}).get_json()
    assert "wikipedia:Vladimir Putin" in response["cards"]
    # The mark covers the word as sent, invisible characters and all.
    assert "savage" in [t["lemma"] for t in response["terms"]]


def test_a_lone_surrogate_is_a_400_naming_the_field(client):
    # JSON can carry "\ud800" without its pair; it is no Unicode text and could not be echoed back in a mark.
    raw = '{"blocks": [{"id": "a", "text": "fine"}, {"id": "b", "text": "Putin \\ud800 visited"}]}'
    error = _error(client.post("/api/v1/analyze", data=raw, content_type="application/json"), 400, "invalid_request")
    assert error["field"] == "blocks.1.text" and "U+D800" in error["message"] and "character 6" in error["message"]
    raw = '{"text": "x", "url": "https://example.org/\\udfff"}'
    assert _error(client.post("/api/v1/analyze", data=raw, content_type="application/json"),
                  400, "invalid_request")["field"] == "url"


def test_bytes_that_are_not_utf8_are_a_400(client):
    _error(client.post("/api/v1/analyze", data=b'{"text": "caf\xe9"}', content_type="application/json"),
           400, "malformed_json")


@pytest.mark.parametrize("query", ["id=%ED%A0%80", "id=%00", "id=" + "x" * 5000, "id=a&id=", "id=a&idx=b"])
def test_odd_card_ids_are_answered_not_crashed_on(client, query):
    res = client.get("/api/v1/cards?" + query)
    assert res.status_code in (200, 400) and res.is_json


@pytest.mark.parametrize("q", ["%ED%A0%80", "%00", "%20%20", "Palmyra%0D%0A", "%22%20OR%201%3D1%20--", "NEAR(a%20b)"])
def test_odd_lookups_are_answered_not_crashed_on(client, q):
    res = client.get("/api/v1/cards/lookup?q=" + q)
    assert res.status_code == 200 and "card" in res.get_json()


# -- every limit is configurable and named in the error ------------------------------------------


def test_every_limit_is_configurable(settings, analyzer):
    client = _app(settings, analyzer, max_chars=50, max_blocks=2, max_block_id=4, max_body_bytes=2048).test_client()
    err = _error(client.post("/api/v1/analyze", json={"blocks": [{"id": "a", "text": "x" * 30},
                                                                 {"id": "b", "text": "y" * 21}]}),
                 413, "text_too_long")
    assert err["limit"] == 50 and err["field"] == "blocks" and "51" in err["message"]
    err = _error(client.post("/api/v1/analyze", json={"blocks": [{"id": str(i), "text": "x"} for i in range(3)]}),
                 413, "too_many_blocks")
    assert err["limit"] == 2 and err["field"] == "blocks"
    err = _error(client.post("/api/v1/analyze", json={"blocks": [{"id": "abcde", "text": "x"}]}),
                 400, "block_id_too_long")
    assert err["limit"] == 4 and err["field"] == "blocks.0.id"
    err = _error(client.post("/api/v1/analyze", data=json.dumps({"text": "x", "url": "u" * 3000}),
                             content_type="application/json"), 413, "body_too_large")
    assert err["limit"] == 2048
    assert client.post("/api/v1/analyze", json={"text": "x" * 50}).status_code == 200


def test_null_for_text_or_blocks_is_a_400_naming_it(client):
    err = _error(client.post("/api/v1/analyze", json={"text": None, "blocks": [{"id": "a", "text": "b"}]}),
                 400, "invalid_request")
    assert err["field"] == "text"


# -- the API key ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keyed(settings, analyzer):
    return _app(settings, analyzer, api_key=KEY).test_client()


def test_with_a_key_set_the_api_wants_it(keyed):
    body = {"text": "Vladimir Putin visited Palmyra."}
    assert _error(keyed.post("/api/v1/analyze", json=body), 401, "api_key_required")
    assert _error(keyed.post("/api/v1/analyze", json=body, headers={"X-API-Key": KEY[:-1]}), 401, "api_key_invalid")
    assert _error(keyed.post("/api/v1/analyze", json=body, headers={"X-API-Key": KEY + "x"}), 401, "api_key_invalid")
    assert _error(keyed.get("/api/v1/cards?id=wikipedia:Palmyra"), 401, "api_key_required")
    assert _error(keyed.get("/api/v1/cards/lookup?q=Palmyra", headers={"X-API-Key": "\u00e9" * 20}), 401,
                  "api_key_invalid")
    assert keyed.post("/api/v1/analyze", json=body, headers={"X-API-Key": KEY}).status_code == 200
    assert keyed.get("/api/v1/cards/lookup?q=Palmyra", headers={"X-API-Key": KEY}).get_json()["card"]


def test_with_a_key_set_health_contract_demo_and_preflight_stay_open(keyed):
    assert keyed.get("/api/v1/health").status_code == 200
    assert keyed.get("/api/v1/openapi.json").status_code == 200
    assert keyed.get("/").status_code == 200
    origin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    pre = keyed.options("/api/v1/analyze", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-api-key"})
    assert pre.status_code == 200 and pre.headers["Access-Control-Allow-Origin"] == origin
    assert "x-api-key" in pre.headers["Access-Control-Allow-Headers"].lower()


def test_a_short_api_key_is_refused_at_start():
    with pytest.raises(ValidationError, match="api_key"):
        Settings(api_key="secret")


# -- rate limits ---------------------------------------------------------------------------------


def test_a_client_over_its_limit_gets_a_429_with_retry_after(settings, analyzer):
    app = create_app(settings.model_copy(update={"rate_limit_enabled": True, "rate_limit_analyze": "3/minute",
                                                 "rate_limit_default": "5/minute"}), analyzer)
    client = app.test_client()
    for _ in range(3):
        assert client.post("/api/v1/analyze", json={"text": "Palmyra"}).status_code == 200
    res = client.post("/api/v1/analyze", json={"text": "Palmyra"})
    err = _error(res, 429, "rate_limited")
    assert "3 per 1 minute" in err["message"]
    assert 0 < int(res.headers["Retry-After"]) <= 60
    # Another client is not held back by the first; health is never limited; /cards counts on its own.
    other = client.post("/api/v1/analyze", json={"text": "Palmyra"}, environ_base={"REMOTE_ADDR": "127.0.0.9"})
    assert other.status_code == 200
    assert all(client.get("/api/v1/health").status_code == 200 for _ in range(10))
    assert [client.get("/api/v1/cards?id=x").status_code for _ in range(6)] == [200] * 5 + [429]


def test_limits_are_on_unless_turned_off_and_say_how_they_count(settings, analyzer, caplog):
    """Unset means on (a gunicorn deployment); the local server turns it off (test_cli)."""
    caplog.set_level(logging.INFO)
    limited = settings.model_copy(update={"rate_limit_enabled": None, "rate_limit_analyze": "2/minute"})
    client = create_app(limited, analyzer).test_client()
    ok = client.post("/api/v1/analyze", json={"text": "Timbuktu"})
    assert ok.status_code == 200 and "Retry-After" not in ok.headers, "only a refusal says when to come back"
    assert ok.headers["X-RateLimit-Scope"] == "worker", "without Redis each worker counts on its own, and says so"
    client.post("/api/v1/analyze", json={"text": "Timbuktu"})
    refused = client.post("/api/v1/analyze", json={"text": "Timbuktu"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0 and refused.data  # read, as sent
    lines = [r.getMessage() for r in caplog.records if r.name == "reader_context.requests"]
    assert lines[-1].startswith("POST /api/v1/analyze 429 "), lines[-1]
    with_redis = settings.model_copy(update={"rate_limit_enabled": True, "redis_url": "redis://127.0.0.1:1/0"})
    assert create_app(with_redis, analyzer).test_client().get("/api/v1/cards?id=x").headers["X-RateLimit-Scope"] == "deployment"


def test_behind_a_proxy_each_real_client_has_its_own_limit(settings, analyzer, caplog):
    def statuses(app, clients):
        c = app.test_client()
        return [c.get("/api/v1/cards?id=x", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in clients]

    limits = {"rate_limit_enabled": True, "rate_limit_default": "2/minute"}
    proxied = create_app(settings.model_copy(update={**limits, "proxy_hops": 1}), analyzer)
    assert statuses(proxied, [1, 1, 2, 2, 1]) == [200, 200, 200, 200, 429]
    # Undeclared, the header is not trusted (anyone can send one): all share the proxy's address, and the log says why.
    caplog.set_level(logging.WARNING)
    bare = create_app(settings.model_copy(update=limits), analyzer)
    assert statuses(bare, [1, 2, 3]) == [200, 200, 429]
    assert sum("READER_CONTEXT_PROXY_HOPS" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.skipif(REDIS is None, reason=MISSING_REASON)
def test_limits_are_shared_through_redis_and_survive_its_death(settings, analyzer, tmp_path):
    server = RedisServer(tmp_path).start()
    try:
        shared = settings.model_copy(update={"rate_limit_enabled": True, "redis_url": server.url, "rate_limit_analyze": "4/minute"})
        workers = [create_app(shared, analyzer).test_client() for _ in range(2)]  # two gunicorn workers
        statuses = [workers[i % 2].post("/api/v1/analyze", json={"text": "Palmyra"}).status_code for i in range(5)]
        assert statuses == [200] * 4 + [429], "the two workers count against one limit"
        server.stop()  # Redis dies mid-run: answers go on (each worker falls back to its own count)
        after = [workers[0].post("/api/v1/analyze", json={"text": f"Damascus {i}"}) for i in range(3)]
        assert all(r.status_code in (200, 429) and r.is_json for r in after)
        assert any(r.status_code == 200 for r in after)
    finally:
        server.stop()


# -- request logs --------------------------------------------------------------------------------


def test_request_logs_hold_one_line_per_request_and_never_the_text(settings, analyzer, caplog):
    client = _app(settings, analyzer).test_client()
    secret = "Zebulon Quagmire-Hexworth"
    caplog.set_level(logging.DEBUG)
    responses = [  # each read to its end, as a server sends it
        client.post("/api/v1/analyze", json={"text": f"{secret} met Vladimir Putin.", "url": "https://secret.example/p"}),
        client.get(f"/api/v1/cards/lookup?q={secret}"),
        client.get(f"/api/v1/nothing/{secret}"),
        client.post("/api/v1/analyze", data="{bad " + secret, content_type="application/json"),
    ]
    assert [len(r.data) > 0 for r in responses] == [True] * 4
    lines = [r.getMessage() for r in caplog.records if r.name == "reader_context.requests"]
    assert len(lines) == 4
    assert re.fullmatch(r"POST /api/v1/analyze 200 [\d.]+ms in=\d+B out=\d+B", lines[0]), lines[0]
    assert lines[1].startswith("GET /api/v1/cards/lookup 200 ") and lines[2].startswith("GET <unmatched> 404 ")
    assert lines[3].startswith("POST /api/v1/analyze 400 ")
    everything = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    for leak in ("Zebulon", "Quagmire", "secret.example"):
        assert leak not in everything


def test_the_development_server_log_loses_the_query_string(settings, analyzer, caplog):
    _app(settings, analyzer)
    caplog.set_level(logging.INFO, logger="werkzeug")
    # As werkzeug's development server logs each request (serving.WSGIRequestHandler.log_request).
    logging.getLogger("werkzeug").info('127.0.0.1 - - [now] "%s" %s %s',
                                       "GET /api/v1/cards/lookup?q=Zebulon HTTP/1.1", "200", "-")
    message = [r.getMessage() for r in caplog.records if r.name == "werkzeug"][-1]
    assert "Zebulon" not in message and "GET /api/v1/cards/lookup HTTP/1.1" in message


# -- headers, the lexicon, the extension -----------------------------------------------------------


def test_security_headers(client):
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    api = client.post("/api/v1/analyze", json={"text": "<script>alert(1)</script>"})
    assert api.mimetype == "application/json" and api.headers["X-Content-Type-Options"] == "nosniff"


def test_the_server_refuses_to_start_on_an_invalid_lexicon(settings, tmp_path, monkeypatch):
    data = yaml.safe_load(lexicon_module.DEFAULT_PATH.read_text(encoding="utf-8"))
    broken = data["entries"][4]
    broken["severity"] = 9
    path = tmp_path / "lexicon.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(lexicon_module, "DEFAULT_PATH", path)
    with pytest.raises(LexiconError) as refused:
        create_app(settings, Analyzer(settings))
    assert f"entry 5 ({broken['term']!r})" in str(refused.value) and "severity" in str(refused.value)


def test_the_extension_never_inserts_remote_html():
    sources = list(EXTENSION_SRC.rglob("*.js"))
    assert len(sources) > 3
    sinks = re.compile(r"\.(innerHTML|outerHTML)\s*[+]?=|insertAdjacentHTML|document\.write|createContextualFragment"
                       r"|DOMParser|srcdoc|\beval\(|new Function\(")
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert not sinks.search(line), f"{path.relative_to(EXTENSION_SRC)}:{number}: {line.strip()}"
