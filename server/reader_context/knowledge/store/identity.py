"""Noticing that the knowledge-base file was replaced under a running server.

SQLite keeps its -wal and -shm files by name, beside the database, and a process's connections stay on the
file they opened. `mv new.sqlite3 knowledge.sqlite3` leaves them serving (and writing) the deleted file, while
anything that opens the name meets the old file's -wal; `cp new.sqlite3 knowledge.sqlite3` rewrites the file
under them, and their next checkpoint copies the old file's pages into the new one. Neither can be made safe
from inside one worker (the others still hold the old -wal), so a replaced file is refused, with what to do,
until the server restarts and opens it afresh.

Which file is ours: its inode, a random number SQLite keeps in the file's header (`user_version`, bytes 60-63)
that a file built elsewhere does not share, and its size, which only grows. All are read without SQLite, by
stat and a 4-byte read. An older copy of this very base the same size as it is the one replacement not seen.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
import time
from pathlib import Path

TOKEN_OFFSET = 60  # user_version in SQLite's file header
# How often a reader looks (a stat and a 4-byte read); a write always looks before it commits.
CHECK_SECONDS = 0.25

# One descriptor per file (by inode) for the whole process, never closed: closing any descriptor of a file
# drops every POSIX lock this process holds on it, SQLite's included.
_HEADERS: dict[tuple[int, int], int] = {}
_HEADERS_LOCK = threading.Lock()


def ensure_token(conn: sqlite3.Connection) -> None:
    """Give a writable base its random number, once, and put it in the file itself (not only the -wal)."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
        conn.execute(f"PRAGMA user_version = {secrets.randbelow(2**31 - 2) + 1}")
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _header_token(st: os.stat_result, path: Path) -> bytes:
    key = (st.st_dev, st.st_ino)
    with _HEADERS_LOCK:
        fd = _HEADERS.get(key)
        if fd is None:
            fd = _HEADERS[key] = os.open(path, os.O_RDONLY)
    return os.pread(fd, 4, TOKEN_OFFSET)


class FileIdentity:
    def __init__(self, path: Path):
        self.path = path
        self._inode: tuple[int, int] | None = None
        self._token = b""
        self._checked_at = 0.0
        self._size = 0
        self.replaced: str | None = None

    def remember(self, conn: sqlite3.Connection) -> None:
        """The file `conn` has open is ours (called once it exists)."""
        if self._inode is not None:
            return
        st = os.stat(self.path)
        self._inode = (st.st_dev, st.st_ino)
        self._token = conn.execute("PRAGMA user_version").fetchone()[0].to_bytes(4, "big")
        self._header_at_start = _header_token(st, self.path)
        self._size = st.st_size

    def check(self, *, now: bool = False) -> str | None:
        """Why the file under our name is no longer the one we opened, or None; looked at every CHECK_SECONDS
        unless `now`."""
        if self.replaced or self._inode is None:
            return self.replaced
        clock = time.monotonic()
        if not now and clock - self._checked_at < CHECK_SECONDS:
            return None
        self._checked_at = clock
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            st = None
        if st is None or (st.st_dev, st.st_ino) != self._inode:
            # The -wal by our name is the old file's: left with frames, it would be read into the new one.
            self._neutralise_wal()
            self.replaced = (f"knowledge base {self.path} was moved, deleted or replaced by another file while the"
                             " server ran; the old file is no longer served: restart the server to open the new one")
            return self.replaced
        token = _header_token(st, self.path)
        # A header not yet checkpointed still says 0 where SQLite already knows our number. The file never
        # shrinks under SQLite here (no VACUUM, no auto_vacuum), so a smaller one is an older copy written over it.
        shrunk = st.st_size < self._size
        self._size = max(self._size, st.st_size)
        if shrunk or (token != self._token and not (token == self._header_at_start == b"\0" * 4)):
            self._neutralise_wal()
            self.replaced = (f"knowledge base {self.path} was overwritten in place (copied over) while the server"
                             " ran; nothing more is read from or written to it: restart the server to open it, and"
                             " next time replace the file with the server stopped, or with `mv`")
        return self.replaced

    def _neutralise_wal(self) -> None:
        """The -wal holds the old file's pages: emptied, no checkpoint (ours at exit, or the next process's
        recovery) can copy them into the new file. They were the old file's alone, and that file is gone."""
        try:
            os.truncate(f"{self.path}-wal", 0)
        except OSError:
            pass
