"""Request and response models of API v1; the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator


def _valid_unicode(value: str) -> str:
    """Text must be Unicode a UTF-8 response can carry: a lone surrogate (JSON "\\ud800" without its pair)
    is refused with its position, since it could not be echoed back in a mark."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"contains a lone surrogate (U+{ord(value[exc.start]):04X}) at character {exc.start},"
                         " which is not valid Unicode; replace it, e.g. with U+FFFD") from None
    return value


Text = Annotated[str, AfterValidator(_valid_unicode)]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BlockIn(_Model):
    id: Text = Field(min_length=1, description="The block's id, echoed in every mark of the response; unique"
                     " within a request")
    text: Text = Field(description="The block's text; offsets in the response are code points into it")


class AnalyzeRequest(_Model):
    # Exactly one of `text` and `blocks`; an explicit null counts as a wrong type, not as absent.
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "oneOf": [{"required": ["text"]}, {"required": ["blocks"]}],
        "description": "Exactly one of `text` or `blocks`. Limits not expressible here: block ids are unique"
                       " (400 duplicate_block_id) and all texts together hold at most the character limit"
                       " (413 text_too_long).",
    })

    text: Text = Field(None, description="The article as one block (id \"0\")", json_schema_extra=_no_default)
    blocks: list[BlockIn] = Field(None, description="The article as paragraph-like blocks",
                                  json_schema_extra=_no_default)
    url: Text | None = Field(None, max_length=4096, description="The page's address (never logged)")
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
