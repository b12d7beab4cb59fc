"""The /api/v1 blueprint: validation and limits at the edge, everything else in the Analyzer."""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, request
from pydantic import ValidationError
from werkzeug.exceptions import RequestEntityTooLarge

from .. import __version__
from ..pipeline import Analyzer, Block
from ..settings import Settings
from .errors import ApiError
from .work_limit import charge_characters
from ..contract import AnalyzeRequest, CardsResponse, HealthResponse, LookupResponse
from .openapi import MAX_CARD_IDS, MAX_LOOKUP_CHARS, openapi_document

api = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _analyzer() -> Analyzer:
    return current_app.extensions["reader_context.analyzer"]


def _settings() -> Settings:
    return current_app.extensions["reader_context.settings"]


def _field(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "body"


def parse_analyze_request(settings: Settings) -> tuple[AnalyzeRequest, list[Block]]:
    if not request.is_json:
        raise ApiError(415, "unsupported_media_type", "send the article as JSON with Content-Type: application/json")
    raw = _body(settings.max_body_bytes)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"the request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON: nested too deeply") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid_request", "the request body must be a JSON object", field="body")
    try:
        req = AnalyzeRequest.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _field(first["loc"])
        raise ApiError(400, "invalid_request", f"field '{where}': {first['msg']}", field=where) from None

    blocks = [Block("0", req.text)] if req.text is not None else [Block(b.id, b.text, b.kind) for b in req.blocks or []]
    if len(blocks) > settings.max_blocks:
        raise ApiError(413, "too_many_blocks", f"at most {settings.max_blocks} blocks per request",
                       limit=settings.max_blocks, field="blocks")
    seen = set()
    for i, b in enumerate(blocks):
        if len(b.id) > settings.max_block_id:
            raise ApiError(400, "block_id_too_long", f"field 'blocks.{i}.id': longer than {settings.max_block_id} characters",
                           limit=settings.max_block_id, field=f"blocks.{i}.id")
        if b.id in seen:
            raise ApiError(400, "duplicate_block_id", f"field 'blocks.{i}.id': {b.id!r} is used twice", field=f"blocks.{i}.id")
        seen.add(b.id)
    total = sum(len(b.text) for b in blocks)
    if total > settings.max_chars:
        raise ApiError(413, "text_too_long", f"the text has {total} characters; the limit is {settings.max_chars}",
                       limit=settings.max_chars, field="text" if req.text is not None else "blocks")
    return req, blocks


def _body(limit: int) -> bytes:
    if request.content_length is None and request.environ.get("wsgi.input_terminated"):
        # A chunked body has no length to refuse up front, and werkzeug would cut it at the limit and hand on
        # the part as if it were whole: read one byte past the limit to know.
        raw = request.input_stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestEntityTooLarge()
        return raw
    return request.get_data(cache=False)  # a declared length over the limit is refused before any read


@api.post("/analyze")
def analyze():
    settings = _settings()
    req, blocks = parse_analyze_request(settings)
    charge_characters(sum(len(b.text) for b in blocks))
    result = _analyzer().analyze(blocks, features=tuple(req.features), online=req.online or settings.online)
    return _json(result)


def _json(model) -> Response:
    # pydantic writes the JSON itself (in Rust): the response is exactly the declared model, fast.
    return Response(model.model_dump_json(), mimetype="application/json")


def _only_query(*names: str) -> None:
    """Unknown query parameters are refused, as unknown body fields are: a typo should not pass silently."""
    for name in request.args:
        if name not in names:
            raise ApiError(400, "invalid_request", f"unknown query parameter {name!r}", field=name)


@api.get("/cards")
def cards():
    _only_query("id")
    ids = request.args.getlist("id")
    if not ids:
        raise ApiError(400, "invalid_request", "give one or more card ids as ?id=...", field="id")
    if not all(ids):
        raise ApiError(400, "invalid_request", "field 'id': a card id is empty", field="id")
    if len(ids) > MAX_CARD_IDS:
        raise ApiError(400, "invalid_request", f"at most {MAX_CARD_IDS} ids per request", field="id")
    found, pending = _analyzer().cards(ids)
    return _json(CardsResponse(cards=found, pending=pending))


@api.get("/cards/lookup")
def lookup():
    _only_query("q")
    raw = request.args.get("q") or ""
    if not raw or len(raw) > MAX_LOOKUP_CHARS:
        raise ApiError(400, "invalid_request", f"give a name of 1 to {MAX_LOOKUP_CHARS} characters as ?q=...", field="q")
    q = raw.strip()
    card = _analyzer().lookup(q) if q else None  # only spaces: no name, no card
    return _json(LookupResponse(card=card))


@api.get("/health")
def health():
    settings, analyzer = _settings(), _analyzer()
    stats = analyzer.store.stats()
    wikipedia = analyzer.online.status()["wikipedia"] if analyzer.ready else "unknown"
    return _json(HealthResponse(
        status="ok" if analyzer.ready else "loading",
        version=__version__,
        model=settings.spacy_model,
        knowledge={"entities": stats["entities"], "sources": stats["sources"]},
        online={"enabled": settings.online != "never", "wikipedia": wikipedia,
                "reachable": {"reachable": True, "unreachable": False}.get(wikipedia)},
    ))


@api.get("/openapi.json")
def openapi():
    return Response(json.dumps(openapi_document(_settings()), ensure_ascii=False), mimetype="application/json")
