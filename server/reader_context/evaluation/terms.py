"""Scoring loaded-term detection on the Propaganda Techniques Corpus: `reader-context eval terms DIR`.

DIR is a PTC folder (`articles/articleNNN.txt`, `labels.tsv`; see shared/data/ptc-dev/SOURCE.md). Gold spans are
the union of the `Loaded_Language` and `Name_Calling,Labeling` spans; overlapping gold spans are merged first,
as in the span-identification (SI) gold of SemEval-2020 Task 11. Scoring follows the task's SI scorer: a
predicted span s earns |s ∩ t| / |s| towards precision and a gold span t earns |s ∩ t| / |t| towards recall for
every overlapping pair, precision is averaged over predicted spans and recall over gold spans, summed over the
whole corpus (micro average). What is scored is each term's phrase (`terms[].phrase`, the expression its word
loads), with overlapping phrases merged like the gold; the marked words alone are scored beside it.

Side by side, in the same run: a baseline flagging every word whose VADER valence is at least 2 in absolute
value. Articles are split deterministically into a tuning part and a held-out part (`is_held_out`); the lexicon
is only ever tuned on the former, and both are reported. The corpus text is read at evaluation time and never
stored.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

from spacy.language import Language

from ..language import LoadedTerms, term_records
from ..language.terms import NAME as TERMS_COMPONENT

GOLD_TECHNIQUES = frozenset({"Loaded_Language", "Name_Calling,Labeling"})
VADER_THRESHOLD = 2.0
# A rule is listed for pruning when at least RULE_MIN_PREDICTED of its flags on the tuning split earn a mean
# precision under RULE_FLOOR: a fifth of the overall target (0.55) would be ~0.11; 0.20 keeps rules that are right
# one time in five, which on a corpus that annotates only propaganda is as much as a sound label can show.
RULE_FLOOR = 0.20
RULE_MIN_PREDICTED = 3
# One article in five (by a stable hash of its id, not Python's salted hash()) is held out from tuning.
HELD_OUT_MODULUS = 5

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

Span = tuple[int, int]


def is_held_out(article_id: str) -> bool:
    return int(hashlib.sha1(article_id.encode("utf-8")).hexdigest(), 16) % HELD_OUT_MODULUS == 0


def read_gold(directory: Path) -> dict[str, list[Span]]:
    """Merged gold spans per article id, from `labels.tsv`."""
    raw: dict[str, list[Span]] = defaultdict(list)
    with open(directory / "labels.tsv", encoding="utf-8") as labels:
        for line in labels:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 4 and fields[1] in GOLD_TECHNIQUES:
                raw[fields[0]].append((int(fields[2]), int(fields[3])))
    return {article: merge_spans(spans) for article, spans in raw.items()}


def merge_spans(spans: list[Span]) -> list[Span]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def detect_article(text: str, nlp: Language, terms: LoadedTerms) -> list[dict]:
    """Terms of one article with offsets into the article text, from the `reader_context_terms` component `terms`
    (run after `nlp` when it is not one of its pipes).

    PTC articles are one sentence a line, so each line is a block: the same unit the extension sends, and
    the offsets map back by adding the line's start.
    """
    lines: list[tuple[int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            lines.append((offset, line))
        offset += len(line) + 1
    in_pipeline = any(component is terms for _, component in nlp.pipeline)
    found = []
    for (start, line), doc in zip(lines, nlp.pipe(line for _, line in lines)):
        for term in term_records(doc if in_pipeline else terms(doc), terms.spans_key):
            phrase = {"start": term["phrase"]["start"] + start, "end": term["phrase"]["end"] + start}
            found.append({**term, "start": term["start"] + start, "end": term["end"] + start, "phrase": phrase})
    return found


def vader_spans(text: str, valences: dict[str, float]) -> list[Span]:
    spans = []
    for match in _WORD.finditer(text):
        word = match.group().lower().replace("’", "'")
        if abs(valences.get(word, 0.0)) >= VADER_THRESHOLD:
            spans.append(match.span())
    return spans


def _vader_valences() -> dict[str, float]:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:  # an optional dependency: only the evaluation needs it
        raise RuntimeError("the VADER baseline needs vaderSentiment: pip install 'reader-context[eval]'") from exc
    return SentimentIntensityAnalyzer().lexicon


def _precision_credit(span: Span, gold: list[Span]) -> float:
    start, end = span
    return sum(max(0, min(end, g_end) - max(start, g_start)) for g_start, g_end in gold) / (end - start)


class _Score:
    """Running SI partial-overlap sums."""

    def __init__(self) -> None:
        self.precision_sum = 0.0
        self.predicted = 0
        self.recall_sum = 0.0
        self.gold = 0

    def add(self, predicted: list[Span], gold: list[Span]) -> list[float]:
        """Add one article; returns each predicted span's precision credit (for per-category breakdowns)."""
        credits = [_precision_credit(span, gold) for span in predicted]
        self.precision_sum += sum(credits)
        self.predicted += len(predicted)
        for g_start, g_end in gold:
            self.recall_sum += sum(max(0, min(end, g_end) - max(start, g_start)) for start, end in predicted) / (
                g_end - g_start
            )
        self.gold += len(gold)
        return credits

    def result(self) -> dict:
        precision = self.precision_sum / self.predicted if self.predicted else 0.0
        recall = self.recall_sum / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "predicted": self.predicted,
            "gold": self.gold,
        }


