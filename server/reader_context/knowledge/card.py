"""The Card: what a reader sees about one entity, whichever source it came from."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Kind = Literal["person", "place", "organization", "event", "work", "concept", "other"]
Source = Literal["embedded", "wikipedia", "article", "user"]
KINDS: tuple[str, ...] = ("person", "place", "organization", "event", "work", "concept", "other")

WIKIPEDIA_ATTRIBUTION = "From Wikipedia, CC BY-SA 4.0"


@dataclass
class Card:
    id: str
    title: str
    kind: str
    description: str | None
    summary: str | None
    url: str | None
    source: str
    attribution: str | None
    thumbnail: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    in_article: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        if not data["facts"]:
            del data["facts"]
        return data


def wikipedia_url(title: str, base: str = "https://en.wikipedia.org") -> str:
    from urllib.parse import quote

    return f"{base}/wiki/{quote(title.replace(' ', '_'), safe='()_,-.:')}"
