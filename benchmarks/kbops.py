"""The knowledge base under operations (issue 16): `kb import` time by size, and a short analysis's latency
while online lookups write through and after a large import.

    python benchmarks/kbops.py import --lines 50000 [--base BASE]
    python benchmarks/kbops.py latency [--base BASE] [--runs 60] [--import-lines 20000]
    python benchmarks/kbops.py build [--base BASE]
    python benchmarks/kbops.py replace --replace mv|cp [--base BASE] [--runs 60]

BASE is a built knowledge base (default: one built into a temporary folder); each run works on a copy.
`import` runs the real command (`reader-context kb import`) on generated entries. `latency` analyses a short
text on a pool of 4 threads (as a gunicorn worker's threads would), one at a time: quiet; each right after
another thread's connection wrote one Wikipedia entity through to the base (what an online lookup does);
quiet again; and after importing --import-lines entries. Each analysis has a new block id, so the response
cache never answers.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# PYTHONPATH chooses the code measured (this tree's server/ by default), so a before/after can run old code.
if not os.environ.get("PYTHONPATH"):
    sys.path.insert(0, str(ROOT / "server"))

from reader_context.knowledge import Entity, import_user_entries, open_knowledge  # noqa: E402
from reader_context.pipeline import Analyzer, Block  # noqa: E402
from reader_context.settings import Settings  # noqa: E402

SHORT = "Vladimir Putin met Emmanuel Macron in Paris on Tuesday to discuss the war in Ukraine."


def entries(lines: int, tag: str = "Kbops") -> str:
    return "".join(json.dumps({
        "title": f"{tag} Company {i}", "description": f"A company numbered {i}",
        "summary": f"{tag} Company {i} makes things in town {i % 97}.", "aliases": [f"{tag} Co {i}", f"KC{i}"],
        "kind": "organization"}) + "\n" for i in range(lines))


def base_copy(base: Path | None, folder: Path) -> Path:
    path = folder / "knowledge.sqlite3"
    if base is None:
        open_knowledge(path)
    else:
        shutil.copyfile(base, path)
    return path


def run_import(args, folder: Path) -> None:
    path = base_copy(args.base, folder)
    lines = folder / "mine.jsonl"
    lines.write_text(entries(args.lines), encoding="utf-8")
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(path),
           "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "server")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "reader_context.cli", "kb", "import", str(lines)], env=env,
                          capture_output=True, text=True)
    print(f"kb import of {args.lines} lines: {time.perf_counter() - started:.1f} s, exit {done.returncode}:"
          f" {(done.stdout or done.stderr).strip().splitlines()[-1]}")


def timed(analyzer: Analyzer, pool: ThreadPoolExecutor) -> float:
    n = next(_COUNTER)  # a new block id each time: the response cache never answers

    def run() -> float:
        started = time.perf_counter()
        analyzer.analyze([Block(f"b{n}", SHORT)], online="never")
        return (time.perf_counter() - started) * 1000

    return pool.submit(run).result()


_COUNTER = itertools.count()


def online_write(store, i: int) -> None:
    """What a Wikipedia lookup's write-through does: one new entity with its aliases."""
    title = f"Kbops Online {i}"
    store.put_wikipedia({title: Entity(
        id=f"wikipedia:{title}", title=title, kind="person", description="Someone", summary="Someone.",
        url=None, source="wikipedia", attribution=None, aliases=((title, "title", 1.0), (f"KO{i}", "lead", 0.9)))},
        time.time())


