"""The schemas of what the workers share through Redis, checked on every read.

Redis is writable by whoever reaches it, so a value read back is checked before it is used: a card id that
is not a Wikipedia one, a kind or source we never write, a link that is not http(s), a time in the future
(which would keep a value fresh for ever), a field too long or unknown: each makes the value a miss, as if
Redis had not held it. Sealing (shared.py) says who wrote a value; this says it has the shape we write.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .entity import Card, Entity
from .shared import MISS

log = logging.getLogger(__name__)

# How far ahead of this machine's clock another machine's "learnt at" may be.
CLOCK_SKEW_SECONDS = 300.0


def _http_only(url: str | None) -> str | None:
    if url is not None and not url.lower().startswith(("https://", "http://")):
        raise ValueError("only http(s) links")
    return url


Link = Annotated[str | None, Field(max_length=2_000), AfterValidator(_http_only)]
CardId = Annotated[str, Field(pattern=r"^wikipedia:", max_length=400)]
Short = Annotated[str | None, Field(max_length=2_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class SharedEntity(_Strict):
    id: CardId
    title: str = Field(min_length=1, max_length=400)
    kind: Literal["person", "place", "organization", "event", "work", "concept", "other"]
    description: Short
    summary: Annotated[str | None, Field(max_length=10_000)]
    url: Link
    # Entities another worker held embedded travel too; a user's own entries never leave their base.
    source: Literal["wikipedia", "embedded"]
    attribution: Short
    context: Annotated[str | None, Field(max_length=20_000)] = None
    thumbnail: Link = None
    facts: dict[Annotated[str, Field(max_length=100)], Annotated[str, Field(max_length=500)]] | None = None
    common_noun: bool = False
    aliases: list[tuple[Annotated[str, Field(max_length=400)], Annotated[str, Field(max_length=40)], float]] = Field(
        default_factory=list, max_length=500)
    fetched_at: float | None = None


class SharedName(_Strict):
    ids: list[CardId] = Field(max_length=50)
    at: float | None


class SharedTitle(_Strict):
    entry: SharedEntity | None
    at: float | None


class SharedCard(Card):
    url: Link
    thumbnail: Link

    @classmethod
    def _web_only(cls, value: object) -> object:
        # A card drops a bad link and is still shown; a shared value carrying one was never written by us, so here
        # the link is checked (Link), not dropped, and the value is refused.
        return value


_PENDING = TypeAdapter(tuple[bool, SharedCard | None, float])


def _checked(model: Any, raw: Any, now: float) -> Any:
    if raw is MISS:
        return MISS
    try:
        value = model.model_validate(raw) if isinstance(model, type) else model.validate_python(raw)
    except ValidationError as exc:
        log.warning("ignored a value from the shared cache that does not have our shape: %s",
                    exc.errors()[0]["msg"])
        return MISS
    at = getattr(value, "at", None)
    if at is not None and at > now + CLOCK_SKEW_SECONDS:
        log.warning("ignored a value from the shared cache learnt in the future")
        return MISS
    return value


def read_name(raw: Any, now: float) -> Any:
    """(card ids, at) of a shared "name:" value, or MISS."""
    value = _checked(SharedName, raw, now)
    return MISS if value is MISS else (list(value.ids), value.at)


def read_title(raw: Any, now: float) -> Any:
    """(Entity or None, at) of a shared "title:" value, or MISS."""
    value = _checked(SharedTitle, raw, now)
    if value is MISS:
        return MISS
    entry = value.entry
    return (Entity.from_json(entry.model_dump()) if entry is not None else None), value.at


def read_pending(raw: Any, now: float) -> Any:
    """[resolved, the card's fields or None, until] of a shared pending card, or MISS."""
    value = _checked(_PENDING, raw, now)
    if value is MISS:
        return MISS
    resolved, card, until = value
    return resolved, card.model_dump() if card is not None else None, until
