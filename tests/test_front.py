"""The buffering front gunicorn runs (web/front.py), driven as gunicorn's asyncio worker drives it: the app sees
a request only once it is whole, and sees it exactly as a WSGI server would have handed it on."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from reader_context.web.front import BufferedFront, create_front

TEXT = "Vladimir Putin visited Palmyra in S\u00e3o Paulo."


@pytest.fixture(scope="module")
def front(app):
    return create_front(threads=2, app=app)


def _serve(front: BufferedFront, method: str, path: str, chunks: list[bytes] = (), *, query: bytes = b"",
           headers: list[tuple[bytes, bytes]] = (), leaves: bool = False) -> dict | None:
    """One request as ASGI messages; `leaves`: the client goes away before its body's end."""
    messages = [{"type": "http.request", "body": c, "more_body": leaves or i < len(chunks) - 1}
                for i, c in enumerate(chunks)] or [{"type": "http.request", "body": b"", "more_body": False}]
    sent: list[dict] = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    raw = path.encode()
    scope = {"type": "http", "http_version": "1.1", "method": method, "scheme": "http", "path": path,
             "raw_path": raw, "query_string": query, "root_path": "", "headers": list(headers),
             "server": ("127.0.0.1", 5000), "client": ("127.0.0.1", 40000)}
    asyncio.run(front(scope, receive, send))
    if not sent:
        return None
    start, body = sent
    return {"status": start["status"], "headers": {k.decode(): v.decode() for k, v in start["headers"]},
            "body": body["body"]}


def test_a_body_in_many_pieces_is_analysed_as_the_whole_article(front, client):
    body = json.dumps({"text": TEXT}, ensure_ascii=False).encode()
    pieces = [body[i:i + 7] for i in range(0, len(body), 7)]  # S\u00e3o split across pieces
    res = _serve(front, "POST", "/api/v1/analyze", pieces,
                 headers=[(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")])
    assert res["status"] == 200 and res["headers"]["content-type"] == "application/json"
    direct = client.post("/api/v1/analyze", json={"text": TEXT}).get_json()
    got = json.loads(res["body"])
    assert got["mentions"] == direct["mentions"] and got["cards"] == direct["cards"]


def test_a_chunked_body_over_the_limit_is_the_apps_own_413(front, caplog):
    caplog.set_level(logging.INFO, logger="reader_context.requests")
    piece = b" " * 65_536
    res = _serve(front, "POST", "/api/v1/analyze", [b'{"text": "'] + [piece] * 17 + [b'"}'],
                 headers=[(b"content-type", b"application/json"), (b"transfer-encoding", b"chunked")])
    assert res["status"] == 413 and res["headers"]["connection"] == "close"
    assert json.loads(res["body"])["error"]["code"] == "body_too_large"
    assert any(r.getMessage().startswith("POST /api/v1/analyze 413 ") for r in caplog.records)


def test_a_client_that_leaves_before_its_body_ends_runs_nothing(front, caplog):
    caplog.set_level(logging.INFO, logger="reader_context.requests")
    assert _serve(front, "POST", "/api/v1/analyze", [b'{"text": "Palmyra'], leaves=True,
                  headers=[(b"content-type", b"application/json")]) is None
    assert not [r for r in caplog.records if r.name == "reader_context.requests"], "the app never saw a cut article"


def test_paths_queries_and_headers_reach_the_app_as_sent(front):
    res = _serve(front, "GET", "/api/v1/cards/lookup", query=b"q=Palm%79ra", headers=[(b"origin", b"https://evil.example")])
    assert res["status"] == 200 and json.loads(res["body"])["card"]["id"] == "wikipedia:Palmyra"
    assert "access-control-allow-origin" not in res["headers"]
    assert res["headers"]["cache-control"] == "no-store"
    assert _serve(front, "GET", "/static/%2e%2e/app.py")["status"] == 404
    page = _serve(front, "GET", "/")
    assert page["status"] == 200 and page["headers"]["content-type"].startswith("text/html")
