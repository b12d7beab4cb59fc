"""The knowledge base on disk: one SQLite file of entities, their aliases and a full-text index.

Kept on disk rather than in memory (scispaCy's lesson: a large in-memory KB costs gigabytes and long
loads); a process holds only the set of alias keys, so spotting needs no query per token.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .card import Card
from .names import alias_key

SCHEMA_VERSION = "1"
# How long a connection waits for another process's write lock (a build, an import) before saying so.
LOCK_TIMEOUT_SECONDS = 30.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT,
    summary TEXT,
    context TEXT,
    url TEXT,
    thumbnail TEXT,
    source TEXT NOT NULL,
    attribution TEXT,
    facts TEXT,
    common_noun INTEGER NOT NULL DEFAULT 0,
    fetched_at REAL
);
CREATE TABLE IF NOT EXISTS aliases (
    key TEXT NOT NULL,
    alias TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    origin TEXT NOT NULL,
    weight REAL NOT NULL,
    PRIMARY KEY (key, entity_id, alias)
);
CREATE INDEX IF NOT EXISTS aliases_entity ON aliases(entity_id);
CREATE VIRTUAL TABLE IF NOT EXISTS entities_fts USING fts5(entity_id UNINDEXED, title, description, summary);
-- What the online source learnt: which titles a name reaches, and which titles have no article.
CREATE TABLE IF NOT EXISTS wikipedia_names (name TEXT PRIMARY KEY, ids TEXT NOT NULL, fetched_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS wikipedia_missing (id TEXT PRIMARY KEY, fetched_at REAL NOT NULL);
"""


class KnowledgeError(RuntimeError):
    """The knowledge base file is missing, unreadable or not ours: said plainly, never served empty."""


def _damaged(path: Path, detail: str) -> KnowledgeError:
    return KnowledgeError(
        f"knowledge base {path} is damaged ({detail[:300]}). Nothing was changed: move the file aside and run"
        " `reader-context kb build` (then `kb import` your own entries again), or recover it with sqlite3's .recover")


def _is_read_only_error(exc: sqlite3.Error) -> bool:
    return "readonly" in str(exc) or "read-only" in str(exc)


