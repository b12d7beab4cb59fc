"""Online knowledge: Wikipedia entries behind layered caches, so each title is asked for about once.

Nearest layer first: an in-process TLRU cache (bounded); the SQLite knowledge base itself, written
through with source "wikipedia" and fetched_at, so the base grows and answers offline later (an old
entry is fetched again, but still served while Wikipedia is down); and, when a Redis URL is set, a
cache shared by several workers, with a short lock per name and per title so that two workers make
one Wikipedia call between them. "No such article" is remembered in every layer too, for less time.
Entries the base already holds from another source (embedded, user) are served and never replaced.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import redis
from cachetools import TLRUCache
from redis.backoff import NoBackoff
from redis.exceptions import LockError, RedisError
from redis.lock import Lock
from redis.retry import Retry

from .store import Entry, KnowledgeError, KnowledgeStore
from .wikipedia import BATCH, WikipediaSource, WikipediaUnavailable, card_id

if TYPE_CHECKING:
    from ..settings import Settings

log = logging.getLogger(__name__)

Known = tuple[Entry | None, float | None]  # what a title stands for (None: no article), and since when
_MISS: Any = object()  # "this layer does not know", as distinct from a remembered None (no article)
_PREFIX = "wikipedia:"


def ensure_tables(store: KnowledgeStore) -> None:
    """The online tables are part of the store's schema; a base built before they were gains them here.
    A base we may not write keeps what it has: lookups then work from memory, Redis and Wikipedia."""
    if getattr(store, "read_only", False):
        return
    try:
        store.create_schema()
    except KnowledgeError as exc:
        log.warning("the knowledge base cannot keep Wikipedia cards: %s", exc)


# -- the SQLite layer ----------------------------------------------------------------------------


def stored_entries(store: KnowledgeStore, ids: Iterable[str]) -> dict[str, tuple[Entry, float | None]]:
    """Entries the base holds, whatever their source, with when they were fetched (None: built in)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    conn = store.connection()
    marks = ",".join("?" * len(ids))
    aliases: dict[str, list[tuple[str, str, float]]] = {}
    for entity_id, alias, origin, weight in conn.execute(
        f"SELECT entity_id, alias, origin, weight FROM aliases WHERE entity_id IN ({marks})", ids
    ):
        aliases.setdefault(entity_id, []).append((alias, origin, weight))
    out = {}
    for row in conn.execute(
        "SELECT id, title, kind, description, summary, url, source, attribution, context, thumbnail, facts,"
        f" common_noun, fetched_at FROM entities WHERE id IN ({marks})", ids
    ):
        entry = Entry(
            id=row[0], title=row[1], kind=row[2], description=row[3], summary=row[4], url=row[5], source=row[6],
            attribution=row[7], context=row[8], thumbnail=row[9], facts=json.loads(row[10]) if row[10] else None,
            common_noun=bool(row[11]), aliases=tuple(aliases.get(row[0], ())),
        )
        out[row[0]] = (entry, row[12])
    return out


def stored_title(store: KnowledgeStore, title: str) -> Known | None:
    """What the base says about an asked title: its entry, the entry it redirects to, or "no article"
    (None, when), with the time it was learnt; None when the base has never heard of it."""
    found = stored_entries(store, [card_id(title)])
    if found:
        return found[card_id(title)]
    conn = store.connection()
    row = conn.execute(
        "SELECT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id"
        " WHERE a.alias = ? AND a.origin = 'redirect' AND e.source = 'wikipedia' LIMIT 1", (title,)
    ).fetchone()
    if row:
        return stored_entries(store, [row[0]]).get(row[0])
    row = conn.execute("SELECT fetched_at FROM wikipedia_missing WHERE id = ?", (card_id(title),)).fetchone()
    return (None, row[0]) if row else None


def is_fresh(stored: Known, now: float, refresh: float, negative: float) -> bool:
    entry, at = stored
    if entry is not None and entry.source != "wikipedia":
        return True  # built in or the user's: never fetched again
    return at is not None and now - at < (refresh if entry else negative)


