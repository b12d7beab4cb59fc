"""The framing profile of an article: how loaded its own wording is, apart from the words it quotes.

A reader judges an article by the author's choices, so the author's voice and attributed speech are counted
separately; both are rates per 1,000 words of the whole article so that they add up to the overall rate.
"""

from __future__ import annotations

from collections import Counter

# Author-voice rates (loaded terms per 1,000 words) that separate "low" / "elevated" / "high", measured with this
# lexicon (docs/evaluation-terms.md): news-wire and mainstream news articles have a median of 0-1.6 and a 90th
# percentile of 6-8; the propaganda-rich PTC articles a median of about 5 and a 90th percentile of about 12; the
# seed article's own voice is over 40.
ELEVATED_FROM = 5.0
HIGH_FROM = 12.0


def _rate(count: int, words: int) -> float:
    return round(count * 1000 / words, 1) if words > 0 else 0.0


def _voice(terms: list[dict], words: int) -> dict:
    return {
        "count": len(terms),
        "per_1000_words": _rate(len(terms), words),
        "by_category": dict(sorted(Counter(t["category"] for t in terms).items())),
    }


def framing_profile(terms: list[dict], *, words: int) -> dict:
    """Stats to merge into the /analyze response, from the terms of the whole article and its word count."""
    if words < 0:
        raise ValueError("words must not be negative")
    author = [t for t in terms if t.get("attributed") is None]
    quoted = [t for t in terms if t.get("attributed") is not None]
    author_rate = _rate(len(author), words)
    if author_rate >= HIGH_FROM:
        level = "high"
    elif author_rate >= ELEVATED_FROM:
        level = "elevated"
    else:
        level = "low"
    return {
        "terms_per_1000_words": _rate(len(terms), words),
        "author": _voice(author, words),
        "quoted": _voice(quoted, words),
        "by_category": dict(sorted(Counter(t["category"] for t in terms).items())),
        "severity": {str(level_): sum(1 for t in terms if t["severity"] == level_) for level_ in (1, 2, 3)},
        "author_loaded_level": level,
    }
