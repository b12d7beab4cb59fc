"""The online work one large request can cause (issue 16): Wikipedia calls it sets off, how long another
reader then waits for a name of theirs to be looked up, and a worker's memory over many such requests.

The text is 100,000 characters of made-up capitalised names (no knowledge base holds them, so each is a
Wikipedia lookup); Wikipedia is the tests' stand-in on loopback, answering after `--delay` seconds.

    python benchmarks/online_flood.py flood [--chars 100000] [--watch 30] [--delay 0.05]
    python benchmarks/online_flood.py memory [--requests 20] [--delay 1.0] [--online never|auto|always]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from common import machine  # and tests/ on the path, for the stand-in

from reader_context.knowledge import open_knowledge
from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings
from made_up_names import made_up_article
from wikipedia_standin import WikipediaStandIn

def flood_blocks(chars: int, seed: int = 1) -> list[Block]:
    return [Block(f"p{i}", text) for i, text in enumerate(made_up_article(chars, seed))]


def analyzer(kb: Path, url: str, online: str = "auto") -> Analyzer:
    a = Analyzer(Settings(kb_path=kb, data_dir=kb.parent, wikipedia_url=url, online=online))
    a.warm_up()
    return a


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def flood(kb: Path, args) -> None:
    with WikipediaStandIn(with_real_paragraphs=False) as wiki:
        wiki.delay = args.delay
        a = analyzer(kb, wiki.url)
        blocks = flood_blocks(args.chars)
        started = time.perf_counter()
        result = a.analyze(blocks)
        took = time.perf_counter() - started
        print(f"flooding request: {sum(len(b.text) for b in blocks):,} characters, {len(blocks)} blocks,"
              f" {took:.1f} s, {len(result.pending):,} pending, {wiki.seen.requests:,} Wikipedia requests so far")
        victim = "Zelda Ormwick"
        asked = time.perf_counter()
        a.analyze([Block("v", f"{victim} spoke to reporters in Paris on Monday.")])
        looked_up = None
        while time.perf_counter() - asked < args.watch:
            if wiki.seen.searches.get(victim):
                looked_up = time.perf_counter() - asked
                break
            time.sleep(0.05)
        waited = f"{looked_up:.2f} s" if looked_up is not None else f"not within {args.watch:.0f} s"
        print(f"second reader's name looked up after: {waited}")
        time.sleep(max(0.0, args.watch - (time.perf_counter() - asked)))
        print(f"Wikipedia requests {args.watch:.0f} s after the flooding request: {wiki.seen.requests:,}"
              f" (most in flight {wiki.seen.most_in_flight})")
        a.online_linking.lookups.shutdown()


def memory(kb: Path, args) -> None:
    with WikipediaStandIn(with_real_paragraphs=False) as wiki:
        wiki.delay = args.delay
        a = analyzer(kb, wiki.url, args.online)
        print(f"after warm-up: {rss_mib():.0f} MiB, {len(a.nlp.vocab.strings):,} strings in spaCy's vocabulary")
        for i in range(1, args.requests + 1):
            started = time.perf_counter()
            a.analyze(flood_blocks(args.chars, seed=i))
            if i % args.every == 0 or i == args.requests:
                print(f"after {i} requests: {rss_mib():.0f} MiB ({time.perf_counter() - started:.1f} s the last,"
                      f" {wiki.seen.requests:,} Wikipedia requests so far, {len(a.nlp.vocab.strings):,} strings)",
                      flush=True)
        a.online_linking.lookups.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["flood", "memory"])
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--watch", type=float, default=30.0, help="seconds to watch after the flooding request")
    parser.add_argument("--delay", type=float, default=None, help="seconds the stand-in takes per call")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--every", type=int, default=5)
    parser.add_argument("--online", choices=["never", "auto", "always"], default="auto", help="memory: the mode")
    parser.add_argument("--kb", type=Path, help="a built knowledge base to copy (default: build one)")
    args = parser.parse_args()
    if args.delay is None:
        args.delay = 0.05 if args.what == "flood" else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        kb = Path(tmp) / "knowledge.sqlite3"
        if args.kb:
            kb.write_bytes(args.kb.read_bytes())
        open_knowledge(kb)
        print(machine(), file=sys.stderr)
        (flood if args.what == "flood" else memory)(kb, args)


if __name__ == "__main__":
    main()