def persist(store: KnowledgeStore, found: dict[str, Entry | None], fetched_at: float) -> dict[str, Entry | None]:
    """Write fetched titles through to the base; returns what each title now stands for there.

    An id the base holds from another source keeps that entry (an embedded card is curated; a
    Wikipedia answer must not replace it by accident). Redirect names learnt earlier are kept.
    """
    entries = {e.id: e for e in found.values() if e is not None}
    missing = [card_id(t) for t, e in found.items() if e is None]
    with store.write() as conn:
        held = dict(conn.execute(
            f"SELECT id, source FROM entities WHERE id IN ({','.join('?' * len(entries))})", list(entries)
        )) if entries else {}
        writes = []
        for entry in entries.values():
            if entry.source != "wikipedia" or held.get(entry.id, "wikipedia") != "wikipedia":
                continue  # held here from another source, or another worker's embedded entry
            if entry.id in held:
                learnt = tuple(conn.execute(
                    "SELECT alias, origin, weight FROM aliases WHERE entity_id = ? AND origin = 'redirect'",
                    (entry.id,)))
                entry = dataclasses.replace(entry, aliases=entry.aliases + learnt)
            writes.append(entry)
        store.put(conn, writes, fetched_at=fetched_at)
        # An article deleted, or turned into a disambiguation page, since we stored it.
        gone = [(i,) for (i,) in conn.execute(
            f"SELECT id FROM entities WHERE source = 'wikipedia' AND id IN ({','.join('?' * len(missing))})", missing)]
        for table, column in (("entities_fts", "entity_id"), ("aliases", "entity_id"), ("entities", "id")):
            conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
        conn.executemany("INSERT OR REPLACE INTO wikipedia_missing(id, fetched_at) VALUES (?, ?)",
                         [(i, fetched_at) for i in missing])
        conn.executemany("DELETE FROM wikipedia_missing WHERE id = ?", [(e.id,) for e in writes])
    kept = stored_entries(store, [i for i, source in held.items() if source != "wikipedia"])
    return {t: (kept[e.id][0] if e is not None and e.id in kept else e) for t, e in found.items()}


def _entry_json(entry: Entry | None) -> dict | None:
    return dataclasses.asdict(entry) if entry is not None else None


def _entry_from_json(data: dict | None) -> Entry | None:
    if data is None:
        return None
    return Entry(**{**data, "aliases": tuple(tuple(a) for a in data.get("aliases") or ())})


# -- the Redis layer -----------------------------------------------------------------------------


class Claim(NamedTuple):
    go: bool  # this worker makes the call
    lock: Lock | None  # held while it does; None when Redis cannot coordinate


class SharedCache:
    """Redis shared by the workers. A failure degrades to the in-process layers with one warning, and
    Redis is tried again every `retry_seconds` until it answers (then one info line)."""

    def __init__(self, url: str, *, timeout: float, prefix: str, retry_seconds: float = 5.0):
        self.url = url
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        # No retries and short sockets: a slow Redis must cost a request less than no Redis at all.
        self._redis = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=Retry(NoBackoff(), 0),
            decode_responses=True,
        )
        self._lock = threading.Lock()
        self._down = False
        self._retry_at = 0.0

    @property
    def reachable(self) -> bool:
        return not self._down

    def _call(self, fn: Callable[[redis.Redis], Any], default: Any) -> Any:
        if self._down and time.monotonic() < self._retry_at:
            return default
        try:
            value = fn(self._redis)
        except RedisError as exc:
            with self._lock:
                self._retry_at = time.monotonic() + self.retry_seconds
                if not self._down:
                    self._down = True
                    log.warning("shared cache at %s is unavailable (%s); using this process's caches until it returns",
                                self.url, exc)
            return default
        if self._down:
            with self._lock:
                if self._down:
                    self._down = False
                    log.info("shared cache at %s is reachable again", self.url)
        return value

    def get(self, key: str) -> Any:
        raw = self._call(lambda r: r.get(self.prefix + key), None)
        return _MISS if raw is None else json.loads(raw)

    def set(self, key: str, value: Any, seconds: float, *, only_new: bool = False) -> None:
        self._call(lambda r: r.set(self.prefix + key, json.dumps(value), ex=max(1, int(seconds)), nx=only_new), None)

    def claim(self, key: str, seconds: float) -> Claim:
        lock = self._redis.lock(self.prefix + "lock:" + key, timeout=seconds, blocking=False)
        got = self._call(lambda r: lock.acquire(), None)
        if got is None:
            return Claim(True, None)
        return Claim(bool(got), lock if got else None)

    def release(self, claim: Claim) -> None:
        if claim.lock is None:
            return

        def unlock(_r: redis.Redis) -> None:
            try:
                claim.lock.release()
            except LockError:
                pass  # it expired: our calls outlasted it, and another worker may hold it by now

        self._call(unlock, None)

    def wait(self, key: str, seconds: float) -> Any:
        """The value another worker is fetching, once it is stored; _MISS if it gives up or times out."""
        until = time.monotonic() + seconds
        while time.monotonic() < until and not self._down:
            value = self.get(key)
            if value is not _MISS:
                return value
            if not self._call(lambda r: r.exists(self.prefix + "lock:" + key), 0):
                return self.get(key)
            time.sleep(0.05)
        return _MISS


