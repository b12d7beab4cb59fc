"""How long /analyze takes on the seed article, warm, against the bare spaCy pass on the same text.

    python benchmarks/analyze_latency.py [--runs 30] [--seed ../shared/seed/palmyra-article.txt] [--write docs/benchmarks.md]

Server time is measured around the WSGI call (Flask test client, no network), as the median of
`--runs` requests after warm-up; the spaCy pass is `nlp.pipe` over the same blocks with the same
pipes, timed in the same run, so the ratio does not depend on how fast this machine is today.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--seed", type=Path, default=ROOT.parent / "shared" / "seed" / "palmyra-article.txt")
    parser.add_argument("--write", type=Path, help="also write the table to this markdown file")
    args = parser.parse_args()

    from reader_context.settings import Settings
    from reader_context.web import create_app

    text = args.seed.read_text(encoding="utf-8")
    blocks = [{"id": f"p{i}", "text": t} for i, t in enumerate(text.splitlines()) if t.strip()]
    kb = Path(os.environ.get("READER_CONTEXT_KB_PATH") or Path(tempfile.mkdtemp()) / "knowledge.sqlite3")
    settings = Settings(kb_path=kb)
    app = create_app(settings)
    client = app.test_client()
    analyzer = app.extensions["reader_context.analyzer"]
    nlp = analyzer.nlp

    def server(features):
        started = time.perf_counter()
        res = client.post("/api/v1/analyze", json={"blocks": blocks, "features": features})
        elapsed = time.perf_counter() - started
        assert res.status_code == 200, res.data
        return elapsed

    def spacy_pass():
        started = time.perf_counter()
        list(nlp.pipe(b["text"] for b in blocks))
        return time.perf_counter() - started

    for _ in range(5):
        server(["entities", "terms"])
        spacy_pass()
    rows = {"spaCy pass (floor)": [], "/analyze entities only": [], "/analyze entities + terms": []}
    for _ in range(args.runs):  # interleaved, so drift hits all three alike
        rows["spaCy pass (floor)"].append(spacy_pass())
        rows["/analyze entities only"].append(server(["entities"]))
        rows["/analyze entities + terms"].append(server(["entities", "terms"]))

    floor = statistics.median(rows["spaCy pass (floor)"])
    words = sum(len(b["text"].split()) for b in blocks)
    lines = [
        f"Seed article, {words} words in {len(blocks)} blocks; {args.runs} runs after 5 warm-up runs; "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"model {settings.spacy_model}.",
        "",
        "| what | median ms | p90 ms | ratio to spaCy pass |",
        "|---|---:|---:|---:|",
    ]
    for name, samples in rows.items():
        med = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        lines.append(f"| {name} | {med * 1000:.1f} | {p90 * 1000:.1f} | {med / floor:.2f} |")
    table = "\n".join(lines)
    print(table)
    if args.write:
        args.write.write_text("# Benchmarks\n\nMade by `make bench` (`benchmarks/analyze_latency.py`).\n\n"
                              "## /analyze on the seed article, warm\n\n" + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