def _is_lock_error(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


@dataclass(frozen=True)
class Entry:
    """An entity as it goes into the store; `context` is the longer text used only for linking."""

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
    aliases: tuple[tuple[str, str, float], ...] = ()  # (alias, origin, weight)


@dataclass(frozen=True)
class AliasHit:
    entity_id: str
    alias: str
    origin: str
    weight: float


@dataclass(frozen=True)
class Candidate:
    """An entity as the linker sees it: the card plus what linking needs and the reader never sees."""

    card: Card
    context: str
    common_noun: bool


class KnowledgeStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._keys: frozenset[str] = frozenset()
        self._keys_version: tuple[int, int] | None = None
        self._keys_lock = threading.Lock()
        self._weak: frozenset[str] | None = None
        self._weak_version: tuple[int, int] | None = None
        # Set when the file cannot be written (a read-only mount or file): it is then read as it is,
        # and a write says so instead of failing somewhere deep.
        self.read_only = False

    # -- connections -------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """One connection per thread, reused across requests (opening one costs more than a lookup).

        A connection never crosses a fork: gunicorn's preloaded master opens the store, and a worker
        that used the master's connection would share its file locks and cache.
        """
        conn = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "pid", None) != os.getpid():
            conn = None
        if conn is None:
            try:
                if self.read_only:
                    # immutable: no -wal/-shm files are needed, so a read-only folder is fine too.
                    uri = f"file:{quote(str(self.path.resolve()))}?mode=ro&immutable=1"
                    conn = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT_SECONDS, check_same_thread=False)
                else:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    conn = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT_SECONDS, check_same_thread=False)
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT_SECONDS * 1000)}")
            except (sqlite3.Error, OSError) as exc:
                raise KnowledgeError(f"cannot open knowledge base {self.path}: {exc}") from exc
            self._local.conn = conn
            self._local.pid = os.getpid()
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the lock up front, so two processes never interleave a build."""
        if self.read_only:
            raise KnowledgeError(f"knowledge base {self.path} is read-only: nothing can be saved to it")
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if _is_lock_error(exc):
                raise KnowledgeError(
                    f"knowledge base {self.path} is locked by another process (waited {LOCK_TIMEOUT_SECONDS:g} s);"
                    " try again when that process (a build, an import or `kb warm`) has finished") from exc
            raise KnowledgeError(f"knowledge base {self.path} cannot be written: {exc}") from exc
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()

    def create_schema(self) -> None:
        # A file or folder we may not write (a read-only mount, another user's file): read it as it is.
        # SQLite needs the folder too, for its -wal and -shm files.
        if self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            self.close()
            self.read_only = True
        if self.read_only:
            return
        conn = self.connection()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
        except sqlite3.OperationalError as exc:
            if not _is_read_only_error(exc):
                raise KnowledgeError(f"{self.path} is not a usable knowledge base: {exc}") from exc
            self.close()  # a read-only file: read it as it is (open_knowledge refuses it if it is not built)
            self.read_only = True
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise KnowledgeError(f"{self.path} is not a usable knowledge base: {exc}") from exc
            raise _damaged(self.path, str(exc)) from exc

    def check(self) -> None:
        """SQLite's quick integrity check (about 20 ms for the embedded base): a damaged file is refused
        with what to do, rather than found out halfway through a request."""
        try:
            problems = [row[0] for row in self.connection().execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise _damaged(self.path, "; ".join(p.replace("\n", " ") for p in problems))

    def has_embedded(self) -> bool:
        return self.connection().execute("SELECT 1 FROM entities WHERE source = 'embedded' LIMIT 1").fetchone() is not None

    # -- metadata ----------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        try:
            return dict(self.connection().execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError:
            return {}
        except sqlite3.DatabaseError as exc:
            raise KnowledgeError(f"{self.path} is not a usable knowledge base: {exc}") from exc

    @staticmethod
    def set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
        conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def put(conn: sqlite3.Connection, entries: Iterable[Entry], fetched_at: float | None = None,
            *, fresh: bool = False) -> int:
        """Insert or replace entries with their aliases and full-text rows; returns how many.

        `fresh` says the ids are known to be absent (a rebuild after delete_source), which skips
        the per-entry deletes that would otherwise scan the full-text table.
        """
        count = 0
        for e in entries:
            if not fresh:
                conn.execute("DELETE FROM entities_fts WHERE entity_id = ?", (e.id,))
                conn.execute("DELETE FROM aliases WHERE entity_id = ?", (e.id,))
            # One row per name: the strongest origin wins ("Syria" is a title before a spelling).
            best: dict[tuple[str, str], tuple[str, str, float]] = {}
            for a, origin, w in e.aliases:
                k = (alias_key(a), a)
                if k[0] and (k not in best or best[k][2] < w):
                    best[k] = (a, origin, w)
            conn.execute(
                "INSERT OR REPLACE INTO entities(id, title, kind, description, summary, context, url, thumbnail,"
                " source, attribution, facts, common_noun, fetched_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    e.id, e.title, e.kind, e.description, e.summary, e.context, e.url, e.thumbnail,
                    e.source, e.attribution, json.dumps(e.facts) if e.facts else None, int(e.common_noun),
                    fetched_at,
                ),
            )
            conn.executemany(
                "INSERT OR REPLACE INTO aliases(key, alias, entity_id, origin, weight) VALUES (?,?,?,?,?)",
                [(k, a, e.id, origin, w) for (k, _), (a, origin, w) in best.items()],
            )
            conn.execute(
                "INSERT INTO entities_fts(entity_id, title, description, summary) VALUES (?,?,?,?)",
                (e.id, e.title, e.description or "", e.summary or ""),
            )
            count += 1
        return count

    @staticmethod
    def delete_source(conn: sqlite3.Connection, source: str) -> None:
        conn.execute("DELETE FROM entities_fts WHERE entity_id IN (SELECT id FROM entities WHERE source = ?)", (source,))
        conn.execute("DELETE FROM aliases WHERE entity_id IN (SELECT id FROM entities WHERE source = ?)", (source,))
        conn.execute("DELETE FROM entities WHERE source = ?", (source,))

    # -- reading -----------------------------------------------------------------------------
    def alias_keys(self) -> frozenset[str]:
        """Every alias key of an entity that is a name, cached per process and refreshed when another
        connection wrote. Entries whose title is an ordinary word ("Castle", "State") are left out, so a
        capitalised common noun is never spotted as a name on their account."""
        conn = self.connection()
        version = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        if version != self._keys_version:
            with self._keys_lock:
                if version != self._keys_version:
                    self._keys = frozenset(k for (k,) in conn.execute(
                        "SELECT DISTINCT a.key FROM aliases a JOIN entities e ON e.id = a.entity_id"
                        " WHERE e.common_noun = 0"))
                    self._keys_version = version
        return self._keys

    def weak_keys(self) -> frozenset[str]:
        """Alias keys that never make a mention by themselves: names every spelling of which is a
        common phrase ("Stock exchange"), and single words that name only concepts ("Business",
        "West"). A Title Case run of the same words is part of some other name."""
        if self._weak is None or self._weak_version != self._keys_version:
            keys = self.alias_keys()
            weak: dict[str, bool] = {}
            rows = self.connection().execute(
                "SELECT a.key, a.alias, e.kind FROM aliases a JOIN entities e ON e.id = a.entity_id")
            for key, alias, kind in rows:
                if key not in keys:
                    continue
                words = alias.split()
                later = [w for w in words[1:] if w[:1].isalpha()]
                if len(words) == 1:
                    is_weak = kind in ("concept", "other")
                else:
                    is_weak = bool(later) and all(w[0].islower() for w in later)
                weak[key] = weak.get(key, True) and is_weak
            self._weak = frozenset(k for k, v in weak.items() if v)
            self._weak_version = self._keys_version
        return self._weak

    def lookup_alias(self, key: str) -> list[AliasHit]:
        rows = self.connection().execute(
            "SELECT entity_id, alias, origin, weight FROM aliases WHERE key = ?", (key,)
        ).fetchall()
        return [AliasHit(*row) for row in rows]

    def candidates(self, ids: Iterable[str]) -> dict[str, Candidate]:
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.connection().execute(
            "SELECT id, title, kind, description, summary, url, thumbnail, source, attribution, facts,"
            f" context, common_noun FROM entities WHERE id IN ({marks})",
            ids,
        ).fetchall()
        out = {}
        for row in rows:
            card = Card(
                id=row[0], title=row[1], kind=row[2], description=row[3], summary=row[4], url=row[5],
                thumbnail=row[6], source=row[7], attribution=row[8], facts=json.loads(row[9]) if row[9] else {},
            )
            out[row[0]] = Candidate(card=card, context=row[10] or row[4] or "", common_noun=bool(row[11]))
        return out

    def cards(self, ids: Iterable[str]) -> dict[str, Card]:
        return {i: c.card for i, c in self.candidates(ids).items()}

    def lookup(self, name: str) -> Card | None:
        """The best card for a free-text name: a known alias first, then full-text search."""
        hits = [h for h in self.lookup_alias(alias_key(name))]
        if hits:
            found = self.candidates(h.entity_id for h in hits)
            ranked = sorted(
                (h for h in hits if h.entity_id in found),
                key=lambda h: (found[h.entity_id].common_noun, -h.weight, h.origin != "title"),
            )
            if ranked:
                return found[ranked[0].entity_id].card
        ids = self.search(name, limit=1)
        return self.cards(ids).get(ids[0]) if ids else None

    def search(self, query: str, limit: int = 5) -> list[str]:
        """Full-text search over titles, descriptions and summaries; returns entity ids, best first."""
        words = [w for w in "".join(ch if ch.isalnum() else " " for ch in query).split() if w]
        if not words:
            return []
        fts_query = " ".join(f'"{w}"' for w in words)
        try:
            rows = self.connection().execute(
                "SELECT entity_id FROM entities_fts WHERE entities_fts MATCH ?"
                " ORDER BY bm25(entities_fts, 0, 10.0, 2.0, 1.0) LIMIT ?",
                (fts_query, limit),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [r[0] for r in rows]

    def stats(self) -> dict:
        conn = self.connection()
        by_source = dict(conn.execute("SELECT source, COUNT(*) FROM entities GROUP BY source"))
        by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind"))
        aliases = conn.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
        return {
            "path": str(self.path),
            "entities": sum(by_source.values()),
            "aliases": aliases,
            "sources": sorted(by_source),
            "by_source": by_source,
            "by_kind": by_kind,
            "meta": self.meta(),
        }


