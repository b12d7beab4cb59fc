"""What goes wrong with the knowledge-base file, each said in one sentence with what to do."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class KnowledgeError(RuntimeError):
    """The knowledge base file is missing, unreadable or not ours: said plainly, never served empty."""


def damaged(path: Path, detail: str) -> KnowledgeError:
    return KnowledgeError(
        f"knowledge base {path} is damaged ({detail[:300]}). Nothing was changed: move the file aside and run"
        " `reader-context kb build` (then `kb import` your own entries again), or recover it with sqlite3's .recover")


def is_read_only_error(exc: sqlite3.Error) -> bool:
    return "readonly" in str(exc) or "read-only" in str(exc)


def disk_full(path: Path, exc: sqlite3.Error) -> KnowledgeError | None:
    """A full disk, said in one sentence: SQLite says so itself when a write finds no room, but only "disk I/O
    error" or "unable to open" when it cannot even create a file (a -wal, a -shm), so the free space is looked at
    then."""
    full = getattr(exc, "sqlite_errorname", "") == "SQLITE_FULL" or "disk is full" in str(exc)
    if not full and isinstance(exc, sqlite3.OperationalError) and not is_lock_error(exc):
        try:
            usage = os.statvfs(path.parent)
            full = usage.f_bavail * usage.f_frsize < 1 << 20
        except OSError:
            pass
    if not full:
        return None
    return KnowledgeError(f"disk full: the knowledge base {path} could not be written, so this change was not"
                          " saved; free some space and try again")


def is_lock_error(exc: sqlite3.Error) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)
