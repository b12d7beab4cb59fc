"""The OpenAPI 3.1 document, generated from the pydantic models."""

from __future__ import annotations

from pydantic.json_schema import models_json_schema

from .. import __version__
from ..settings import Settings
from .. import contract as m

_REF = "#/components/schemas/{model}"
MAX_CARD_IDS = 200
MAX_LOOKUP_CHARS = 300


def _json(ref: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": _REF.format(model=ref)}}}}


def _errors(*statuses: int) -> dict:
    return {str(s): {"description": "error", **_json("ErrorResponse")} for s in statuses}


def _with_limits(schemas: dict, settings: Settings) -> dict:
    """The configured request limits, so the published contract says what this deployment accepts."""
    request, block = schemas["AnalyzeRequest"]["properties"], schemas["BlockIn"]["properties"]
    request["text"]["maxLength"] = settings.max_chars
    request["blocks"]["maxItems"] = settings.max_blocks
    block["text"]["maxLength"] = settings.max_chars
    block["id"]["maxLength"] = settings.max_block_id
    return schemas


def openapi_document(settings: Settings | None = None) -> dict:
    settings = settings or Settings()
    keyed = bool(settings.api_key)
    # With READER_CONTEXT_API_KEY set, every route but /health and this document wants X-API-Key.
    security = {"security": [{"ApiKey": []}] if keyed else [{}, {"ApiKey": []}]}
    guarded = (401, 429) if keyed else (429,)
    _, defs = models_json_schema(
        [(model, "validation" if model is m.AnalyzeRequest else "serialization") for model in (
            m.AnalyzeRequest, m.AnalyzeResponse, m.CardsResponse, m.LookupResponse, m.HealthResponse, m.ErrorResponse)],
        ref_template=_REF,
    )
    return {
        "openapi": "3.1.0",
        "info": {"title": "Reader Context API", "version": __version__,
                 "description": "Context cards for the named things in an article, and its loaded wording."},
        "paths": {
            "/api/v1/analyze": {"post": {
                "summary": "Analyse an article into entity mentions, loaded terms and cards",
                "requestBody": {"required": True, **_json("AnalyzeRequest")},
                "responses": {"200": {"description": "the analysis", **_json("AnalyzeResponse")},
                              **_errors(400, 413, 415, 503, *guarded)},
                **security,
            }},
            "/api/v1/cards": {"get": {
                "summary": "Cards by id (pending cards when they arrive)",
                "parameters": [{"name": "id", "in": "query", "required": True,
                                "schema": {"type": "array", "items": {"type": "string", "minLength": 1},
                                           "minItems": 1, "maxItems": MAX_CARD_IDS},
                                "style": "form", "explode": True}],
                # 414: a request line over gunicorn's 8,190 bytes (many long ids), answered by its worker in this format.
                "responses": {"200": {"description": "the cards found", **_json("CardsResponse")},
                              **_errors(400, 414, *guarded)},
                **security,
            }},
            "/api/v1/cards/lookup": {"get": {
                "summary": "The best card for a free-text name",
                "parameters": [{"name": "q", "in": "query", "required": True,
                                "schema": {"type": "string", "minLength": 1, "maxLength": MAX_LOOKUP_CHARS}}],
                "responses": {"200": {"description": "the card, or null", **_json("LookupResponse")},
                              **_errors(400, *guarded)},
                **security,
            }},
            "/api/v1/health": {"get": {
                "summary": "Readiness, versions and knowledge-base size",
                "responses": {"200": {"description": "health", **_json("HealthResponse")}},
            }},
            "/api/v1/openapi.json": {"get": {
                "summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1 document"}},
            }},
        },
        "components": {
            "schemas": _with_limits(defs["$defs"], settings),
            "securitySchemes": {"ApiKey": {
                "type": "apiKey", "in": "header", "name": "X-API-Key",
                "description": "Required when the server sets READER_CONTEXT_API_KEY; compared in constant time"}},
        },
    }