# -- the whole ---------------------------------------------------------------------------------


class OnlineKnowledge:
    """Wikipedia entries for mention names and card ids, from the nearest layer that knows them.

    `lookup(name)` gives candidate entries for a name, best first; `get(ids)` gives entries by card id.
    Both answer from what the layers hold when Wikipedia is down (`network=False` never asks it).
    """

    def __init__(self, store: KnowledgeStore, source: WikipediaSource, settings: Settings, redis_url: str | None = None,
                 *, redis_retry_seconds: float = 5.0, search_limit: int = 5):
        ensure_tables(store)
        self.store = store
        self.source = source
        self.search_limit = search_limit
        self.refresh_seconds = settings.online_refresh_days * 86_400
        self.negative_seconds = settings.online_negative_seconds
        memory_seconds = settings.online_memory_seconds
        negative_memory = min(memory_seconds, self.negative_seconds)

        def name_expires(_key, ids, now):
            return now + (memory_seconds if ids else negative_memory)

        def title_expires(_key, known, now):
            return now + (memory_seconds if known[0] is not None else negative_memory)

        self._names: TLRUCache = TLRUCache(settings.online_memory_size, ttu=name_expires)
        self._titles: TLRUCache = TLRUCache(settings.online_memory_size, ttu=title_expires)
        self._memory_lock = threading.Lock()
        self._store_warned = False
        url = redis_url or settings.redis_url
        self.shared = SharedCache(
            url, timeout=settings.redis_timeout, prefix=f"reader-context:wikipedia:{source.language}:",
            retry_seconds=redis_retry_seconds,
        ) if url else None
        # One worker's claim must outlast its calls (search, then one batch), or a second one starts.
        self._claim_seconds = 3 * source.timeout + 1

    @classmethod
    def from_settings(cls, store: KnowledgeStore, settings: Settings) -> OnlineKnowledge:
        return cls(store, WikipediaSource.from_settings(settings), settings)

    def status(self) -> dict:
        return {
            "reachable": self.source.available,
            "shared_cache": None if self.shared is None else self.shared.reachable,
        }

    # -- public ----------------------------------------------------------------------------------
    def lookup(self, name: str, *, network: bool = True) -> list[Entry]:
        """Candidate entries for a mention name, best first ([] when Wikipedia has no article for it).

        Raises WikipediaUnavailable when no layer knows the name and Wikipedia cannot be asked
        (failing, resting after failures, or `network=False`): the answer is then "not yet", not "none".
        """
        key = " ".join(name.split())
        if not key:
            return []
        ids = self._name_ids(key, network)
        entries = self.get(ids, network=network)
        out: dict[str, Entry] = {}
        for i in ids:
            entry = entries.get(i)
            if entry is not None:
                out.setdefault(entry.id, entry)
        return list(out.values())

    def get(self, ids: Iterable[str], *, network: bool = True) -> dict[str, Entry | None]:
        """Entries by card id: None for an id with no article (or a disambiguation page); an id is
        absent when no layer knows it and Wikipedia could not be asked now (the card is pending)."""
        out: dict[str, Entry | None] = {}
        titles = []
        for i in dict.fromkeys(ids):
            if i.startswith(_PREFIX):
                titles.append(i[len(_PREFIX):])
            else:  # user: and article: ids are only ever in the base
                found = stored_entries(self.store, [i])
                out[i] = found[i][0] if found else None
        known = self._titles_for(titles, network, canonical=True)
        out.update({card_id(t): entry for t, (entry, _at) in known.items()})
        return out

    # -- names -----------------------------------------------------------------------------------
    def _name_ids(self, key: str, network: bool) -> list[str]:
        with self._memory_lock:
            ids = self._names.get(key, _MISS)
        if ids is not _MISS:
            return list(ids)
        row = self.store.connection().execute(
            "SELECT ids, fetched_at FROM wikipedia_names WHERE name = ?", (key,)).fetchone()
        stored = json.loads(row[0]) if row else None
        if row and time.time() - row[1] < (self.refresh_seconds if stored else self.negative_seconds):
            self._remember_name(key, stored)
            return stored
        shared = self.shared.get("name:" + key) if self.shared else _MISS
        if shared is not _MISS:
            self._store_name(key, shared["ids"], shared["at"], share=False)
            return shared["ids"]
        if network:
            try:
                return self._search(key)
            except WikipediaUnavailable:
                if stored is None:
                    raise
        elif stored is None:
            raise WikipediaUnavailable(f"{key!r} is not cached and the network was not to be used")
        return stored  # old, but better than nothing while Wikipedia is down

    def _search(self, key: str) -> list[str]:
        with self._single_flight("name:" + key) as shared:
            if shared is not _MISS:
                self._store_name(key, shared["ids"], shared["at"], share=False)
                return shared["ids"]
            asked = list(dict.fromkeys([key, *self.source.search(key, self.search_limit)]))
            found = self._titles_for(asked, network=True)
            if any(t not in found for t in asked):
                raise WikipediaUnavailable(f"could not fetch every candidate of {key!r}")
            ids = list(dict.fromkeys(e.id for t in asked if (e := found[t][0]) is not None))
            # A worker that reads this answer from Redis must find its entries there too, including
            # those this worker had in its own base and so did not fetch.
            self._share_titles(found, only_new=True)
            self._store_name(key, ids, time.time(), share=True)
            return ids

    def _store_failed(self, exc: Exception) -> None:
        if not self._store_warned:
            self._store_warned = True
            log.warning("Wikipedia cards are kept in memory only: %s", exc)

    def _store_name(self, key: str, ids: list[str], at: float, *, share: bool) -> None:
        try:
            with self.store.write() as conn:
                conn.execute("INSERT OR REPLACE INTO wikipedia_names(name, ids, fetched_at) VALUES (?, ?, ?)",
                             (key, json.dumps(ids), at))
        except KnowledgeError as exc:
            self._store_failed(exc)
        if share and self.shared:
            self.shared.set("name:" + key, {"ids": ids, "at": at},
                            self.refresh_seconds if ids else self.negative_seconds)
        self._remember_name(key, ids)

    def _remember_name(self, key: str, ids: list[str]) -> None:
        with self._memory_lock:
            self._names[key] = tuple(ids)

    # -- titles ----------------------------------------------------------------------------------
    def _titles_for(self, titles: list[str], network: bool, *, canonical: bool = False) -> dict[str, Known]:
        """What each asked title stands for, and since when, from the nearest layer that knows it;
        absent when nobody knows now. `canonical` says the titles are card ids' (no redirects)."""
        out: dict[str, Known] = {}
        old: dict[str, Known] = {}
        unknown = []
        now = time.time()
        for title in dict.fromkeys(titles):
            with self._memory_lock:
                value = self._titles.get(title, _MISS)
            if value is not _MISS:
                out[title] = value
                continue
            stored = stored_title(self.store, title)
            if stored is not None and self._fresh(stored, now):
                out[title] = stored
                self._remember_title(title, stored)
                continue
            if stored is not None and stored[0] is not None:
                old[title] = stored
            unknown.append(title)
        if unknown and self.shared:
            from_shared = {}
            for title in unknown:
                value = self.shared.get("title:" + title)
                if value is not _MISS:
                    from_shared[title] = value
            out.update(self._keep(from_shared, share=False))
            unknown = [t for t in unknown if t not in from_shared]
        if unknown and network:
            try:
                out.update(self._fetch(unknown, canonical))
            except WikipediaUnavailable as exc:
                log.info("serving cached knowledge: %s", exc)
        for title, known in old.items():
            out.setdefault(title, known)
        return out

    def _fetch(self, titles: list[str], canonical: bool) -> dict[str, Known]:
        """Ask Wikipedia for titles no layer holds, one worker per title, and write every layer."""
        claims = {t: self.shared.claim("title:" + t, self._claim_seconds) for t in titles} if self.shared else {}
        out: dict[str, Known] = {}
        try:
            mine = [t for t in titles if t not in claims or claims[t].go]
            if self.shared:
                # Another worker may have stored a title between our look and our claim.
                done = {t: v for t in mine if (v := self.shared.get("title:" + t)) is not _MISS}
                out.update(self._keep(done, share=False))
                mine = [t for t in mine if t not in out]
            if mine:
                out.update(self._keep_fetched(self._ask(mine, canonical)))
        finally:
            for claim in claims.values():
                self.shared.release(claim)
        theirs = [t for t in titles if t in claims and not claims[t].go]
        waited = {t: v for t in theirs if (v := self.shared.wait("title:" + t, self._claim_seconds)) is not _MISS}
        out.update(self._keep(waited, share=False))
        gave_up = [t for t in theirs if t not in waited]
        if gave_up:
            out.update(self._keep_fetched(self._ask(gave_up, canonical)))
        return out

    def _ask(self, titles: list[str], canonical: bool) -> dict[str, Entry | None]:
        # One card by its id (a pending card, say) is one REST summary, which Wikimedia answers from
        # its edge caches; a redirect there would cost a second request, so names go to the query.
        if canonical and len(titles) == 1:
            return {titles[0]: self.source.summary(titles[0])}
        return self.source.pages(titles)

    def _keep_fetched(self, found: dict[str, Entry | None]) -> dict[str, Known]:
        at = time.time()
        return self._keep({t: {"entry": _entry_json(e), "at": at} for t, e in found.items()}, share=True)

    def _keep(self, values: dict[str, dict], *, share: bool) -> dict[str, Known]:
        """Write {title: {"entry", "at"}} through the base, and to Redis when it came from Wikipedia."""
        out: dict[str, Known] = {}
        for at in {v["at"] for v in values.values()}:
            batch = {t: _entry_from_json(v["entry"]) for t, v in values.items() if v["at"] == at}
            try:
                kept = persist(self.store, batch, at)
            except KnowledgeError as exc:
                # A read-only or locked base: the cards still serve this process, they just do not last.
                self._store_failed(exc)
                kept = batch
            out.update({t: (e, at) for t, e in kept.items()})
        if share:
            self._share_titles(out)
        for title, known in out.items():
            self._remember_title(title, known)
        return out

    def _share_titles(self, known: dict[str, Known], *, only_new: bool = False) -> None:
        """Put titles in Redis for as long as they stay fresh. `only_new` leaves a value another
        worker wrote alone: this one may come from an older copy in our base."""
        if self.shared is None:
            return
        now = time.time()
        for title, (entry, at) in known.items():
            life = self.refresh_seconds if entry is not None else self.negative_seconds
            left = life if at is None else life - (now - at)
            if left > 1:
                self.shared.set("title:" + title, {"entry": _entry_json(entry), "at": at}, left, only_new=only_new)

    def _remember_title(self, title: str, known: Known) -> None:
        with self._memory_lock:
            self._titles[title] = known

    def _fresh(self, stored: Known, now: float) -> bool:
        return is_fresh(stored, now, self.refresh_seconds, self.negative_seconds)

    @contextmanager
    def _single_flight(self, key: str) -> Iterator[Any]:
        """Yield _MISS when this worker is to make the call, or the value another worker stored."""
        if self.shared is None:
            yield _MISS
            return
        claim = self.shared.claim(key, self._claim_seconds)
        if not claim.go:
            yield self.shared.wait(key, self._claim_seconds)
            return
        try:
            yield self.shared.get(key)  # it may have been stored between our look and our claim
        finally:
            self.shared.release(claim)


