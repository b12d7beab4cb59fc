"""The command line, run as a user would run it: a subprocess with the installed console script."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test starts the console script, which loads the model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def run(kb_path):
    exe = shutil.which("reader-context", path=str(Path(sys.executable).parent)) or "reader-context"
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(kb_path)}

    def call(*args, stdin=None):
        return subprocess.run([exe, *args], input=stdin, capture_output=True, text=True, env=env, timeout=300)

    return call


def test_analyze_json_is_exactly_the_api_response(run, client):
    text = "Irina Bokova, of UNESCO, said the savage attack on Palmyra was a war crime."
    res = run("analyze", "-", "--json", stdin=text)
    assert res.returncode == 0, res.stderr
    cli = json.loads(res.stdout)
    api = client.post("/api/v1/analyze", json={"text": text}).get_json()
    for body in (cli, api):
        body["stats"].pop("elapsed_ms"), body["stats"].pop("cached", None)
    assert cli == api


def test_analyze_report_is_readable(run, tmp_path):
    path = tmp_path / "article.txt"
    path.write_text("Vladimir Putin flew to Damascus.", encoding="utf-8")
    res = run("analyze", str(path))
    assert res.returncode == 0, res.stderr
    assert "Vladimir Putin -> Vladimir Putin [embedded, person]" in res.stdout
    assert "Damascus -> Damascus [embedded, place]" in res.stdout


def test_kb_stats_lookup_and_import(run, tmp_path, kb_path):
    stats = json.loads(run("kb", "stats").stdout)
    assert stats["entities"] > 10_000 and stats["path"] == str(kb_path)
    card = json.loads(run("kb", "lookup", "Putin").stdout)
    assert card["title"] == "Vladimir Putin"
    missing = run("kb", "lookup", "Xyzzyplugh Qwerty")
    assert missing.returncode == 1 and "no card" in missing.stderr

    entries = tmp_path / "entries.jsonl"
    entries.write_text('{"title": "Cli Test Entity", "kind": "other"}\n{"title": 3}\n', encoding="utf-8")
    res = run("kb", "import", str(entries))
    assert res.returncode == 0
    assert "imported 1 entries; skipped 1 lines" in res.stdout
    assert f"{entries}:2: skipped" in res.stderr


def test_a_missing_file_is_a_clear_error(run):
    res = run("analyze", "/no/such/file.txt")
    assert res.returncode == 2 and res.stderr.startswith("error:")


def test_thresholds_that_are_not_numbers_are_a_clear_error(run, tmp_path):
    gold = tmp_path / "empty.jsonl"
    gold.write_text("")
    res = run("eval", "entities", "--thresholds", "0.5,high", str(gold))
    assert res.returncode == 2 and "--thresholds" in res.stderr and "Traceback" not in res.stderr


def test_readme_documents_every_setting():
    from reader_context.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"READER_CONTEXT_{name.upper()}" in readme, name
    assert re.search(r"^make test", readme, re.M) and re.search(r"^make run", readme, re.M)


@contextmanager
def serving(kb_path, *args, env=None):
    """`reader-context serve` on a free port, as a reader starts it; yields (base URL, process)."""
    from gunicorn_server import free_port

    port = free_port()
    exe = shutil.which("reader-context", path=str(Path(sys.executable).parent)) or "reader-context"
    proc = subprocess.Popen([exe, "serve", "--port", str(port), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "READER_CONTEXT_KB_PATH": str(kb_path),
                                            "READER_CONTEXT_ONLINE": "never", **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        until = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(url + "/api/v1/health", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < until, proc.communicate()[1]
                time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(30)


def _post(url: str, body: dict) -> int:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as res:
            return res.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_the_local_server_never_rate_limits_its_reader(kb_path):
    with serving(kb_path) as (url, _):
        statuses = [_post(url + "/api/v1/analyze", {"text": f"Flooding in Timbuktu, day {i}."}) for i in range(300)]
    assert statuses == [200] * 300


def test_a_folder_of_articles_gives_one_response_a_line_and_names_what_failed(run, tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Oumar Diallo met UNESCO officials in Bamako.", encoding="utf-8")
    b.write_text("Volunteers carried crates to higher ground in Timbuktu.", encoding="utf-8")
    both = run("analyze", str(a), str(b), "--jsonl")
    assert both.returncode == 0, both.stderr
    lines = both.stdout.splitlines()
    assert len(lines) == 2
    assert [{m["text"] for m in json.loads(line)["mentions"]} >= names
            for line, names in zip(lines, ({"UNESCO", "Bamako"}, {"Timbuktu"}))] == [True, True]

    missing = tmp_path / "missing.txt"
    partly = run("analyze", str(a), str(missing), "-", "--jsonl", stdin="The savage floods reached Mali.")
    assert partly.returncode == 1
    assert len(partly.stdout.splitlines()) == 2, "the files that could be read are still answered"
    assert f"{missing}" in partly.stderr.splitlines()[-1] and "Traceback" not in partly.stderr
    assert run("analyze", str(a), str(b), "--json").returncode == 2, "--json is one response; --jsonl is for many"


def test_a_folder_stands_for_its_articles(run, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "b.txt").write_text("Volunteers carried crates to higher ground in Timbuktu.", encoding="utf-8")
    (folder / "a.txt").write_text("Oumar Diallo met UNESCO officials in Bamako.", encoding="utf-8")
    (folder / "notes.md").write_text("Not an article.", encoding="utf-8")
    result = run("analyze", str(folder), "--jsonl")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2, "one response for each .txt file, none for other files"
    assert "UNESCO" in {m["text"] for m in lines[0]["mentions"]}, "in name order: a.txt first"
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = run("analyze", str(empty))
    assert refused.returncode == 2 and "no .txt files" in refused.stderr


def test_version_and_help_say_what_a_person_needs(run):
    from reader_context import __version__

    assert run("--version").stdout.strip() == f"reader-context, version {__version__}"
    serve = run("serve", "--help").stdout
    assert "[default: 5000" in serve and "[default: 127.0.0.1]" in serve and "never rate-" in serve
    kb = run("kb", "--help").stdout
    for command in ("build", "import", "lookup", "stats", "warm"):
        assert re.search(rf"^\s+{command}\s+\S", kb, re.M), f"kb {command} has no description"


def test_a_busy_port_is_one_clear_sentence(run):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        res = run("serve", "--port", str(port))
    assert res.returncode == 1
    assert res.stderr.strip() == (f"Error: port {port} on 127.0.0.1 is already in use; choose another with"
                                  " `make run PORT=5050` or `reader-context serve --port 5050`")


def test_a_closed_pipe_is_not_an_error(kb_path, tmp_path):
    files = []
    for i in range(6):  # more than a pipe holds, so the writes meet the closed end
        files.append(tmp_path / f"{i}.txt")
        files[-1].write_text((ROOT / "examples" / "sample-article.txt").read_text(encoding="utf-8"), encoding="utf-8")
    exe = shutil.which("reader-context", path=str(Path(sys.executable).parent)) or "reader-context"
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(kb_path)}
    proc = subprocess.Popen([exe, "analyze", *map(str, files), "--jsonl", "--online", "never"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.read(100)
    proc.stdout.close()  # what `| head -c 100` does
    assert proc.wait(300) == 0
    assert proc.stderr.read() == b""


def test_an_import_shows_in_the_very_next_answer_of_a_running_server(run, kb_path, tmp_path):
    import sqlite3

    copy = tmp_path / "knowledge.sqlite3"  # the session's base stays as the other tests expect it
    with sqlite3.connect(kb_path) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    text = {"text": "The Qorvath Trust paid for the pumps in Timbuktu."}

    def cards(url):
        req = urllib.request.Request(url + "/api/v1/analyze", data=json.dumps(text).encode(),
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            return set(json.load(res)["cards"])

    with serving(copy) as (url, _):
        assert "user:Qorvath Trust" not in cards(url)
        entries = tmp_path / "entries.jsonl"
        entries.write_text('{"title": "Qorvath Trust", "kind": "organization", "description": "A charity"}\n')
        imported = subprocess.run([shutil.which("reader-context", path=str(Path(sys.executable).parent)), "kb",
                                   "import", str(entries)], env={**os.environ, "READER_CONTEXT_KB_PATH": str(copy)},
                                  capture_output=True, text=True, timeout=300)
        assert imported.returncode == 0, imported.stderr
        assert "user:Qorvath Trust" in cards(url), "the response cache must not outlive the import"
