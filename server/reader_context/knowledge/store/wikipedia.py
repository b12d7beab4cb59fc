"""The tables of what the Wikipedia source learnt: its entities written through to the base, which
titles a name reaches, and which titles have no article. Part of KnowledgeStore (see __init__)."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from ..entity import Entity, card_id

Known = tuple[Entity | None, float | None]  # what a title stands for (None: no article), and since when


class WikipediaTables:
    # Given by KnowledgeStore, of which this class is a part.
    connection: Callable[[], sqlite3.Connection]
    write: Callable[[], AbstractContextManager[sqlite3.Connection]]
    entities: Callable[[Iterable[str]], dict[str, Entity]]
    put: Callable[..., int]
    renew_build_stamp: Callable[[sqlite3.Connection], None]

    def wikipedia_name(self, name: str) -> tuple[list[str], float] | None:
        """The card ids a mention name reached when last asked ([] for none), and when."""
        row = self.connection().execute("SELECT ids, fetched_at FROM wikipedia_names WHERE name = ?", (name,)).fetchone()
        return (json.loads(row[0]), row[1]) if row else None

    def put_wikipedia_name(self, name: str, ids: list[str], fetched_at: float) -> None:
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO wikipedia_names(name, ids, fetched_at) VALUES (?, ?, ?)",
                         (name, json.dumps(ids), fetched_at))

    def wikipedia_title(self, title: str) -> Known | None:
        """What the base says about an asked title: its entity, the entity it redirects to, or "no
        article" (None, when), with the time it was learnt; None when the base has never heard of it."""
        found = self.entities([card_id(title)])
        if found:
            entity = found[card_id(title)]
            return entity, entity.fetched_at
        conn = self.connection()
        row = conn.execute(
            "SELECT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.alias = ? AND a.origin = 'redirect' AND e.source = 'wikipedia' LIMIT 1", (title,)
        ).fetchone()
        if row:
            entity = self.entities([row[0]]).get(row[0])
            return (entity, entity.fetched_at) if entity else None
        row = conn.execute("SELECT fetched_at FROM wikipedia_missing WHERE id = ?", (card_id(title),)).fetchone()
        return (None, row[0]) if row else None

    def put_wikipedia(self, found: dict[str, Entity | None], fetched_at: float) -> dict[str, Entity | None]:
        """Write fetched titles through to the base; returns what each title now stands for there.

        An id the base holds from another source keeps that entity (an embedded card is curated; a
        Wikipedia answer must not replace it by accident). Redirect names learnt earlier are kept.
        """
        entities = {e.id: e for e in found.values() if e is not None}
        missing = [card_id(t) for t, e in found.items() if e is None]
        with self.write() as conn:
            held = dict(conn.execute(
                f"SELECT id, source FROM entities WHERE id IN ({','.join('?' * len(entities))})", list(entities)
            )) if entities else {}
            writes = []
            for entity in entities.values():
                if entity.source != "wikipedia" or held.get(entity.id, "wikipedia") != "wikipedia":
                    continue  # held here from another source, or another worker's embedded entity
                if entity.id in held:
                    learnt = tuple(conn.execute(
                        "SELECT alias, origin, weight FROM aliases WHERE entity_id = ? AND origin = 'redirect'",
                        (entity.id,)))
                    entity = dataclasses.replace(entity, aliases=entity.aliases + learnt)
                writes.append(dataclasses.replace(entity, fetched_at=fetched_at))
            self.put(conn, writes)
            # An article deleted, or turned into a disambiguation page, since we stored it.
            gone = [(i,) for (i,) in conn.execute(
                f"SELECT id FROM entities WHERE source = 'wikipedia' AND id IN ({','.join('?' * len(missing))})",
                missing)]
            for table, column in (("entities_fts", "entity_id"), ("aliases", "entity_id"), ("entities", "id")):
                conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", gone)
            if gone:
                self.renew_build_stamp(conn)  # rows deleted, which a reader of aliases_since cannot see
            conn.executemany("INSERT OR REPLACE INTO wikipedia_missing(id, fetched_at) VALUES (?, ?)",
                             [(i, fetched_at) for i in missing])
            conn.executemany("DELETE FROM wikipedia_missing WHERE id = ?", [(e.id,) for e in writes])
        kept = self.entities([i for i, source in held.items() if source != "wikipedia"])
        kept.update((e.id, e) for e in writes)
        return {t: kept.get(e.id, e) if e is not None else None for t, e in found.items()}
