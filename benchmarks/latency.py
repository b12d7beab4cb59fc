"""/analyze as a client sees it, warm, by article length, against the bare spaCy pass on the same text; the
response-cache hit; cold start; resident memory over many requests.

    python benchmarks/latency.py [--runs 15] [--requests 10000]

/analyze is timed over HTTP: a client on one keep-alive connection to the deployment's own server (gunicorn
with gunicorn.conf.py, one worker) on loopback, from sending the request to having read the whole answer;
the server's own time (`stats.elapsed_ms`) is shown beside it. Median of --runs after warm-up; each run
changes one block id so the response cache misses, except in the cache-hit column. The spaCy pass is
`nlp.pipe` over the same blocks with the same pipes, timed in a process of its own (as the server's work is in
the server's process, so both pay alike for running beside this client), in the same run and interleaved
with the requests, so the ratio does not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from http.client import HTTPConnection
from pathlib import Path

import psutil
from common import ROOT, SEED, article_of, gunicorn, machine, median_ms

COLD_START = """
import json, time
from reader_context.web import create_app
app = create_app()
res = app.test_client().post("/api/v1/analyze", json={"text": "Vladimir Putin visited Damascus."})
assert res.status_code == 200
"""


def cold_start(kb: Path) -> float:
    """A new process from interpreter start to its first answer: imports, model, knowledge base."""
    env = {**os.environ, "READER_CONTEXT_KB_PATH": str(kb), "READER_CONTEXT_ONLINE": "never",
           "READER_CONTEXT_RATE_LIMIT_ENABLED": "false"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", COLD_START], env=env, capture_output=True, text=True, check=True)
    return time.perf_counter() - started


class SpacyPass:
    """The bare spaCy pass as a user of spaCy gets it: a process of its own with the library's defaults, the
    model the server loads, every pipe, nothing of ours."""

    def __init__(self, model: str):
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_spacy_pass, args=(model, child), daemon=True)
        self._process.start()

    def time(self, paras: list[str]) -> float:
        self._conn.send(paras)
        return self._conn.recv()

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(30)


def _spacy_pass(model: str, conn) -> None:
    import spacy

    nlp = spacy.load(model)
    while (paras := conn.recv()) is not None:
        started = time.perf_counter()
        list(nlp.pipe(paras))
        conn.send(time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--requests", type=int, default=10_000, help="requests of the memory run")
    args = parser.parse_args()

    from reader_context.settings import Settings
    from reader_context.web import create_app

    kb = Path(tempfile.mkdtemp()) / "knowledge.sqlite3"
    without = cold_start(kb)  # builds the knowledge base on the way
    with_kb = cold_start(kb)

    settings = Settings(kb_path=kb, online="never", rate_limit_enabled=False, request_log=False)
    app = create_app(settings)
    client = app.test_client()
    floor_process = SpacyPass(settings.spacy_model)

    texts = {
        "seed article": [l for l in SEED.read_text(encoding="utf-8").splitlines() if l.strip()],
        "250 words": article_of(250),
        "1,000 words": article_of(1000, start=40),
        "5,000 words": article_of(5000, start=120),
    }
    lines = ["| text | words | blocks | spaCy pass ms | server ms | over HTTP ms | ratio (HTTP / spaCy) | cache hit over HTTP ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    with gunicorn(1, kb) as port:
        http = HTTPConnection("127.0.0.1", port, timeout=60)  # one keep-alive connection, as the extension has
        for name, paras in texts.items():
            blocks = [{"id": f"p{i}", "text": t} for i, t in enumerate(paras)]
            words = sum(len(t.split()) for t in paras)
            served: list[float] = []

            def over_http(run: int, blocks=blocks) -> float:
                body = json.dumps({"blocks": [{**blocks[0], "id": f"run{run}"}] + blocks[1:]}).encode()
                t = time.perf_counter()
                http.request("POST", "/api/v1/analyze", body, {"Content-Type": "application/json"})
                res = http.getresponse()
                data = res.read()
                elapsed = time.perf_counter() - t
                assert res.status == 200, data
                served.append(json.loads(data)["stats"]["elapsed_ms"])
                return elapsed

            def floor(paras=paras) -> float:
                return floor_process.time(paras)

            for i in range(3):
                over_http(-1 - i), floor()
            spacy_s, http_s = [], []
            served.clear()
            for run in range(args.runs):
                spacy_s.append(floor())
                http_s.append(over_http(run))
            server_ms = statistics.median(served)
            hits = [over_http(0) for _ in range(args.runs)]  # run 0's request again: answered from the cache
            lines.append(f"| {name} | {words:,} | {len(blocks)} | {median_ms(spacy_s):.1f} | {server_ms:.1f} | "
                         f"{median_ms(http_s):.1f} | {median_ms(http_s) / median_ms(spacy_s):.2f} | {median_ms(hits):.2f} |")
        http.close()
    floor_process.close()
    rows = ["\n".join(lines),
            "| cold start to first answer | seconds |\n|---|---:|\n"
            f"| no knowledge base yet (built on the way) | {without:.2f} |\n| knowledge base built | {with_kb:.2f} |"]

    print("\n\n".join(rows), flush=True)  # the memory run below takes minutes

    # Memory: one worker's resident set after 1,000 requests (or fewer, if fewer asked) and after --requests.
    first = min(1_000, args.requests)
    pool = article_of(60_000, start=7)
    process = psutil.Process()
    marks = {}
    for n in range(1, args.requests + 1):
        paras = pool[(n * 3) % (len(pool) - 3):][:3]
        body = {"blocks": [{"id": str(i), "text": t} for i, t in enumerate(paras)] + [{"id": "n", "text": str(n)}]}
        assert client.post("/api/v1/analyze", json=body).status_code == 200
        if n in (first, args.requests):
            gc.collect()
            marks[n] = process.memory_info().rss / 2**20
    growth = (marks[args.requests] / marks[first] - 1) * 100
    memory = f"| resident memory of one worker | MiB |\n|---|---:|\n| after {first:,} requests | {marks[first]:.0f} |"
    if args.requests > first:
        memory += f"\n| after {args.requests:,} requests | {marks[args.requests]:.0f} |\n| growth | {growth:+.1f} % |"
    rows.append(memory)
    report = "\n\n".join(rows)
    print(rows[-1])
    (ROOT / "docs" / "benchmarks-latency.md").write_text(
        f"Machine: {machine()}. Model {settings.spacy_model}, offline (`online: never`), "
        f"{args.runs} runs after 3 warm-up runs.\n\n{report}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
