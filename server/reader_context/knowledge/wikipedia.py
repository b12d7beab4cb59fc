"""The online Wikipedia source: candidate titles for a mention, and card fields for a title.

Against Wikipedia itself, wikipedia-api's `search` gives the candidates. That library offers no public
way to choose the API URL (only a language), so against any other base URL (a mirror, the tests'
stand-in) the same list=search goes out through our own httpx client. What the library lacks (one
query of up to 20 titles with every card field, and the REST summary of one title, which Wikimedia
serves from its edge caches) is always ours. Both clients share one connection pool, the timeout and
the User-Agent. Every call is short and guarded: no retries, a few in flight, and a circuit breaker
that stops asking a Wikipedia that keeps failing or that asked us to back off. Knows nothing of spaCy
or Flask.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

import httpx
import wikipediaapi

from .breaker import CircuitBreaker, retry_after_seconds
from .entity import WIKIPEDIA_ATTRIBUTION, Entity, card_id, wikipedia_url
from .kinds import classify
from .packs import W_ALT, is_common_noun, lead_aliases, summarize, title_aliases

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")

# TextExtracts answers at most 20 intro extracts per query (its exlimit), so no batch is larger.
BATCH = 20
# Characters MediaWiki never allows in a title; asking for one wastes a call on an "invalid" answer.
_INVALID_TITLE = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f]")


class WikipediaUnavailable(RuntimeError):
    """Wikipedia could not be asked, or did not answer usably; the caller serves what it already has."""


class _Malformed(ValueError):
    """A 200 answer whose body is not the JSON shape the API documents."""


class WikipediaSource:
    """Candidates and card entries from one Wikipedia, every call bounded in time and in number."""

    def __init__(
        self,
        base_url: str = "https://en.wikipedia.org",
        *,
        language: str = "en",
        user_agent: str = "ReaderContext/1.0 (reader-context: context cards for news articles)",
        timeout: float = 2.5,
        max_in_flight: int = 4,
        breaker_failures: int = 3,
        breaker_seconds: float = 30.0,
        retry_after_cap: float = 300.0,
        sentences: int = 2,
        thumbnail_px: int = 320,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.language = language
        self.timeout = timeout
        self.sentences = sentences
        self.thumbnail_px = thumbnail_px
        self.breaker = CircuitBreaker(breaker_failures, breaker_seconds, retry_after_cap)
        self._reached: bool | None = None  # what the last call that went out found; None before the first
        self._slots = threading.BoundedSemaphore(max_in_flight)
        self._local = threading.local()
        limits = httpx.Limits(max_connections=max_in_flight, max_keepalive_connections=max_in_flight)
        transport = transport or httpx.HTTPTransport(limits=limits)
        # Both clients share the transport (one connection pool), the timeout, the User-Agent and the
        # hook that reads Retry-After; wikipedia-api's own retries are off (its defaults can block ~47 s).
        common = {
            "timeout": httpx.Timeout(timeout),
            "transport": transport,
            "event_hooks": {"response": [self._note_retry_after]},
        }
        self._wiki = wikipediaapi.Wikipedia(
            user_agent=user_agent, language=language, extract_format=wikipediaapi.ExtractFormat.WIKI,
            max_retries=0, **common,
        ) if self.base_url == f"https://{language}.wikipedia.org" else None
        self._http = httpx.Client(
            headers={"User-Agent": f"{user_agent} {wikipediaapi.USER_AGENT}", "Accept": "application/json"},
            follow_redirects=True, **common,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> WikipediaSource:
        return cls(
            settings.wikipedia_url, language=settings.wikipedia_language,
            user_agent=settings.wikipedia_user_agent, timeout=settings.wikipedia_timeout,
            max_in_flight=settings.wikipedia_max_in_flight, breaker_failures=settings.wikipedia_breaker_failures,
            breaker_seconds=settings.wikipedia_breaker_seconds, retry_after_cap=settings.wikipedia_retry_after_cap,
        )

    @property
    def reachability(self) -> str:
        """What the last calls did, for /health: unknown before any, then reachable or unreachable."""
        return {None: "unknown", True: "reachable", False: "unreachable"}[self._reached]

    @property
    def available(self) -> bool:
        """False while the breaker rests: a call now would be refused without going out."""
        return self.breaker.state != "open"

    def close(self) -> None:
        self._http.close()

    # -- the three calls ---------------------------------------------------------------------------
    def search(self, name: str, limit: int = 5) -> list[str]:
        """Titles of articles a full-text search finds for `name` (list=search), best first."""

        def call() -> list[str]:
            try:
                if self._wiki is not None:
                    return [str(t) for t in self._wiki.search(name, limit=limit).pages.keys()]
                return self._search(name, limit)
            except (AttributeError, KeyError, TypeError, ValueError) as exc:
                raise _Malformed(f"search answer has an unexpected shape ({exc})") from exc

        return self._guarded(f"search {name!r}", call)

    def pages(self, titles: Iterable[str]) -> dict[str, Entity | None]:
        """Card entries for titles, redirects followed, keyed by the title as asked.

        None for a title with no article or whose article is a disambiguation page (never a card).
        Asks in batches of at most 20 titles; raises WikipediaUnavailable when a batch fails.
        """
        wanted = list(dict.fromkeys(t.strip() for t in titles if t and t.strip()))
        out: dict[str, Entity | None] = {t: None for t in wanted if _INVALID_TITLE.search(t)}
        valid = [t for t in wanted if t not in out]
        for start in range(0, len(valid), BATCH):
            batch = valid[start : start + BATCH]
            out.update(self._guarded(f"query of {len(batch)} titles", lambda b=batch: self._query(b)))
        return out

    def summary(self, title: str) -> Entity | None:
        """One title's entry from the REST summary endpoint; None when there is no such article."""
        if not title.strip() or _INVALID_TITLE.search(title):
            return None
        return self._guarded(f"summary of {title!r}", lambda: self._summary(title.strip()))

    # -- guarding ----------------------------------------------------------------------------------
    def _guarded(self, what: str, call: Callable[[], T]) -> T:
        if not self._slots.acquire(timeout=self.timeout):
            raise WikipediaUnavailable(f"{what}: too many Wikipedia calls in flight")
        try:
            if not self.breaker.allow():
                raise WikipediaUnavailable(
                    f"{what}: Wikipedia calls paused for {math.ceil(self.breaker.seconds_left())} s after failures")
            self._local.retry_after = None
            try:
                result = call()
            except (wikipediaapi.WikipediaException, httpx.HTTPError, _Malformed) as exc:
                wait = self._local.retry_after
                if wait is not None:
                    self.breaker.rest(wait)
                else:
                    self.breaker.failed()
                self._note_reached(False, _describe(exc))
                raise WikipediaUnavailable(f"{what}: {_describe(exc)}") from exc
            self.breaker.succeeded()
            self._note_reached(True)
            return result
        finally:
            self._slots.release()

    def _note_reached(self, reached: bool, why: str = "") -> None:
        """Said once per change, not per call: offline, a reader hears once why cards are fewer."""
        before, self._reached = self._reached, reached
        if not reached and before is not False:
            log.warning("Wikipedia is unreachable (%s): cards come from the embedded knowledge base until it"
                        " answers again", why)
        elif reached and before is False:
            log.warning("Wikipedia answers again")

    def _note_retry_after(self, response: httpx.Response) -> None:
        """Seen on every response of both clients; wikipedia-api drops Retry-After on a 503."""
        if response.status_code == 429:
            given = retry_after_seconds(response.headers.get("Retry-After"))
            self._local.retry_after = given if given is not None else self.breaker.rest_seconds
        elif response.status_code == 503:
            self._local.retry_after = retry_after_seconds(response.headers.get("Retry-After"))

    # -- the direct calls and what their answers mean ----------------------------------------------
    def _search(self, name: str, limit: int) -> list[str]:
        params = {"action": "query", "format": "json", "formatversion": "2", "list": "search",
                  "srsearch": name, "srlimit": str(limit), "srnamespace": "0"}
        response = self._http.get(f"{self.base_url}/w/api.php", params=params)
        response.raise_for_status()
        data = _json(response)
        return [str(hit["title"]) for hit in data["query"]["search"]]

    def _query(self, titles: Sequence[str]) -> dict[str, Entity | None]:
        params = {
            "action": "query", "format": "json", "formatversion": "2", "redirects": "1",
            "titles": "|".join(titles),
            "prop": "extracts|description|pageimages|pageprops|info",
            "exintro": "1", "explaintext": "1", "exsentences": str(self.sentences), "exlimit": str(BATCH),
            "piprop": "thumbnail", "pithumbsize": str(self.thumbnail_px), "pilimit": str(BATCH),
            "ppprop": "disambiguation", "inprop": "url",
        }
        response = self._http.get(f"{self.base_url}/w/api.php", params=params)
        response.raise_for_status()
        data = _json(response)
        query = data.get("query") if isinstance(data, dict) else None
        if not isinstance(query, dict) or not isinstance(query.get("pages", []), list):
            raise _Malformed("query answer has no query.pages list")
        # The API renames titles twice before it finds a page: normalisation ("isis" -> "Isis"),
        # then redirects (possibly a chain). Follow both to know which page each asked title got.
        renames: dict[str, str] = {}
        for step in ("normalized", "converted", "redirects"):
            for item in query.get(step) or []:
                if isinstance(item, dict) and isinstance(item.get("from"), str) and isinstance(item.get("to"), str):
                    renames[item["from"]] = item["to"]
        pages = {p["title"]: p for p in query.get("pages", [])
                 if isinstance(p, dict) and isinstance(p.get("title"), str)}
        landed: dict[str, str | None] = {}
        for title in titles:
            current, hops = title, 0
            while current in renames and hops < 10:
                current, hops = renames[current], hops + 1
            landed[title] = current if current in pages else None
        redirected: dict[str, list[str]] = {}
        for title in titles:
            target = landed[title]
            if target is not None and renames.get(title) and title != target:
                redirected.setdefault(target, []).append(title)
        entries = {t: self._page_entry(p, redirected.get(t, [])) for t, p in pages.items()}
        return {title: entries[landed[title]] if landed[title] else None for title in titles}

    def _page_entry(self, page: dict, redirects: list[str]) -> Entity | None:
        if page.get("missing") or page.get("invalid") or page.get("ns", 0) != 0:
            return None
        if "disambiguation" in (page.get("pageprops") or {}):
            return None
        thumb = page.get("thumbnail") or {}
        return self._entry(
            title=page["title"], description=page.get("description"), extract=page.get("extract") or "",
            thumbnail=thumb.get("source") if isinstance(thumb, dict) else None,
            url=page.get("canonicalurl") or page.get("fullurl"), redirects=redirects,
        )

    def _summary(self, title: str) -> Entity | None:
        path = quote(title.replace(" ", "_"), safe="")
        response = self._http.get(f"{self.base_url}/api/rest_v1/page/summary/{path}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        data = _json(response)
        if not isinstance(data, dict) or not isinstance(data.get("title"), str):
            raise _Malformed("summary answer has no title")
        if data.get("type") == "disambiguation":
            return None
        titles = data.get("titles") if isinstance(data.get("titles"), dict) else {}
        found = (titles.get("normalized") or data["title"]).replace("_", " ")
        urls = data.get("content_urls") if isinstance(data.get("content_urls"), dict) else {}
        thumb = data.get("thumbnail") if isinstance(data.get("thumbnail"), dict) else {}
        return self._entry(
            title=found, description=data.get("description"), extract=data.get("extract") or "",
            thumbnail=thumb.get("source"), url=(urls.get("desktop") or {}).get("page"),
            redirects=[title] if title != found else [],
        )

    def _entry(self, *, title: str, description: str | None, extract: str, thumbnail: str | None,
               url: str | None, redirects: list[str]) -> Entity:
        description = (description or "").strip() or None
        extract = " ".join(extract.split())
        aliases = title_aliases(title) + [(r, "redirect", W_ALT) for r in redirects] + lead_aliases(title, extract)
        return Entity(
            id=card_id(title), title=title, kind=classify(description), description=description,
            summary=summarize(extract) or None, context=f"{description or ''}. {extract}", thumbnail=thumbnail,
            url=url or wikipedia_url(title, self.base_url), source="wikipedia", attribution=WIKIPEDIA_ATTRIBUTION,
            common_noun=is_common_noun(title, extract), aliases=tuple(aliases),
        )


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise _Malformed(f"answer is not JSON ({exc})") from exc


def _describe(exc: BaseException) -> str:
    if isinstance(exc, wikipediaapi.WikiRateLimitError):
        return "rate limited (429)"
    if isinstance(exc, wikipediaapi.WikiHttpError):
        return f"HTTP {exc.status_code}"
    if isinstance(exc, httpx.HTTPStatusError):
        return f"HTTP {exc.response.status_code}"
    if isinstance(exc, (wikipediaapi.WikiHttpTimeoutError, httpx.TimeoutException)):
        return "timed out"
    if isinstance(exc, (wikipediaapi.WikiConnectionError, httpx.TransportError)):
        return "cannot connect"
    if isinstance(exc, wikipediaapi.WikiInvalidJsonError):
        return "answer is not JSON"
    return str(exc)
