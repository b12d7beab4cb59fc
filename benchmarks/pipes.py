"""Where the spaCy pass's time goes, pipe by pipe: the model as spaCy loads it, and as the server runs it (its
attribute ruler matched through an index, reader_context/token_rules.py).

    python benchmarks/pipes.py [--words 1000] [--runs 12]

Median of --runs over the same paragraphs of real news, each pipe timed over every paragraph.
"""

from __future__ import annotations

import argparse
import statistics
import time

import spacy
from common import article_of

from reader_context.nlp import load_pipeline
from reader_context.settings import Settings


def per_pipe(nlp, paras: list[str], runs: int) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in ["tokenizer", *nlp.pipe_names]}
    for _ in range(runs + 2):
        started = time.perf_counter()
        docs = [nlp.make_doc(p) for p in paras]
        times["tokenizer"].append(time.perf_counter() - started)
        for name, proc in nlp.pipeline:
            started = time.perf_counter()
            docs = list(proc.pipe(docs))
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(t[2:]) * 1000 for name, t in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=12)
    args = parser.parse_args()
    model = Settings().spacy_model
    paras = article_of(args.words, start=40)
    stock, served = per_pipe(spacy.load(model), paras, args.runs), per_pipe(load_pipeline(model), paras, args.runs)
    print(f"{len(paras)} paragraphs, {sum(len(p.split()) for p in paras):,} words of real news\n")
    print("| pipe | as spaCy loads it, ms | as the server runs it, ms |")
    print("|---|---:|---:|")
    for name in stock:
        print(f"| {name} | {stock[name]:.1f} | {served[name]:.1f} |")
    print(f"| all | {sum(stock.values()):.1f} | {sum(served.values()):.1f} |")


if __name__ == "__main__":
    main()
