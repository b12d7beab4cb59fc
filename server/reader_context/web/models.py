"""Request and response models of API v1; the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BlockIn(_Model):
    id: str = Field(min_length=1, description="The block's id, echoed in every mark of the response")
    text: str = Field(description="The block's text; offsets in the response are code points into it")


class AnalyzeRequest(_Model):
    text: str | None = Field(None, description="The article as one block (id \"0\")")
    blocks: list[BlockIn] | None = Field(None, description="The article as paragraph-like blocks")
    url: str | None = Field(None, max_length=4096, description="The page's address (never logged)")
    lang: Literal["en"] = "en"
    features: list[Literal["entities", "terms"]] = Field(default_factory=lambda: ["entities", "terms"])
    online: Literal["never", "auto", "always"] | None = None

    @model_validator(mode="after")
    def _one_input(self) -> AnalyzeRequest:
        if (self.text is None) == (self.blocks is None):
            raise ValueError("give exactly one of 'text' or 'blocks'")
        return self


class Mention(_Model):
    block: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    label: str | None
    card: str | None
    confidence: float | None
    pending: str | None = Field(None, description="Id to fetch from GET /cards when Wikipedia answers late")


class Attribution(_Model):
    quote: bool
    speaker: str | None


class Term(BaseModel):
    model_config = ConfigDict(extra="allow")

    block: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str
    lemma: str
    category: str
    severity: int = Field(ge=1, le=3)
    why: str
    alternatives: list[str]
    attributed: Attribution | None


class Card(_Model):
    id: str
    title: str
    kind: Literal["person", "place", "organization", "event", "work", "concept", "other"]
    description: str | None
    summary: str | None
    url: str | None
    thumbnail: str | None
    source: Literal["embedded", "wikipedia", "article", "user"]
    attribution: str | None
    facts: dict[str, str] | None = None
    in_article: list[str] = []


class Stats(BaseModel):
    model_config = ConfigDict(extra="allow")

    words: int
    terms_per_1000_words: float
    elapsed_ms: float


class AnalyzeResponse(_Model):
    mentions: list[Mention]
    terms: list[Term]
    cards: dict[str, Card]
    pending: list[str]
    stats: Stats
    version: str


class CardsResponse(_Model):
    cards: dict[str, Card]
    pending: list[str]


class LookupResponse(_Model):
    card: Card | None


class KnowledgeHealth(_Model):
    entities: int
    sources: list[str]


class OnlineHealth(_Model):
    enabled: bool
    reachable: bool | None


class HealthResponse(_Model):
    status: Literal["ok", "loading"]
    version: str
    model: str
    knowledge: KnowledgeHealth
    online: OnlineHealth


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="allow")

    code: str
    message: str


class ErrorResponse(_Model):
    error: ErrorBody