def _score_split(directory: Path, ids: list[str], gold: dict[str, list[Span]], nlp, component, valences) -> dict:
    ours, marked, vader = _Score(), _Score(), _Score()
    categories: dict[str, list[float]] = defaultdict(list)
    rules: dict[str, list[float]] = defaultdict(list)
    author_rates: list[float] = []
    quoted_terms = 0
    for article_id in ids:
        text = (directory / "articles" / f"article{article_id}.txt").read_text(encoding="utf-8")
        article_gold = gold.get(article_id, [])
        terms = detect_article(text, nlp, component)
        # PTC's annotators mark expressions ("reckless appeasement"): what a term claims as loaded is its phrase.
        # Words of one expression ("weak, indecisive and ineffectual") share it: merged, like the gold, it counts once.
        phrases = [(t["phrase"]["start"], t["phrase"]["end"]) for t in terms]
        ours.add(merge_spans(phrases), article_gold)
        credits = [_precision_credit(phrase, article_gold) for phrase in phrases]
        marked.add([(t["start"], t["end"]) for t in terms], article_gold)
        for term, credit in zip(terms, credits):
            categories[term["category"]].append(credit)
            rules[term["rule"]].append(credit)
        vader.add(vader_spans(text, valences), article_gold)
        words = len(_WORD.findall(text))
        author = sum(1 for t in terms if t["attributed"] is None)
        quoted_terms += len(terms) - author
        if words:
            author_rates.append(author * 1000 / words)
    return {
        "articles": len(ids),
        "ours": ours.result(),
        "words_only": marked.result(),
        "vader": vader.result(),
        "by_category": {
            category: {"predicted": len(credits), "precision": round(sum(credits) / len(credits), 4)}
            for category, credits in sorted(categories.items())
        },
        "by_rule": {
            rule: {"predicted": len(credits), "precision": round(sum(credits) / len(credits), 4)}
            for rule, credits in sorted(rules.items())
        },
        "below_floor": sorted(
            rule for rule, credits in rules.items()
            if len(credits) >= RULE_MIN_PREDICTED and sum(credits) / len(credits) < RULE_FLOOR
        ),
        "quoted_terms": quoted_terms,
        "author_per_1000_words": {
            "median": round(statistics.median(author_rates), 1) if author_rates else 0.0,
            "p90": round(statistics.quantiles(author_rates, n=10)[-1], 1) if len(author_rates) >= 10 else None,
        },
    }


