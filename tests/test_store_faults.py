"""The knowledge-base file gone wrong: damaged, emptied, read-only, locked by another process. Each ends in
a correct answer or a clear refusal naming the file, never a silent empty knowledge base, a hang, a 500 or
a lost entry."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from reader_context.knowledge import KnowledgeError, KnowledgeStore, import_user_entries, open_knowledge
from reader_context.knowledge import store as store_module
from reader_context.web import create_app

pytestmark = pytest.mark.slow  # other processes holding locks on the knowledge base

ROOT = Path(__file__).resolve().parents[1]


def copy_kb(kb_path: Path, to: Path) -> Path:
    """A consistent copy of the session's knowledge base (SQLite's backup API, WAL included)."""
    to.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(kb_path) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def add_user_entry(path: Path, tmp_path: Path) -> None:
    entries = tmp_path / "mine.jsonl"
    entries.write_text(json.dumps({"title": "Syriatel", "description": "Syrian mobile network operator",
                                   "aliases": ["SyriaTel"], "kind": "organization"}) + "\n", encoding="utf-8")
    assert import_user_entries(KnowledgeStore(path), entries).added == 1


def test_damaged_pages_are_refused_and_the_file_left_alone(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    data = bytearray(path.read_bytes())
    for offset in range(len(data) // 3, len(data) // 3 + 200_000, 4096):  # garble pages in the middle
        data[offset:offset + 512] = bytes(range(256)) * 2
    path.write_bytes(bytes(data))
    with pytest.raises(KnowledgeError, match=r"is damaged .*Nothing was changed.*kb build"):
        open_knowledge(path)
    assert path.read_bytes() == bytes(data), "a damaged base may hold the user's entries: never built over"


def test_a_truncated_file_is_refused(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(KnowledgeError, match=f"{path.name} is damaged"):
        open_knowledge(path)


def test_emptied_embedded_rows_are_rebuilt_and_user_entries_kept(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    add_user_entry(path, tmp_path)
    with sqlite3.connect(path) as conn:  # the meta still says "built", the rows are gone
        conn.execute("DELETE FROM aliases WHERE entity_id IN (SELECT id FROM entities WHERE source = 'embedded')")
        conn.execute("DELETE FROM entities WHERE source = 'embedded'")
    store = open_knowledge(path)
    assert store.stats()["by_source"]["embedded"] > 10_000
    assert store.lookup("Palmyra").title == "Palmyra" and store.lookup("SyriaTel").source == "user"


def test_a_damaged_base_under_a_running_server_is_a_503_not_a_500(settings, analyzer, monkeypatch):
    client = create_app(settings.model_copy(update={"rate_limit_enabled": False}), analyzer).test_client()

    def malformed(*args, **kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(analyzer.store, "lookup", malformed)
    res = client.get("/api/v1/cards/lookup?q=Palmyra")
    assert res.status_code == 503 and res.get_json()["error"]["code"] == "knowledge_unavailable"


# -- read-only -----------------------------------------------------------------------------------

PROBE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from reader_context.knowledge import KnowledgeError, open_knowledge
    from reader_context.settings import Settings
    from reader_context.web import create_app
    path = Path(sys.argv[1])
    try:
        store = open_knowledge(path)
    except KnowledgeError as exc:
        print(json.dumps({"refused": str(exc)}))
        raise SystemExit(0)
    settings = Settings(kb_path=path, data_dir=path.parent, online="never", rate_limit_enabled=False)
    client = create_app(settings).test_client()
    res = client.post("/api/v1/analyze", json={"text": "Vladimir Putin visited Palmyra in Syria."})
    try:
        with store.write():
            pass
        write = "written"
    except KnowledgeError as exc:
        write = str(exc)
    print(json.dumps({"status": res.status_code, "cards": sorted(res.get_json().get("cards", {})), "write": write}))
""")


@pytest.fixture()
def read_only_dir():
    folder = Path(tempfile.mkdtemp(prefix="rc-readonly-"))
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def run_read_only(path: Path) -> dict:
    """Run the probe where `path` and its folder cannot be written. Root may write any file, so as root
    (CI) the folder is bind-mounted read-only in a mount namespace of the probe's own; otherwise the
    modes are taken away."""
    command = [sys.executable, "-c", PROBE, str(path)]
    if os.geteuid() == 0:
        if not shutil.which("unshare"):
            pytest.skip("running as root without unshare: cannot make a read-only folder")
        folder = str(path.parent)
        command = ["unshare", "-m", "sh", "-c",
                   'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"', "sh",
                   folder] + command
    else:
        path.chmod(0o444)
        path.parent.chmod(0o555)
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=path.parent)
    if os.geteuid() == 0 and "mount" in out.stderr and out.returncode != 0:
        pytest.skip(f"no read-only bind mount here: {out.stderr.strip()[-200:]}")
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_read_only_current_base_is_served_and_writes_say_so(kb_path, read_only_dir):
    path = copy_kb(kb_path, read_only_dir / "kb.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result = run_read_only(path)
    assert result["status"] == 200 and "wikipedia:Vladimir Putin" in result["cards"]
    assert "read-only" in result["write"]


def test_a_read_only_stale_base_is_refused_by_name(kb_path, read_only_dir):
    path = copy_kb(kb_path, read_only_dir / "kb.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'builder'")
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result = run_read_only(path)
    assert "refused" in result and str(path) in result["refused"] and "read-only" in result["refused"]


# -- locked by another process -------------------------------------------------------------------

# Holds the write lock until its standard input closes (`release`) or `seconds` pass: the tests decide when the
# writer lets go, so how fast this machine builds or reads does not decide what they prove.
HOLD_LOCK = textwrap.dedent("""
    import select, sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    conn.execute("UPDATE meta SET value = value WHERE key = 'builder'")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], float(sys.argv[2]))
    conn.execute("COMMIT")
""")


def hold_lock(path: Path, seconds: float = 120) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(path), str(seconds)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def release(locker: subprocess.Popen) -> None:
    locker.stdin.close()
    locker.wait(timeout=30)


def test_reads_go_on_while_another_process_holds_the_write_lock(kb_path, settings, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    store = open_knowledge(path)
    locker = hold_lock(path)
    try:
        app = create_app(settings.model_copy(update={"kb_path": path, "rate_limit_enabled": False}))
        app.extensions["reader_context.analyzer"]._store = store
        res = app.test_client().post("/api/v1/analyze", json={"text": "Vladimir Putin visited Palmyra in Syria."})
        assert res.status_code == 200 and "wikipedia:Syria" in res.get_json()["cards"]
        assert locker.poll() is None, "the answer came only after the writer let go"
    finally:
        release(locker)


def test_a_build_waits_for_a_short_lock_and_names_a_long_one(kb_path, tmp_path, monkeypatch):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'builder'")  # stale: opening must rebuild
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 0.5)
    locker = hold_lock(path)
    try:
        with pytest.raises(KnowledgeError, match=r"locked by another process \(waited 0.5 s\)"):
            open_knowledge(path)
    finally:
        release(locker)
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_SECONDS", 30.0)
    locker = hold_lock(path, 3)
    try:
        store = open_knowledge(path)  # waits for the writer to let go, then rebuilds
    finally:
        release(locker)
    assert store.stats()["by_source"]["embedded"] > 10_000 and store.meta()["builder"] != "0"
