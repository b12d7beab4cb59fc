"""Rate limits that weigh /analyze by its characters. Counting requests let ten 100,000-character articles a minute
starve other readers' 2 ms lookups; a budget of characters per client holds back a client sending large articles
while small requests, its own and others', go on."""

from __future__ import annotations

import logging
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse_many

from .errors import ApiError

CHARACTER_LIMIT = "reader_context.character_limit"
log = logging.getLogger(__name__)


def install_character_limit(app: Flask, limiter: Limiter, limits: str) -> None:
    """Count in the limiter's own storage: per worker, or for the deployment in Redis, with its in-memory fallback."""
    budgets = parse_many(limits)

    def charge(characters: int) -> None:
        if not limiter.enabled:
            return
        key = ("reader-context", "characters", get_remote_address())
        try:
            strategy = limiter.limiter  # the in-memory fallback while Redis is away
            for budget in budgets:
                if not strategy.hit(budget, *key, cost=max(characters, 1)):
                    reset, _ = strategy.get_window_stats(budget, *key)
                    raise ApiError(429, "rate_limited", f"too many characters of text from this client (at most"
                                   f" {budget}); retry later", limit=str(budget),
                                   headers={"Retry-After": str(max(1, int(reset - time.time())))})
        except ApiError:
            raise
        except Exception:  # noqa: BLE001  a store that fails never fails a request, as for the request counts
            log.warning("the character limit could not be counted", exc_info=True)

    app.extensions[CHARACTER_LIMIT] = charge


def charge_characters(characters: int) -> None:
    """Count an article's characters against its client's budget before any work is done on it; 429 beyond."""
    charge = current_app.extensions.get(CHARACTER_LIMIT)
    if charge is not None:
        charge(characters)
