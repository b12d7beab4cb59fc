"""The table of pending cards: cards finished after their request's deadline, kept where every worker
of this base can serve them. Part of KnowledgeStore (see __init__); PendingCards (../pending.py) is
the interface the rest of the code uses."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager

# Expired rows purged per call: bounded work on a request's path.
PURGE_LIMIT = 200


class PendingTables:
    # Given by KnowledgeStore, of which this class is a part.
    connection: Callable[[], sqlite3.Connection]
    write: Callable[[], AbstractContextManager[sqlite3.Connection]]

    def open_pending(self, pid: str, expires_at: float, now: float, *, most: int) -> bool:
        """Record a pending card as waiting, unless `most` are kept already (False); purge a page of expired
        ones on the way."""
        with self.write() as conn:
            conn.execute("DELETE FROM pending_cards WHERE id IN"
                         " (SELECT id FROM pending_cards WHERE expires_at <= ? LIMIT ?)", (now, PURGE_LIMIT))
            (kept,) = conn.execute("SELECT count(*) FROM pending_cards WHERE expires_at > ?", (now,)).fetchone()
            if kept >= most:
                return False
            conn.execute("INSERT OR REPLACE INTO pending_cards(id, resolved, card, expires_at) VALUES (?, 0, NULL, ?)",
                         (pid, expires_at))
            return True

    def resolve_pending(self, pid: str, card: str | None, expires_at: float) -> None:
        """`card` is the card's JSON, or None when there was no card after all."""
        with self.write() as conn:
            conn.execute("INSERT OR REPLACE INTO pending_cards(id, resolved, card, expires_at) VALUES (?, 1, ?, ?)",
                         (pid, card, expires_at))

    def pending(self, pids: list[str], now: float) -> dict[str, tuple[bool, str | None]]:
        """(resolved, card JSON) of each id that has not expired."""
        if not pids:
            return {}
        rows = self.connection().execute(
            f"SELECT id, resolved, card FROM pending_cards WHERE expires_at > ? AND id IN ({','.join('?' * len(pids))})",
            (now, *pids))
        return {pid: (bool(resolved), card) for pid, resolved, card in rows}
