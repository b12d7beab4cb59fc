"""Web: the Flask app factory, the /api/v1 blueprint, request/response models and the demo page."""

from .app import create_app

__all__ = ["create_app"]
