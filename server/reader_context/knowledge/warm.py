"""Warming the base ahead of use: a batch job (`reader-context kb warm`) that fetches a list of titles."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import is_fresh
from .store import KnowledgeStore
from .wikipedia import BATCH, WikipediaSource, WikipediaUnavailable

if TYPE_CHECKING:
    from ..settings import Settings


NEWS_TITLES = Path(__file__).with_name("data") / "news-titles.txt"


def read_titles(path: Path = NEWS_TITLES) -> list[str]:
    """One title a line; blank lines and lines starting with "#" are not titles."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@dataclass
class WarmReport:
    asked: int = 0
    skipped: int = 0  # already in the base and fresh (from an earlier, perhaps interrupted, run)
    fetched: int = 0
    missing: int = 0  # no article, or a disambiguation page
    stopped: str | None = None  # why it stopped early; running it again resumes


def warm(titles: Iterable[str], store: KnowledgeStore, source: WikipediaSource, settings: Settings, *,
         progress: Callable[[WarmReport], None] | None = None,
         sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time) -> WarmReport:
    """Fetch titles into the base ahead of use, at most 20 per query with a polite pause between
    queries. Titles the base holds fresh are skipped, so an interrupted run resumes where it stopped."""
    store.ensure_schema()
    refresh, negative = settings.online_refresh_days * 86_400, settings.online_negative_seconds
    wanted = list(dict.fromkeys(" ".join(t.replace("_", " ").split()) for t in titles))
    wanted = [t for t in wanted if t]
    report = WarmReport(asked=len(wanted))
    now = clock()
    todo = []
    for title in wanted:
        stored = store.wikipedia_title(title)
        if stored is not None and is_fresh(stored, now, refresh, negative):
            report.skipped += 1
        else:
            todo.append(title)
    for start in range(0, len(todo), BATCH):
        if start:
            sleep(settings.warm_delay)
        try:
            found = source.pages(todo[start : start + BATCH])
        except WikipediaUnavailable as exc:
            report.stopped = str(exc)
            break
        store.put_wikipedia(found, clock())
        report.fetched += sum(e is not None for e in found.values())
        report.missing += sum(e is None for e in found.values())
        if progress:
            progress(report)
    return report
