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


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    """Under SQLite's limit on bound parameters."""
    return (items[i:i + size] for i in range(0, len(items), size))


class EntityTables:
    # Given by KnowledgeStore, of which this class is a part.
    connection: Callable[[], sqlite3.Connection]
    set_meta: Callable[[sqlite3.Connection, dict[str, str]], None]
    meta: Callable[[], dict[str, str]]

    # -- writing -----------------------------------------------------------------------------
    @staticmethod
    def put(conn: sqlite3.Connection, entities: Iterable[Entity], fetched_at: float | None = None,
            *, fresh: bool = False) -> int:
        """Insert or replace entities with their aliases and full-text rows; returns how many.

        `fresh` says the ids are known to be absent (a rebuild after delete_source), which skips
        the per-entity deletes that would otherwise scan the full-text table.
        """
        entities = list(entities)
        if not fresh:
            # Only ids already held are deleted, and the full-text rows in one pass per chunk: entity_id is not
            # indexed there, and a pass per entity made an import of 50,000 lines take six minutes.
            held = EntityTables.held_ids(conn, [e.id for e in entities])
            for chunk in _chunks(sorted(held)):
                marks = ",".join("?" * len(chunk))
                conn.execute(f"DELETE FROM entities_fts WHERE entity_id IN ({marks})", chunk)
                conn.execute(f"DELETE FROM aliases WHERE entity_id IN ({marks})", chunk)
        count = 0
        for e in entities:
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
    def held_ids(conn: sqlite3.Connection, ids: list[str]) -> set[str]:
        """Which of these ids the base holds already."""
        held: set[str] = set()
        for chunk in _chunks(ids):
            held.update(i for (i,) in conn.execute(
                f"SELECT id FROM entities WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        return held

    @staticmethod
    def _delete_entries(conn: sqlite3.Connection, ids: str, params: tuple) -> None:
        """Delete the entries whose ids the query `ids` selects, from the three tables an entry lives in."""
        for table, column in (("entities_fts", "entity_id"), ("aliases", "entity_id"), ("entities", "id")):
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({ids})", params)

    @staticmethod
    def delete_source(conn: sqlite3.Connection, source: str) -> None:
        EntityTables._delete_entries(conn, "SELECT id FROM entities WHERE source = ?", (source,))

    @staticmethod
    def staged_id_ranges(conn: sqlite3.Connection, schema: str, batch: int) -> list[tuple[str, str]]:
        """The ids of the attached database `schema`, as (first, last) ranges of `batch` ids each."""
        ids = [row[0] for row in conn.execute(f"SELECT id FROM {schema}.entities ORDER BY id")]
        return [(ids[i], ids[min(i + batch, len(ids)) - 1]) for i in range(0, len(ids), batch)]

    @staticmethod
    def replace_range_from(conn: sqlite3.Connection, schema: str, first: str, last: str) -> None:
        """Put the entries of the attached `schema` with ids from `first` to `last` in place of whatever the base
        holds under those ids: an id the base holds from another source (a Wikipedia card fetched before a pack
        had it) gives way."""
        EntityTables._delete_entries(conn, f"SELECT id FROM {schema}.entities WHERE id BETWEEN ? AND ?", (first, last))
        conn.execute(f"INSERT INTO entities({ENTITY_COLUMNS}) SELECT {ENTITY_COLUMNS} FROM {schema}.entities"
                     " WHERE id BETWEEN ? AND ?", (first, last))
        conn.execute("INSERT OR REPLACE INTO aliases(key, alias, entity_id, origin, weight)"
                     f" SELECT key, alias, entity_id, origin, weight FROM {schema}.aliases"
                     " WHERE entity_id BETWEEN ? AND ?", (first, last))
        conn.execute("INSERT INTO entities_fts(entity_id, title, description, summary)"
                     f" SELECT entity_id, title, description, summary FROM {schema}.entities_fts"
                     " WHERE entity_id BETWEEN ? AND ?", (first, last))

    @staticmethod
    def delete_source_except(conn: sqlite3.Connection, source: str, schema: str) -> None:
        """Delete the entries of `source` that the attached `schema` no longer holds."""
        EntityTables._delete_entries(
            conn, f"SELECT id FROM entities WHERE source = ? AND id NOT IN (SELECT id FROM {schema}.entities)", (source,))

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
            # Our list speaks for the embedded entries only: a name the user gave their own entry stays theirs.
            conn.execute("DELETE FROM aliases WHERE key = ? AND origin != 'title' AND entity_id IN"
                         " (SELECT id FROM entities WHERE source = 'embedded')", (alias_key(item.alias),))

    @classmethod
    def renew_build_stamp(cls, conn: sqlite3.Connection) -> None:
        """Say that alias rows were replaced or deleted wholesale (by a build or an import), which an
        incremental reader of aliases_since cannot see."""
        cls.set_meta(conn, {"build_stamp": secrets.token_hex(8)})

    # -- reading -----------------------------------------------------------------------------
    def weak_keys(self, among: Iterable[str] | None = None) -> frozenset[str]:
        """Alias keys of names that never make a mention by themselves: names every spelling of which is a
        common phrase ("Stock exchange"), and single words that name only concepts ("Business", "West"). A
        Title Case run of the same words is part of some other name. Keys of entries whose title is an
        ordinary word ("Castle") are not names at all and are left out.

        Of every key, or of the keys `among` (those whose rows were just written): a caller that follows
        aliases_since keeps its set current without reading the whole table again."""
        conn = self.connection()
        query = ("SELECT a.key, a.alias, e.kind, e.common_noun FROM aliases a JOIN entities e ON e.id = a.entity_id")
        if among is None:
            rows = conn.execute(query).fetchall()
        else:
            rows = []
            for chunk in _chunks(list(among)):
                rows += conn.execute(f"{query} WHERE a.key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
        names = {key for key, _, _, noun in rows if not noun}
        weak: dict[str, bool] = {}
        for key, alias, kind, _ in rows:
            if key not in names:
                continue
            words = alias.split()
            later = [w for w in words[1:] if w[:1].isalpha()]
            if len(words) == 1:
                is_weak = kind in ("concept", "other")
            else:
                is_weak = bool(later) and all(w[0].islower() for w in later)
            weak[key] = weak.get(key, True) and is_weak
        return frozenset(k for k, v in weak.items() if v)

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

    def changed_since(self, rowid: int) -> tuple[set[str], set[str], int]:
        """The alias keys and entity ids of alias rows written after `rowid`, and the new high-water rowid:
        what a cache of lookups must forget when the build stamp has not changed (Wikipedia write-through
        rewrites an entity's alias rows whenever it rewrites the entity)."""
        rows = self.connection().execute(
            "SELECT rowid, key, entity_id FROM aliases WHERE rowid > ? ORDER BY rowid", (rowid,)).fetchall()
        return {r[1] for r in rows}, {r[2] for r in rows}, max((r[0] for r in rows), default=rowid)

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
