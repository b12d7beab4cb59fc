"""The framing profile of an article: how loaded its own wording is, apart from the words it quotes.

A reader judges an article by the author's choices, so the author's voice and attributed speech are counted
separately, each as a rate per 1,000 words of its own text: the author's terms per 1,000 words the author wrote
(reported speech included, since its wording is the outlet's), the quoted terms per 1,000 quoted words. A short,
loaded introduction to a long transcript is then rated as loaded as it is, not diluted by the transcript; only
`terms_per_1000_words` is a rate over the whole article.
"""

from __future__ import annotations

from collections import Counter

# Author-voice rates (loaded terms per 1,000 of the author's own words) that separate "low" / "elevated" / "high",
# checked with `reader-context eval framing` (docs/evaluation.md): newswire (AQUAINT, MSNBC) has a median of 0-0.6
# and a 90th percentile of 6-9, so about one article in six is "elevated" and almost none "high"; Reuters' short
# economic news is nearly all "low"; the propaganda-rich PTC articles have a median of 5.2, half "elevated" or
# more and one in seven "high"; the seed article's own voice is over 40.
ELEVATED_FROM = 5.0
HIGH_FROM = 12.0


def _rate(count: int, words: int) -> float:
    return round(count * 1000 / words, 1) if words > 0 else 0.0


def _voice(terms: list[dict], words: int) -> dict:
    return {
        "count": len(terms),
        "words": words,
        "per_1000_words": _rate(len(terms), words),
        "by_category": dict(sorted(Counter(t["category"] for t in terms).items())),
    }


def framing_profile(terms: list[dict], *, words: int, author_words: int | None = None) -> dict:
    """Stats to merge into the /analyze response, from the terms of the whole article, its word count and the
    words of it in the author's own voice (`author_words`; all of them when not given, as in a text without
    quotations). Terms whose `attributed` is None are the author's, reported speech included."""
    if author_words is None:
        author_words = words
    if words < 0 or not 0 <= author_words <= words:
        raise ValueError("words must not be negative, and author_words must lie between 0 and words")
    author = [t for t in terms if t.get("attributed") is None]
    quoted = [t for t in terms if t.get("attributed") is not None]
    author_rate = _rate(len(author), author_words)
    if author_rate >= HIGH_FROM:
        level = "high"
    elif author_rate >= ELEVATED_FROM:
        level = "elevated"
    else:
        level = "low"
    return {
        "terms_per_1000_words": _rate(len(terms), words),
        "author": _voice(author, author_words),
        "quoted": _voice(quoted, words - author_words),
        "by_category": dict(sorted(Counter(t["category"] for t in terms).items())),
        "severity": {str(level_): sum(1 for t in terms if t["severity"] == level_) for level_ in (1, 2, 3)},
        "author_loaded_level": level,
    }