def evaluate_terms(
    directory: Path, nlp: Language, terms: LoadedTerms | None = None, *, article_ids: set[str] | None = None
) -> dict:
    """Score the `reader_context_terms` component and the VADER baseline on the PTC folder `directory`.

    `terms` is the component; without it, `nlp` must have one among its pipes.

    With `article_ids`, only those articles are scored (one split named "selected"); otherwise the tuning
    ("dev") and held-out parts are scored separately.
    """
    directory = Path(directory)
    component = terms if terms is not None else nlp.get_pipe(TERMS_COMPONENT)
    started = time.perf_counter()
    gold = read_gold(directory)
    available = sorted(p.stem.removeprefix("article") for p in (directory / "articles").glob("article*.txt"))
    if not available:
        raise FileNotFoundError(f"no articles/article*.txt under {directory}")
    valences = _vader_valences()
    if article_ids is not None:
        splits = {"selected": [a for a in available if a in article_ids]}
    else:
        splits = {
            "dev": [a for a in available if not is_held_out(a)],
            "held_out": [a for a in available if is_held_out(a)],
        }
    result = {
        "directory": str(directory),
        "gold_techniques": sorted(GOLD_TECHNIQUES),
        "lexicon_entries": len(component.lexicon),
        "splits": {name: _score_split(directory, ids, gold, nlp, component, valences) for name, ids in splits.items()},
    }
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def format_terms_report(result: dict) -> str:
    """A markdown report: headline table (ours vs the VADER baseline per split), then categories."""
    lines = [
        f"Loaded terms on `{result['directory']}` — gold: {' ∪ '.join(result['gold_techniques'])} "
        f"(merged spans), SemEval-2020 Task 11 SI partial-overlap scoring; lexicon of "
        f"{result['lexicon_entries']} entries; {result['elapsed_s']} s.",
        "",
        "| split | articles | system | predicted | gold spans | precision | recall | F1 |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for name, split in result["splits"].items():
        systems = (("ours", "Reader Context (phrases)"), ("words_only", "Reader Context (marked words only)"),
                   ("vader", f"VADER \\|valence\\| ≥ {VADER_THRESHOLD:g}"))
        for system, label in systems:
            score = split[system]
            lines.append(
                f"| {name} | {split['articles']} | {label} | {score['predicted']} | {score['gold']} | "
                f"{score['precision']:.3f} | {score['recall']:.3f} | {score['f1']:.3f} |"
            )
    for name, split in result["splits"].items():
        rates = split["author_per_1000_words"]
        lines += [
            "",
            f"Per category, {name} (precision of our predictions; {split['quoted_terms']} of them inside quotes or "
            f"reported speech; author-voice rate per 1,000 words: median {rates['median']}, 90th percentile "
            f"{rates['p90']}):",
            "",
            "| category | predicted | precision |",
            "|---|---:|---:|",
        ]
        for category, score in split["by_category"].items():
            lines.append(f"| {category} | {score['predicted']} | {score['precision']:.3f} |")
    tuning = result["splits"].get("dev") or next(iter(result["splits"].values()))
    frequent = sorted(tuning["by_rule"].items(), key=lambda item: (-item[1]["predicted"], item[0]))
    lines += [
        "",
        "Per rule, the 30 rules that flag most on the tuning split (`--json` has every rule):",
        "",
        "| rule | predicted | precision |",
        "|---|---:|---:|",
    ]
    for rule, score in frequent[:30]:
        lines.append(f"| {rule} | {score['predicted']} | {score['precision']:.3f} |")
    below = tuning["below_floor"]
    lines += [
        "",
        f"Rules below the floor (precision < {RULE_FLOOR:.2f} over at least {RULE_MIN_PREDICTED} flags on the "
        f"tuning split), candidates for pruning: {', '.join(below) if below else 'none'}.",
    ]
    return "\n".join(lines) + "\n"
