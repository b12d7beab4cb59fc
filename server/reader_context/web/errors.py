"""Every error is JSON with a code and a human sentence, never an HTML page."""

from __future__ import annotations

import logging
import sqlite3

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from ..knowledge import KnowledgeError

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, **extra):
    return jsonify({"error": {"code": code, "message": message, **extra}}), status


_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large",
               415: "unsupported_media_type", 429: "rate_limited", 503: "not_ready"}


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        body, status = error_response(exc.status, exc.code, exc.message, **exc.extra)
        return body, status, exc.headers

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, "body_too_large", f"the request body is larger than {limit} bytes", limit=limit)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        code = _HTTP_CODES.get(exc.code or 500, "http_error")
        return error_response(exc.code or 500, code, exc.description or exc.name)

    @app.errorhandler(KnowledgeError)
    @app.errorhandler(sqlite3.DatabaseError)
    def _knowledge(exc: Exception):
        # The file went bad, read-only or locked under a running server: not a bug, and said as such.
        log.error("knowledge base unavailable: %s", exc)
        return error_response(503, "knowledge_unavailable",
                              "the knowledge base cannot be used right now; the server's log says why")

    @app.errorhandler(Exception)
    def _bug(exc: Exception):
        # The traceback goes to the log; the page text never does (it stays in the request).
        log.exception("unhandled error in %s", type(exc).__name__)
        return error_response(500, "internal_error", "the server hit a bug; the request was not processed")
