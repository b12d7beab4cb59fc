"""What a public deployment needs at the door: an optional API key, rate limits per client, and request
logs that never hold page text. CORS and the demo page's headers live in app.py; SECURITY.md says what is
and is not protected."""

from __future__ import annotations

import hmac
import logging
import re
import time

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

from ..settings import Settings
from .errors import ApiError, error_response
from .work_limit import install_character_limit

API_KEY_HEADER = "X-API-Key"
# Routes anyone may call even when a key is set: a load balancer's health probe and the contract.
OPEN_ENDPOINTS = frozenset({"api_v1.health", "api_v1.openapi"})
# Routes that cost work per request, and so are limited per client.
ANALYZE_ENDPOINT = "api_v1.analyze"
LIMITED_ENDPOINTS = frozenset({ANALYZE_ENDPOINT, "api_v1.cards", "api_v1.lookup"})
ROUTE_KEY = "reader_context.route"

request_log = logging.getLogger("reader_context.requests")
security_log = logging.getLogger(__name__)


def install_security(app: Flask, settings: Settings) -> Limiter:
    """Wire the proxy fix, rate limits, the API key and the request log into `app`, in that order."""
    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)  # type: ignore[method-assign]
    elif settings.rate_limit_enabled is not False:
        _warn_of_an_unconfigured_proxy(app)
    if settings.request_log:
        _install_request_log(app)  # first, so a request the limiter refuses is logged under its route too
    limiter = _install_rate_limits(app, settings)
    if settings.api_key:
        _install_api_key(app, settings.api_key)
    _drop_query_from_dev_server_log()
    return limiter


# -- rate limits --------------------------------------------------------------------------------


def _install_rate_limits(app: Flask, settings: Settings) -> Limiter:
    storage = {"storage_uri": "memory://"}
    if settings.redis_url:
        # Shared by every worker and instance; when Redis goes away each process falls back to its own
        # memory (and back to Redis when it returns), so a dead Redis never fails a request.
        storage = {"storage_uri": settings.redis_url,
                   "storage_options": {"socket_timeout": settings.redis_timeout,
                                       "socket_connect_timeout": settings.redis_timeout}}
    def _limit() -> str:  # each route counts on its own; /analyze, the costly one, has its own limit
        return settings.rate_limit_analyze if request.endpoint == ANALYZE_ENDPOINT else settings.rate_limit_default

    # In memory, each gunicorn worker counts on its own: the headers say so rather than promise a deployment-wide limit.
    scope = "deployment" if settings.redis_url else "worker"

    @app.after_request  # registered before the limiter's own, so it runs after it and sees its headers
    def _limit_headers(response):
        if "X-RateLimit-Limit" in response.headers:
            response.headers["X-RateLimit-Scope"] = scope
            if response.status_code != 429:
                response.headers.pop("Retry-After", None)  # only a refusal tells a client to come back later
        return response

    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[_limit],
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
        key_prefix="reader-context",
        enabled=settings.rate_limit_enabled is not False,  # unset is on: a deployment is limited unless it says
        **storage,
    )

    @limiter.request_filter
    def _not_limited() -> bool:
        return request.method == "OPTIONS" or request.endpoint not in LIMITED_ENDPOINTS

    app.extensions["reader_context.limiter"] = limiter  # the limiter's hooks hold it only weakly
    install_character_limit(app, limiter, settings.rate_limit_characters)

    @app.errorhandler(RateLimitExceeded)
    def _rate_limited(exc: RateLimitExceeded):
        limit = str(exc.limit.limit) if getattr(exc, "limit", None) else exc.description
        body, status = error_response(429, "rate_limited",
                                      f"too many requests from this client (at most {limit}); retry later",
                                      limit=limit)
        return body, status

    return limiter


def _warn_of_an_unconfigured_proxy(app: Flask) -> None:
    """Behind a proxy that nobody declared, every reader has the proxy's address and all share one limit; the
    header is not trusted (anyone can send it), only noticed, once."""
    warned = []

    @app.before_request
    def _forwarded_but_not_trusted():
        if not warned and "X-Forwarded-For" in request.headers:
            warned.append(True)
            security_log.warning("requests come through a proxy (X-Forwarded-For) but READER_CONTEXT_PROXY_HOPS is 0:"
                                 " rate limits count every client behind it as one; set it to the number of proxies")


# -- the API key --------------------------------------------------------------------------------


def _install_api_key(app: Flask, key: str) -> None:
    expected = key.encode("utf-8")

    @app.before_request
    def _require_key():
        if request.method == "OPTIONS" or not request.path.startswith("/api/"):
            return None  # CORS preflights carry no custom headers; the demo page and its files are public
        if request.endpoint in OPEN_ENDPOINTS:
            return None
        given = request.headers.get(API_KEY_HEADER)
        if not given:
            raise ApiError(401, "api_key_required", f"this server wants its API key in the {API_KEY_HEADER} header")
        # Constant time whatever the length or content of the guess.
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
            raise ApiError(401, "api_key_invalid", f"the {API_KEY_HEADER} header does not hold this server's API key")
        return None


# -- request logs -------------------------------------------------------------------------------


def _install_request_log(app: Flask) -> None:
    """One line per request: method, route, status, duration, bytes in and out. The route is the matched
    rule (`/api/v1/analyze`, `/static/<path:name>`), never the raw path or the query string, which may hold
    a name the reader selected; the body and the page's URL are never read here."""
    if request_log.level == logging.NOTSET:
        request_log.setLevel(logging.INFO)

    @app.before_request
    def _remember_route():
        request.environ[ROUTE_KEY] = request.url_rule.rule if request.url_rule else "<unmatched>"

    app.wsgi_app = _RequestLog(app.wsgi_app)  # type: ignore[method-assign]


class _RequestLog:
    """WSGI middleware, so requests refused before Flask sees them (a body too large) are logged too."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        status = ["-"]

        def _start(code, headers, exc_info=None):
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info)

        def done(sent: int) -> None:
            request_log.info(
                "%s %s %s %.1fms in=%sB out=%dB",
                environ.get("REQUEST_METHOD", "-"), environ.get(ROUTE_KEY, "<unmatched>"), status[0],
                (time.perf_counter() - started) * 1000, environ.get("CONTENT_LENGTH") or 0, sent,
            )

        return _Counted(self.wsgi_app(environ, _start), done)


class _Counted:
    """The response body, counted as it goes out; the line is logged once, at its end or its close."""

    def __init__(self, body, done):
        self.body, self.done, self.sent, self.logged = body, done, 0, False

    def __iter__(self):
        for chunk in self.body:
            self.sent += len(chunk)
            yield chunk
        self._log()

    def _log(self) -> None:
        if not self.logged:
            self.logged = True
            self.done(self.sent)

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        finally:
            self._log()


_QUERY = re.compile(r"\?\S*")


class _NoQueryString(logging.Filter):
    """The development server logs each request line; keep its path and drop the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        # werkzeug logs '"%s" %s %s' with the request line ("GET /path?query HTTP/1.1") as the first argument.
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str) and "?" in record.args[0]:
            record.args = (_QUERY.sub("", record.args[0]),) + record.args[1:]
        return True


def _drop_query_from_dev_server_log() -> None:
    logger = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoQueryString) for f in logger.filters):
        logger.addFilter(_NoQueryString())
