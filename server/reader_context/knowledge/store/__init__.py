"""The knowledge base on disk: one SQLite file of entities, their aliases and a full-text index, what the
Wikipedia source learnt, and the cards still pending. Every SQL statement of the project lives in this
package: the connections and the schema here, the tables' statements in entities.py, wikipedia.py and
pending.py, which KnowledgeStore brings together.

Kept on disk rather than in memory (scispaCy's lesson: a large in-memory KB costs gigabytes and long
loads); a process holds only its alias index (entities/aliases.py), so spotting needs no query per token.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from .entities import EntityTables
from .errors import KnowledgeError, damaged, disk_full, is_lock_error, is_read_only_error
from .identity import FileIdentity, ensure_token
from .pending import PendingTables
from .wikipedia import WikipediaTables

log = logging.getLogger(__name__)

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
-- Cards finished after their request's deadline, for whichever worker the client asks next.
CREATE TABLE IF NOT EXISTS pending_cards (id TEXT PRIMARY KEY, resolved INTEGER NOT NULL DEFAULT 0, card TEXT,
                                          expires_at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS pending_cards_expiry ON pending_cards(expires_at);
"""


class KnowledgeStore(EntityTables, WikipediaTables, PendingTables):
    """One SQLite file, one connection per thread. Writes go through `write()` (one IMMEDIATE
    transaction); a read-only file is read as it is and refuses writes with a KnowledgeError."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        # Set when the file cannot be written (a read-only mount or file): it is then read as it is,
        # and a write says so instead of failing somewhere deep.
        self.read_only = False
        self._identity = FileIdentity(self.path)

    # -- connections -------------------------------------------------------------------------
    def connection(self) -> sqlite3.Connection:
        """One connection per thread, reused across requests (opening one costs more than a lookup).

        A connection never crosses a fork: gunicorn's preloaded master opens the store, and a worker
        that used the master's connection would share its file locks and cache.
        """
        replaced = self._identity.check()
        if replaced:
            raise KnowledgeError(replaced)
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
            if is_lock_error(exc):
                raise KnowledgeError(
                    f"knowledge base {self.path} is locked by another process (waited {LOCK_TIMEOUT_SECONDS:g} s);"
                    " try again when that process (a build, an import or `kb warm`) has finished") from exc
            raise KnowledgeError(f"knowledge base {self.path} cannot be written: {exc}") from exc
        try:
            yield conn
            replaced = self._identity.check(now=True)
            if replaced:  # committing could checkpoint our pages into a file that is not ours
                raise KnowledgeError(replaced)
            conn.commit()
        except sqlite3.OperationalError as exc:
            conn.rollback()
            # Callers on a request's path then keep cards in memory; the CLI prints it instead of a traceback.
            full = disk_full(self.path, exc)
            if full:
                raise full from exc
            raise
        except BaseException:
            conn.rollback()
            raise

    @contextmanager
    def attached(self, path: Path, schema: str) -> Iterator[None]:
        """Another SQLite file readable as `schema` on this thread's connection (attached outside any
        transaction, as SQLite wants)."""
        conn = self.connection()
        conn.execute("ATTACH DATABASE ? AS " + schema, (str(path),))
        try:
            yield
        finally:
            conn.execute("DETACH DATABASE " + schema)

    def create_schema(self) -> None:
        # A file or folder we may not write (a read-only mount, another user's file): read it as it is.
        # SQLite needs the folder too, for its -wal and -shm files.
        if self.path.exists() and not (os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK)):
            self.close()
            self.read_only = True
        if not self.read_only:
            self._create_schema()
        if self.path.exists():
            self._identity.remember(self.connection())

    def _create_schema(self) -> None:
        conn = self.connection()
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(SCHEMA)
            ensure_token(conn)
        except sqlite3.OperationalError as exc:
            if not is_read_only_error(exc):
                raise disk_full(self.path, exc) or KnowledgeError(
                    f"{self.path} is not a usable knowledge base: {exc}") from exc
            self.close()  # a read-only file: read it as it is (open_knowledge refuses it if it is not built)
            self.read_only = True
        except sqlite3.DatabaseError as exc:
            if "not a database" in str(exc):
                raise KnowledgeError(f"{self.path} is not a usable knowledge base: {exc}") from exc
            raise damaged(self.path, str(exc)) from exc

    def ensure_schema(self) -> bool:
        """For a base built before the Wikipedia and pending tables: gain them, or say (once, as a
        warning) that this base cannot keep them; callers then work from memory and Redis."""
        if self.read_only:
            return False
        try:
            self.create_schema()
        except KnowledgeError as exc:
            log.warning("the knowledge base cannot keep Wikipedia or pending cards: %s", exc)
            return False
        return not self.read_only

    def check(self) -> None:
        """SQLite's quick integrity check (about 20 ms for the embedded base): a damaged file is refused
        with what to do, rather than found out halfway through a request."""
        try:
            problems = [row[0] for row in self.connection().execute("PRAGMA quick_check(3)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise damaged(self.path, "; ".join(p.replace("\n", " ") for p in problems))

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

    def stats(self) -> dict:
        conn = self.connection()
        by_source = dict(conn.execute("SELECT source, COUNT(*) FROM entities GROUP BY source"))
        by_kind = dict(conn.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind"))
        aliases = conn.execute("SELECT COUNT(*) FROM aliases").fetchone()[0]
        # The embedded entries by the pack that made them (an id's prefix; a place the Wikipedia pack already
        # held counts there, with the places pack's facts merged in).
        by_pack = dict(conn.execute("SELECT substr(id, 1, instr(id, ':') - 1), COUNT(*) FROM entities"
                                    " WHERE source = 'embedded' GROUP BY 1"))
        return {
            "path": str(self.path),
            "entities": sum(by_source.values()),
            "aliases": aliases,
            "sources": sorted(by_source),
            "by_source": by_source,
            "by_kind": by_kind,
            "by_pack": by_pack,
            "meta": self.meta(),
        }


