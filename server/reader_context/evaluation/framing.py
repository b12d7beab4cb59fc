"""Where the framing profile's levels lie: `reader-context eval framing SET...`.

`stats.author_loaded_level` rates an article's own wording "low", "elevated" or "high" by its author-voice rate
(loaded terms per 1,000 of the author's own words, language/profile.py). Those levels only mean something against
ordinary news, so this reads sets of articles and reports the rate's distribution per set: news sets (the
ELEVANT / entity-fishing JSON-lines files: web news, newswire, Reuters) beside the propaganda-rich PTC folders.
A level that calls a tenth of ordinary news "elevated" and almost none of it "high" is what the profile is for.
Every article is analysed as the API analyses it (paragraphs as blocks, terms only, offline).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from ..language.profile import ELEVATED_FROM, HIGH_FROM
from ..pipeline import Analyzer, Block


def read_articles(path: Path) -> list[str]:
    """The article texts of a set: a PTC folder (articles/*.txt) or a JSON-lines file with a `text` per line."""
    if path.is_dir():
        return [p.read_text(encoding="utf-8") for p in sorted((path / "articles").glob("*.txt"))]
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def blocks_of(text: str) -> list[Block]:
    """Paragraphs as the extension sends them: a block a non-empty line."""
    return [Block(f"p{i}", line) for i, line in enumerate(l for l in text.split("\n") if l.strip())]


def author_rates(texts: list[str], analyzer: Analyzer) -> list[float]:
    rates = []
    for text in texts:
        blocks = blocks_of(text)
        if blocks:
            stats = analyzer.analyze(blocks, features=("terms",), online="never").stats
            if stats.author.words:
                rates.append(stats.author.per_1000_words)
    return rates


def evaluate_framing(paths: list[Path], analyzer: Analyzer) -> dict:
    sets = {}
    for path in paths:
        rates = sorted(author_rates(read_articles(path), analyzer))
        if not rates:
            continue
        p90 = statistics.quantiles(rates, n=10)[-1] if len(rates) > 1 else rates[0]
        sets[path.name] = {
            "articles": len(rates),
            "median": round(statistics.median(rates), 1),
            "p90": round(p90, 1),
            "elevated_or_high": round(sum(r >= ELEVATED_FROM for r in rates) / len(rates), 3),
            "high": round(sum(r >= HIGH_FROM for r in rates) / len(rates), 3),
        }
    return {"elevated_from": ELEVATED_FROM, "high_from": HIGH_FROM, "sets": sets}


def format_framing_report(result: dict) -> str:
    lines = [
        f"Author-voice rate (loaded terms per 1,000 of the author's own words); levels: elevated from "
        f"{result['elevated_from']:g}, high from {result['high_from']:g}.",
        "",
        "| set | articles | median | 90th percentile | rated elevated or high | rated high |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, s in result["sets"].items():
        lines.append(f"| {name} | {s['articles']} | {s['median']} | {s['p90']} | {s['elevated_or_high']:.1%} | "
                     f"{s['high']:.1%} |")
    return "\n".join(lines) + "\n"
