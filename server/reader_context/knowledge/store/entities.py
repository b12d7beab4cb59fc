"""The entity tables: entities, their aliases and the full-text index, written by builds and imports
and read by the linker and the lookup route. Part of KnowledgeStore (see __init__)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Iterable

from ..entity import AliasHit, Entity
from ..names import alias_key
from ..overrides import Overrides, OverridesError

ENTITY_COLUMNS = ("id, title, kind, description, summary, url, source, attribution, context, thumbnail, facts,"
                  " common_noun, fetched_at")


class EntityTables:
    # Given by KnowledgeStore, of which this class is a part.
    connection: Callable[[], sqlite3.Connection]
    set_meta: Callable[[sqlite3.Connection, dict[str, str]], None]
    meta: Callable[[], dict[str, str]]
    _keys: frozenset[str]
    _keys_version: tuple[int, int] | None
    _weak: frozenset[str] | None
    _weak_version: tuple[int, int] | None

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def put(conn: sqlite3.Connection, entities: Iterable[Entity], fetched_at: float | None = None,
            *, fresh: bool = False) -> int:
        """Insert or replace entities with their aliases and full-text rows; returns how many.

        `fresh` says the ids are known to be absent (a rebuild after delete_source), which skips
        the per-entity deletes that would otherwise scan the full-text table.
        """
        count = 0
        for e in entities:
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
                f"INSERT OR REPLACE INTO entities({ENTITY_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (e.id, e.title, e.kind, e.description, e.summary, e.url, e.source, e.attribution, e.context,
                 e.thumbnail, json.dumps(e.facts) if e.facts else None, int(e.common_noun),
                 e.fetched_at if fetched_at is None else fetched_at),
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

    @staticmethod
    def apply_overrides(conn: sqlite3.Connection, overrides: Overrides, *, strong: float, weak: float) -> None:
        """data/aliases.yaml over the embedded entities: added names, names that need the article's
        support, and names that never link."""
        def entity_id(title: str) -> str:
            row = conn.execute("SELECT id FROM entities WHERE title = ? AND source = 'embedded'", (title,)).fetchone()
            if row is None:
                raise OverridesError(f"aliases.yaml names {title!r}, which the embedded knowledge base does not hold")
            return row[0]

        for item in overrides.aliases:
            conn.execute("INSERT OR REPLACE INTO aliases(key, alias, entity_id, origin, weight) VALUES (?,?,?,?,?)",
                         (alias_key(item.alias), item.alias, entity_id(item.title), "override", strong))
        for item in overrides.needs_support:
            eid = entity_id(item.title)
            cur = conn.execute("UPDATE aliases SET origin = 'needs-support' WHERE key = ? AND entity_id = ?",
                               (alias_key(item.alias), eid))
            if cur.rowcount == 0:
                conn.execute("INSERT INTO aliases(key, alias, entity_id, origin, weight) VALUES (?,?,?,?,?)",
                             (alias_key(item.alias), item.alias, eid, "needs-support", weak))
        for item in overrides.never_link:
            conn.execute("DELETE FROM aliases WHERE key = ? AND origin != 'title'", (alias_key(item.alias),))

    @classmethod
    def renew_build_stamp(cls, conn: sqlite3.Connection) -> None:
        """Say that alias rows were replaced or deleted wholesale (by a build or an import), which an
        incremental reader of aliases_since cannot see."""
        cls.set_meta(conn, {"build_stamp": secrets.token_hex(8)})

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

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        ids = list(dict.fromkeys(ids))
        return self._entities(self.connection(), ids) if ids else {}

    @staticmethod
    def _entities(conn: sqlite3.Connection, ids: list[str]) -> dict[str, Entity]:
        """The one mapping from rows to Entity: an `entities` row and its alias rows."""
        marks = ",".join("?" * len(ids))
        aliases: dict[str, list[tuple[str, str, float]]] = {}
        for entity_id, alias, origin, weight in conn.execute(
                f"SELECT entity_id, alias, origin, weight FROM aliases WHERE entity_id IN ({marks})", ids):
            aliases.setdefault(entity_id, []).append((alias, origin, weight))
        return {row[0]: Entity(*row[:10], facts=json.loads(row[10]) if row[10] else None, common_noun=bool(row[11]),
                               aliases=tuple(aliases.get(row[0], ())), fetched_at=row[12])
                for row in conn.execute(f"SELECT {ENTITY_COLUMNS} FROM entities WHERE id IN ({marks})", ids)}

    def lookup(self, name: str) -> Entity | None:
        """The best entity for a free-text name: a known alias first, then full-text search."""
        hits = self.lookup_alias(alias_key(name))
        if hits:
            found = self.entities(h.entity_id for h in hits)
            ranked = sorted(
                (h for h in hits if h.entity_id in found),
                key=lambda h: (found[h.entity_id].common_noun, -h.weight, h.origin != "title"),
            )
            if ranked:
                return found[ranked[0].entity_id]
        ids = self.search(name, limit=1)
        return self.entities(ids).get(ids[0]) if ids else None

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

    def aliases_since(self, rowid: int) -> tuple[list[tuple[str, str]], int]:
        """(alias, key) of the alias rows of names (not common nouns) added after `rowid`, and the new
        high-water rowid, for a matcher that keeps its own alias patterns.

        A consumer builds fully when build_stamp() changes (a build or an import replaced or deleted
        rows) and otherwise reads what was added since its high-water mark: Wikipedia write-through
        only adds names, and one it later drops costs no more than a pattern that finds no entity.
        """
        rows = self.connection().execute(
            "SELECT a.rowid, a.alias, a.key, e.common_noun FROM aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.rowid > ? ORDER BY a.rowid", (rowid,)).fetchall()
        return [(alias, key) for _, alias, key, noun in rows if not noun], max((r[0] for r in rows), default=rowid)

    def alias_high_water(self) -> int:
        """The highest alias rowid: it moves whenever alias rows are written (SQLite reads it from the
        end of the rowid tree, without a scan)."""
        return self.connection().execute("SELECT MAX(rowid) FROM aliases").fetchone()[0] or 0

    def version(self) -> tuple[str, int]:
        """Changes whenever what the base answers may change: a build, an import (both renew the stamp) or new
        entries from Wikipedia (`kb warm`, write-through). Read from the file, so every worker sees it at once."""
        return self.build_stamp(), self.alias_high_water()

    def build_stamp(self) -> str:
        """Changes whenever a build or an import replaced or deleted alias rows (not on Wikipedia
        write-through): a consumer of aliases_since then rebuilds from rowid 0."""
        return self.meta().get("build_stamp", "")
