"""One entity record, whichever source it came from, and the Card a reader sees of it.

`Entity` is what the store, the Wikipedia source, the caches and the linker pass around; `Card` is its
reader-facing view and part of the API contract, so this module imports nothing of the web or of spaCy.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["person", "place", "organization", "event", "work", "concept", "other"]
Source = Literal["embedded", "wikipedia", "article", "user"]
KINDS: tuple[str, ...] = ("person", "place", "organization", "event", "work", "concept", "other")

WIKIPEDIA_ATTRIBUTION = "From Wikipedia, CC BY-SA 4.0"
# The only links a card may carry: a page or a picture on the web. Anything else ("javascript:", "data:", a
# control character a browser would skip) from Wikipedia, Redis or an edited base file never reaches a page.
WEB_URL = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f]+$"
_WEB_URL = re.compile(WEB_URL)


def wikipedia_url(title: str, base: str = "https://en.wikipedia.org") -> str:
    return f"{base}/wiki/{quote(title.replace(' ', '_'), safe='()_,-.:')}"


class Card(BaseModel):
    """What a reader sees about one entity. `facts` is left out of a dump when there are none, as the
    API has always sent it."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str
    kind: Kind
    description: str | None
    summary: str | None
    url: str | None = Field(json_schema_extra={"pattern": WEB_URL})
    thumbnail: str | None = Field(json_schema_extra={"pattern": WEB_URL})
    source: Source
    attribution: str | None
    facts: dict[str, str] | None = Field(None, exclude_if=lambda facts: not facts)
    in_article: list[str] = []

    @field_validator("url", "thumbnail", mode="before")
    @classmethod
    def _web_only(cls, value: object) -> object:
        """A link that is not http(s) is dropped rather than refused: the card is still worth showing."""
        return value if not isinstance(value, str) or _WEB_URL.match(value) else None


@dataclass(frozen=True)
class AliasHit:
    """One alias row: a name that reaches an entity, where the name came from, and how strongly."""

    entity_id: str
    alias: str
    origin: str
    weight: float


@dataclass(frozen=True)
class Entity:
    """An entity with everything linking needs and the reader never sees: `context` (the longer text
    compared with the article), `common_noun` (its title is an ordinary word), its aliases as
    (alias, origin, weight), and when it was fetched (None: built in)."""

    id: str
    title: str
    kind: str
    description: str | None
    summary: str | None
    url: str | None
    source: str
    attribution: str | None
    context: str | None = None
    thumbnail: str | None = None
    facts: dict | None = None
    common_noun: bool = False
    aliases: tuple[tuple[str, str, float], ...] = ()
    fetched_at: float | None = None

    def card(self) -> Card:
        return Card(id=self.id, title=self.title, kind=self.kind, description=self.description,
                    summary=self.summary, url=self.url, thumbnail=self.thumbnail, source=self.source,
                    attribution=self.attribution, facts=dict(self.facts) if self.facts else None)

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entity:
        return cls(**{**data, "aliases": tuple(tuple(a) for a in data.get("aliases") or ())})


def card_id(title: str) -> str:
    """The id of the card of a Wikipedia title, whichever source holds it."""
    return f"wikipedia:{title}"
