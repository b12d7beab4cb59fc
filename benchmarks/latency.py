"""Server time of /analyze, warm, by article length, against the bare spaCy pass on the same text; the
response-cache hit; cold start; resident memory over many requests.

    python benchmarks/latency.py [--runs 15] [--requests 10000]

Server time is taken around the WSGI call (Flask's test client: no network, no load generator), median
of --runs after warm-up; each run changes one block id so the response cache misses, except in the
cache-hit column. The spaCy pass is `nlp.pipe` over the same blocks with the same pipes, timed in the same
run and interleaved with the requests, so the ratio does not depend on how busy the machine is.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
from common import ROOT, SEED, article_of, machine, median_ms

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
    nlp = app.extensions["reader_context.analyzer"].nlp

    texts = {
        "seed article": [l for l in SEED.read_text(encoding="utf-8").splitlines() if l.strip()],
        "250 words": article_of(250),
        "1,000 words": article_of(1000, start=40),
        "5,000 words": article_of(5000, start=120),
    }
    lines = ["| text | words | blocks | spaCy pass ms | /analyze ms | ratio | cache hit ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, paras in texts.items():
        blocks = [{"id": f"p{i}", "text": t} for i, t in enumerate(paras)]
        words = sum(len(t.split()) for t in paras)

        def server(run: int, blocks=blocks) -> float:
            body = {"blocks": [{**blocks[0], "id": f"run{run}"}] + blocks[1:]}
            t = time.perf_counter()
            res = client.post("/api/v1/analyze", json=body)
            elapsed = time.perf_counter() - t
            assert res.status_code == 200, res.data
            return elapsed

        def floor(paras=paras) -> float:
            t = time.perf_counter()
            list(nlp.pipe(paras))
            return time.perf_counter() - t

        for i in range(3):
            server(-1 - i), floor()
        spacy_s, server_s = [], []
        for run in range(args.runs):
            spacy_s.append(floor())
            server_s.append(server(run))
        hits = [server(0) for _ in range(args.runs)]  # run 0's request again: answered from the cache
        lines.append(f"| {name} | {words:,} | {len(blocks)} | {median_ms(spacy_s):.1f} | {median_ms(server_s):.1f} | "
                     f"{median_ms(server_s) / median_ms(spacy_s):.2f} | {median_ms(hits):.2f} |")
    rows = ["\n".join(lines),
            "| cold start to first answer | seconds |\n|---|---:|\n"
            f"| no knowledge base yet (built on the way) | {without:.2f} |\n| knowledge base built | {with_kb:.2f} |"]

    # Memory: one worker's resident set after 1,000 requests and after --requests, on varied real text.
    pool = article_of(60_000, start=7)
    process = psutil.Process()
    marks = {}
    for n in range(1, args.requests + 1):
        paras = pool[(n * 3) % (len(pool) - 3):][:3]
        body = {"blocks": [{"id": str(i), "text": t} for i, t in enumerate(paras)] + [{"id": "n", "text": str(n)}]}
        assert client.post("/api/v1/analyze", json=body).status_code == 200
        if n in (1_000, args.requests):
            gc.collect()
            marks[n] = process.memory_info().rss / 2**20
    growth = (marks[args.requests] / marks[1_000] - 1) * 100
    rows.append(
        f"| resident memory of one worker | MiB |\n|---|---:|\n| after 1,000 requests | {marks[1_000]:.0f} |\n"
        f"| after {args.requests:,} requests | {marks[args.requests]:.0f} |\n| growth | {growth:+.1f} % |")
    report = "\n\n".join(rows)
    print(report)
    (ROOT / "docs" / "benchmarks-latency.md").write_text(
        f"Machine: {machine()}. Model {settings.spacy_model}, offline (`online: never`), "
        f"{args.runs} runs after 3 warm-up runs.\n\n{report}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
