"""The knowledge base under operations (issue 16, item 5): online writes while readers read, imports and
builds of many lines, the file replaced under a running server, a full disk, and the never-link list."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from gunicorn_server import running_gunicorn
from wikipedia_standin import closed_port_url

from reader_context import cli
from reader_context.knowledge import Entity, KnowledgeStore, build_embedded, import_user_entries
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings
from reader_context.web import create_app

pytestmark = pytest.mark.slow  # each test works on a copy of the real knowledge base

ROOT = Path(__file__).resolve().parents[1]


def copy_kb(kb_path: Path, to: Path) -> Path:
    """A consistent copy of the session's knowledge base (SQLite's backup API, WAL included)."""
    with sqlite3.connect(kb_path) as src, sqlite3.connect(to) as dst:
        src.backup(dst)
    return to


def online_entity(title: str, kind: str = "person", **values) -> Entity:
    return Entity(id=f"wikipedia:{title}", title=title, kind=kind, description="Someone", summary=f"{title}.",
                  url=None, source="wikipedia", attribution=None, aliases=((title, "title", 1.0),), **values)


def card_of(analyzer: Analyzer, text: str, name: str) -> str | None:
    # `auto` with Wikipedia out of reach: the base's Wikipedia entries serve (`never` would take none of them).
    result = analyzer.analyze([Block(f"b{time.monotonic_ns()}", text)], online="auto")
    return next((m.card for m in result.mentions if m.text == name), "no mention")


# -- the alias-key cache ------------------------------------------------------------------------------


def test_online_writes_are_read_as_what_they_add_not_the_whole_alias_table_again(kb_path, settings, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    analyzer = Analyzer(settings.model_copy(update={"kb_path": path, "wikipedia_url": closed_port_url()}))
    analyzer.warm_up()
    store = analyzer.store
    whole_reads = []
    weak_keys = store.weak_keys
    store.weak_keys = lambda *among: whole_reads.append(not among or among[0] is None) or weak_keys(*among)
    assert card_of(analyzer, "Vladimir Putin spoke.", "Vladimir Putin") == "wikipedia:Vladimir Putin"
    cached = len(analyzer.linker.store._aliases)
    writer = KnowledgeStore(path)  # another connection, as the online lookups' threads have
    for i, (title, kind) in enumerate([("Quorblax Indigo", "person"), ("Zembratide", "concept")] * 3):
        writer.put_wikipedia({title: online_entity(title, kind)}, time.time())
        assert card_of(analyzer, f"Vladimir Putin met Quorblax Indigo on day {i}.", "Quorblax Indigo") \
            == "wikipedia:Quorblax Indigo"
    # A single word that names only a concept is never a mention by itself, learnt from the keys just written.
    assert card_of(analyzer, "Zembratide rose again in May.", "Zembratide") == "no mention"
    assert not any(whole_reads), "an online write made the alias index read every alias again"
    # The linker's cache forgot only what was written: Putin's aliases are still there.
    assert "vladimir putin" in analyzer.linker.store._aliases and len(analyzer.linker.store._aliases) >= cached


# -- imports ------------------------------------------------------------------------------------------


def user_lines(count: int, tag: str) -> str:
    return "".join(json.dumps({"title": f"{tag} Company {i}", "summary": f"{tag} Company {i} makes things.",
                               "aliases": [f"{tag} Co {i}"], "kind": "organization"}) + "\n" for i in range(count))


def test_a_large_import_is_fast_and_other_writers_wait_a_batch_at_most(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(user_lines(10_000, "First"), encoding="utf-8")
    second.write_text(user_lines(3_000, "Second"), encoding="utf-8")
    stamp = KnowledgeStore(path).build_stamp()
    users = KnowledgeStore(path).stats()["by_source"].get("user", 0)  # the session's base may hold a test's own
    reports, waits = {}, []

    def run(name: str, file: Path) -> None:
        reports[name] = import_user_entries(KnowledgeStore(path), file)

    started = time.monotonic()
    imports = [threading.Thread(target=run, args=(name, file)) for name, file in (("first", first), ("second", second))]
    for thread in imports:
        thread.start()
    online = KnowledgeStore(path)  # what online lookups write meanwhile
    while any(t.is_alive() for t in imports):
        asked = time.monotonic()
        online.put_wikipedia_name(f"Name {len(waits)}", [], time.time())
        waits.append(time.monotonic() - asked)
    for thread in imports:
        thread.join()
    took = time.monotonic() - started
    assert reports["first"].added == 10_000 and reports["second"].added == 3_000  # the second did not give up
    assert took < 30, f"13,000 lines took {took:.0f} s"
    assert max(waits) < 5, f"an online write waited {max(waits):.1f} s for the imports"
    store = KnowledgeStore(path)
    assert store.lookup("First Co 9999").title == "First Company 9999"
    # Only added entries: every worker's alias index reads them as additions, without a rebuild.
    assert store.build_stamp() == stamp
    import_user_entries(store, second)  # imported again: its rows were replaced, which readers must learn
    assert store.build_stamp() != stamp and store.stats()["by_source"]["user"] == users + 13_000


def test_a_rebuild_under_a_server_is_seen_whole_and_holds_online_writes_for_its_copy_only(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    builder, held = KnowledgeStore(path), []
    write = builder.write

    @contextmanager
    def timed_write():  # how long each of the build's transactions holds the write lock
        with write() as conn:
            started = time.monotonic()
            yield conn
        held.append(time.monotonic() - started)

    builder.write = timed_write
    build = threading.Thread(target=build_embedded, args=(builder,), kwargs={"force": True})
    online, reader = KnowledgeStore(path), KnowledgeStore(path)
    stamp = reader.build_stamp()
    waits, seen = [], []
    build.start()
    while build.is_alive():
        asked = time.monotonic()
        online.put_wikipedia_name(f"Name {len(waits)}", [], time.time())
        waits.append(time.monotonic() - asked)
        seen.append(reader.lookup("Paris").id)  # never a half-built base: every read finds the embedded Paris
        time.sleep(0.05)
    assert set(seen) == {"wikipedia:Paris"} and reader.build_stamp() != stamp
    # The build in one transaction held them for 14 s of a 20 s build on two busy cores, its copy in one
    # transaction for 1-3.6 s. Now a write waits for one batch at most (and SQLite's retry, every 100 ms at most).
    assert len(held) > 10, "copied in batches"
    assert max(waits) < max(held) + 0.3, f"an online write waited {max(waits):.2f} s, a batch {max(held):.2f} s"
    assert not [p for p in tmp_path.iterdir() if ".build" in p.name and not p.name.endswith(".build.lock")]


def test_a_build_cut_short_is_done_again_and_two_builds_take_turns(kb_path, tmp_path, monkeypatch):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    with sqlite3.connect(path) as conn:  # built by an older version: the next start rebuilds
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'builder'")
        embedded = conn.execute("SELECT COUNT(*) FROM entities WHERE source = 'embedded'").fetchone()[0]
    copied = []
    real = KnowledgeStore.replace_range_from

    def dies_after_three(conn, schema, first, last):
        if len(copied) == 3:
            raise KeyboardInterrupt  # the process stopped in the middle of the copy
        copied.append(first)
        real(conn, schema, first, last)

    monkeypatch.setattr(KnowledgeStore, "replace_range_from", staticmethod(dies_after_three))
    with pytest.raises(KeyboardInterrupt):
        build_embedded(KnowledgeStore(path))
    monkeypatch.setattr(KnowledgeStore, "replace_range_from", staticmethod(real))
    store = KnowledgeStore(path)
    store.create_schema()
    assert store.meta()["builder"] == "0" and store.lookup("Paris").id == "wikipedia:Paris"
    # Two processes start on the stale base at once: one builds, the other waits for it and finds it current.
    with ThreadPoolExecutor(2) as pool:
        reports = list(pool.map(lambda _: build_embedded(KnowledgeStore(path)), range(2)))
    assert sorted(r is None for r in reports) == [False, True]
    assert store.meta()["builder"] != "0" and store.stats()["by_source"]["embedded"] == embedded
    assert not (tmp_path / "kb.sqlite3.build").exists()


# -- the never-link list --------------------------------------------------------------------------------


def test_a_rebuild_keeps_a_user_alias_that_is_on_the_never_link_list(kb_path, tmp_path):
    path = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    mine = tmp_path / "mine.jsonl"
    # "America" never links to an embedded entry (data/aliases.yaml); a user may still name their own that way.
    mine.write_text(json.dumps({"title": "America Newspaper Group", "aliases": ["America"],
                                "kind": "organization"}) + "\n", encoding="utf-8")
    store = KnowledgeStore(path)
    import_user_entries(store, mine)
    assert [hit.entity_id for hit in store.lookup_alias("america")] == ["user:America Newspaper Group"]
    build_embedded(store, force=True)
    assert [hit.entity_id for hit in store.lookup_alias("america")] == ["user:America Newspaper Group"]


# -- a full disk ------------------------------------------------------------------------------------------


@pytest.fixture()
def full_disk(kb_path, tmp_path, monkeypatch):
    """A copy of the base on a disk that `fill()` makes full: a real small tmpfs where this process may mount
    one (root in a container), else SQLite's own page limit on every connection, which fails writes that grow
    the file the same way (SQLITE_FULL, "database or disk is full")."""
    mount = tmp_path / "disk"
    mount.mkdir()
    size = kb_path.stat().st_size + 8 * 2**20
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
                             capture_output=True).returncode == 0
    path = copy_kb(kb_path, mount / "kb.sqlite3")
    full = []

    def fill() -> None:
        if mounted:
            with open(mount / "filler", "wb") as fh:
                try:
                    while True:
                        fh.write(b"\0" * 65536)
                        fh.flush()
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
        else:
            full.append(True)

    if not mounted:
        connection = KnowledgeStore.connection

        def limited(self):
            conn = connection(self)
            if full:
                conn.execute(f"PRAGMA max_page_count = {conn.execute('PRAGMA page_count').fetchone()[0]}")
            return conn

        monkeypatch.setattr(KnowledgeStore, "connection", limited)
    yield path, fill
    if mounted:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_leaves_online_cards_uncached_not_503(full_disk, standin, settings):
    path, fill = full_disk
    app = create_app(settings.model_copy(update={
        "kb_path": path, "data_dir": path.parent, "wikipedia_url": standin.url, "online": "always",
        "deadline_ms": 10_000}))
    client = app.test_client()
    assert client.get("/api/v1/health").status_code == 200
    fill()
    for context in ("of UNESCO", "the head of UNESCO", "once of UNESCO", "formerly of UNESCO"):
        res = client.post("/api/v1/analyze", json={"text": f"Irina Bokova, {context}, spoke in Paris on Monday."})
        assert res.status_code == 200, res.get_json()
        assert "wikipedia:Irina Bokova" in res.get_json()["cards"], res.get_json()["mentions"]
    assert client.get("/api/v1/health").status_code == 200
    assert KnowledgeStore(path).wikipedia_name("Irina Bokova") is None  # not cached in the base: it could not be


@pytest.mark.parametrize("command", ["import", "build"])
def test_kb_import_and_build_say_disk_full_in_one_sentence(full_disk, tmp_path, monkeypatch, command):
    path, fill = full_disk
    mine = tmp_path / "mine.jsonl"
    mine.write_text(user_lines(3_000, "Full"), encoding="utf-8")
    monkeypatch.setattr(cli, "get_settings", lambda: Settings(kb_path=path, data_dir=path.parent))
    fill()
    result = CliRunner().invoke(cli.main, ["kb", "import", str(mine)] if command == "import" else ["kb", "build"])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: disk full:") and "Traceback" not in result.output
    (path.parent / "filler").unlink(missing_ok=True)  # room again: nothing was lost
    assert KnowledgeStore(path).stats()["by_source"]["embedded"] > 10_000


# -- the file replaced under a running server ---------------------------------------------------------------


def post(port: int, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/{path}", method="POST" if body else "GET",
                                     data=json.dumps(body).encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as res:
            return res.status, json.load(res)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


@pytest.mark.parametrize("replace", ["mv", "cp"])
def test_a_base_replaced_under_a_running_server_is_refused_by_name_and_never_corrupted(kb_path, tmp_path, standin,
                                                                                      replace):
    live = copy_kb(kb_path, tmp_path / "kb.sqlite3")
    new = copy_kb(kb_path, tmp_path / "new.sqlite3")
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"title": "Quorblax Holdings", "kind": "organization"}) + "\n", encoding="utf-8")
    import_user_entries(KnowledgeStore(new), mine)
    with sqlite3.connect(new) as conn:  # a base built elsewhere: its own header number, no -wal beside it
        conn.execute("PRAGMA user_version = 12345")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    env = {"READER_CONTEXT_KB_PATH": str(live), "READER_CONTEXT_WIKIPEDIA_URL": standin.url,
           "READER_CONTEXT_ONLINE": "always", "READER_CONTEXT_RATE_LIMIT_ENABLED": "false", "WEB_CONCURRENCY": "2",
           "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    args = ["--config", str(ROOT / "gunicorn.conf.py")]  # the deployment as it ships, with two workers
    log = tmp_path / "gunicorn.log"
    answers: list[tuple[float, int, str | None]] = []
    with log.open("w") as out, running_gunicorn(args, env, log=out) as (port, _server):
        stop = threading.Event()

        def traffic(n: int) -> None:  # readers whose names Wikipedia answers: the workers write as they go
            while not stop.is_set():
                n += 2
                sent = time.monotonic()  # when it was asked: one asked before the replacement may answer after it
                status, body = post(port, "analyze", {"text": f"Irina Bokova, of UNESCO {n}, spoke in Paris."})
                answers.append((sent, status, body.get("error", {}).get("code")))

        readers = [threading.Thread(target=traffic, args=(i,)) for i in range(2)]
        for thread in readers:
            thread.start()
        until = time.monotonic() + 120
        while not any(status == 200 for _, status, _ in answers) and time.monotonic() < until:
            time.sleep(0.1)
        replaced_at = time.monotonic()
        if replace == "mv":
            os.replace(new, live)
        else:
            shutil.copyfile(new, live)  # rewrites the same file in place
        time.sleep(3)
        stop.set()
        for thread in readers:
            thread.join()
        health, _ = post(port, "health")
    assert any(status == 200 for at, status, _ in answers if at < replaced_at)
    later = [(status, code) for at, status, code in answers if at > replaced_at + 1]
    assert later and set(later) == {(503, "knowledge_unavailable")}, later
    assert all(status in (200, 503) for _, status, _ in answers)
    assert health == 503
    assert ("was moved" if replace == "mv" else "overwritten in place") in log.read_text()
    # Restarted, the server serves the new file, whole.
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with running_gunicorn(args, env) as (port, _server):
        status, body = post(port, "analyze", {"text": "Quorblax Holdings bought a newspaper in Paris."})
    assert status == 200 and "user:Quorblax Holdings" in body["cards"]
    with sqlite3.connect(live) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