def run_latency(args, folder: Path) -> None:
    path = base_copy(args.base, folder)
    analyzer = Analyzer(Settings(kb_path=path, data_dir=folder, online="never"))
    analyzer.warm_up()
    # Four request threads, as a gunicorn worker has; each analysis goes to whichever is free.
    with ThreadPoolExecutor(4) as pool:
        for _ in range(20):
            timed(analyzer, pool)
        quiet = [timed(analyzer, pool) for _ in range(args.runs)]
        print(f"short analysis, quiet: median {statistics.median(quiet):.1f} ms over {len(quiet)}")
        # The writes come from another connection, as online lookups' write-through does from the lookup threads.
        writer = ThreadPoolExecutor(1)
        store = writer.submit(open_knowledge, path).result()
        busy = []
        for i in range(args.runs):
            writer.submit(online_write, store, i).result()
            busy.append(timed(analyzer, pool))
        print(f"short analysis, each after one online write: median {statistics.median(busy):.1f} ms over {len(busy)}")
        # What the alias index alone spends catching up with one write, on whichever request thread is free.
        refresh = []
        for i in range(args.runs, 2 * args.runs):
            writer.submit(online_write, store, i).result()
            started = time.perf_counter()
            pool.submit(analyzer.mentions.aliases.refresh).result()
            refresh.append((time.perf_counter() - started) * 1000)
        print(f"alias index catching up with one online write: median {statistics.median(refresh):.1f} ms")
        after = [timed(analyzer, pool) for _ in range(args.runs)]
        print(f"short analysis, after {2 * args.runs} online writes, quiet again: median {statistics.median(after):.1f} ms")
        lines = folder / "mine.jsonl"
        lines.write_text(entries(args.import_lines, "Later"), encoding="utf-8")
        writer.submit(import_user_entries, store, lines).result()
        writer.shutdown()
        first = timed(analyzer, pool)
        imported = [timed(analyzer, pool) for _ in range(args.runs)]
        print(f"short analysis after importing {args.import_lines} entries: first {first:.0f} ms, then median"
              f" {statistics.median(imported):.1f} ms")


def run_build(args, folder: Path) -> None:
    """`kb build` on a base a server is using: how long it takes, and how long an online write waits meanwhile."""
    path = base_copy(args.base, folder)
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(path),
           "PYTHONPATH": os.environ.get("PYTHONPATH") or str(ROOT / "server")}
    store = open_knowledge(path)
    started = time.perf_counter()
    build = subprocess.Popen([sys.executable, "-m", "reader_context.cli", "kb", "build"], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    waits = []
    while build.poll() is None:
        asked = time.perf_counter()
        try:
            store.put_wikipedia_name(f"Name {len(waits)}", [], time.time())
        except Exception as exc:  # noqa: BLE001 (a benchmark reports what failed)
            print(f"an online write failed: {exc}")
        waits.append(time.perf_counter() - asked)
        time.sleep(0.05)
    print(f"kb build: {time.perf_counter() - started:.1f} s ({build.stdout.read().strip().splitlines()[-1]}); an online"
          f" write meanwhile waited at most {max(waits):.2f} s (median {statistics.median(waits) * 1000:.0f} ms)")


def run_replace(args, folder: Path) -> None:
    """A new base moved (`mv`) or copied (`cp`) over the one 2 gunicorn workers serve, under 4 readers whose names
    Wikipedia (the tests' stand-in) answers: the answers after it, and whether the file is whole afterwards."""
    import sqlite3
    import urllib.error
    import urllib.request

    sys.path.insert(0, str(ROOT / "tests"))
    from gunicorn_server import running_gunicorn
    from wikipedia_standin import WikipediaStandIn

    live, new = base_copy(args.base, folder), folder / "new.sqlite3"
    shutil.copyfile(live, new)

    def post(port: int, n: int) -> int:
        body = json.dumps({"text": f"Irina Bokova, of UNESCO {n}, spoke in Paris."}).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/analyze", data=body,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as res:
                return res.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return 0

    with WikipediaStandIn() as wiki:
        env = {"READER_CONTEXT_KB_PATH": str(live), "READER_CONTEXT_WIKIPEDIA_URL": wiki.url,
               "READER_CONTEXT_ONLINE": "always", "READER_CONTEXT_RATE_LIMIT_ENABLED": "false"}
        gunicorn = ["--workers", "2", "--threads", "4", "--bind", "127.0.0.1:{port}", "reader_context.web:create_app()"]
        with running_gunicorn(gunicorn, env) as (port, _server):
            for n in range(4):
                post(port, n)
            if args.replace == "mv":
                os.replace(new, live)
            else:
                shutil.copyfile(new, live)
            with ThreadPoolExecutor(4) as pool:
                statuses = list(pool.map(lambda n: post(port, n), range(100, 100 + args.runs)))
    with sqlite3.connect(live) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    counts = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"{args.replace} over a running server: {len(statuses)} analyses after it answered {counts};"
          f" integrity_check after the server stopped: {integrity[:80]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["import", "latency", "build", "replace"])
    parser.add_argument("--replace", choices=["mv", "cp"], default="mv")
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--import-lines", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        {"import": run_import, "latency": run_latency, "build": run_build,
         "replace": run_replace}[args.what](args, Path(folder))


if __name__ == "__main__":
    main()