# -- warming the base ahead of use ------------------------------------------------------------


@dataclass
class WarmReport:
    asked: int = 0
    skipped: int = 0  # already in the base and fresh (from an earlier, perhaps interrupted, run)
    fetched: int = 0
    missing: int = 0  # no article, or a disambiguation page
    stopped: str | None = None  # why it stopped early; running it again resumes


def warm(titles: Iterable[str], store: KnowledgeStore, source: WikipediaSource, settings: Settings, *,
         progress: Callable[[WarmReport], None] | None = None,
         sleep: Callable[[float], None] = time.sleep) -> WarmReport:
    """Fetch titles into the base ahead of use, at most 20 per query with a polite pause between
    queries. Titles the base holds fresh are skipped, so an interrupted run resumes where it stopped."""
    ensure_tables(store)
    refresh, negative = settings.online_refresh_days * 86_400, settings.online_negative_seconds
    wanted = list(dict.fromkeys(" ".join(t.replace("_", " ").split()) for t in titles))
    wanted = [t for t in wanted if t]
    report = WarmReport(asked=len(wanted))
    now = time.time()
    todo = []
    for title in wanted:
        stored = stored_title(store, title)
        if stored is not None and is_fresh(stored, now, refresh, negative):
            report.skipped += 1
        else:
            todo.append(title)
    for start in range(0, len(todo), BATCH):
        if start:
            sleep(settings.warm_delay)
        try:
            found = source.pages(todo[start : start + BATCH])
        except WikipediaUnavailable as exc:
            report.stopped = str(exc)
            break
        persist(store, found, time.time())
        report.fetched += sum(e is not None for e in found.values())
        report.missing += sum(e is None for e in found.values())
        if progress:
            progress(report)
    return report
