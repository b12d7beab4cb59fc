"""The Flask application factory."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from flask import Flask, abort, request, send_from_directory
from flask_cors import CORS

from ..pipeline import Analyzer
from ..settings import Settings, get_settings
from .api import api
from .errors import register_error_handlers
from .security import install_security

STATIC = Path(__file__).with_name("static")
# The demo page runs the extension's renderer from its one source: `renderer` links to extension/src (the wheel
# carries a copy, made by the build from that link). Only the renderer's modules are served, not the extension.
RENDERER = Path(__file__).with_name("renderer")
RENDERER_MODULES = re.compile(r"(render/[a-z]+|timing)\.js")
# The demo page runs only its own script: no inline code, no third-party origins.
DEMO_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' https: data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")


def create_app(settings: Settings | None = None, analyzer: Analyzer | None = None, *, warm: bool = True) -> Flask:
    settings = settings or get_settings()
    if not logging.getLogger().handlers:
        # Warnings (Wikipedia paused, Redis gone) with their level and source; never request bodies.
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    analyzer = analyzer or Analyzer(settings)
    app.extensions["reader_context.settings"] = settings
    app.extensions["reader_context.analyzer"] = analyzer

    CORS(app, resources={r"/api/*": {"origins": [re.compile(p) for p in settings.cors_origins]}},
         methods=["GET", "POST", "OPTIONS"], allow_headers=["Content-Type", "X-API-Key"],
         expose_headers=["Retry-After"], max_age=600)
    register_error_handlers(app)
    app.register_blueprint(api)
    install_security(app, settings)  # rate limits, the optional API key, request logs without page text

    @app.get("/")
    def demo():
        return send_from_directory(STATIC, "index.html")

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for /favicon.ico whatever the page links; an SVG answers it as well as an icon file would.
        return send_from_directory(STATIC, "favicon.svg", mimetype="image/svg+xml")

    @app.get("/static/<path:name>")
    def static_file(name: str):
        return send_from_directory(STATIC, name)

    @app.get("/renderer/<path:name>")
    def renderer_module(name: str):
        if not RENDERER_MODULES.fullmatch(name):
            abort(404)
        return send_from_directory(RENDERER, name, mimetype="text/javascript")

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = DEMO_CSP
        if request.path.startswith("/api/"):
            # Answers hold what a reader reads (names, the article's words): no shared or browser cache keeps them.
            response.headers["Cache-Control"] = "no-store"
        return response

    if warm:
        analyzer.warm_up()
    return app
