"""/analyze with the online Wikipedia source: the seed article's long tail, the deadline, the store that
grows as you read, and two gunicorn workers sharing Redis. Wikipedia is a local stand-in."""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import SEED, require_shared
from redis_server import BINARY as REDIS, MISSING_REASON, RedisServer
from gunicorn_server import running_gunicorn
from wikipedia_standin import Fault, Seen, closed_port_url

from reader_context.pipeline import Analyzer, Block
from reader_context.settings import Settings

pytestmark = pytest.mark.slow  # a stand-in Wikipedia with delays, gunicorn and Redis

DEADLINE_MS = 600


@pytest.fixture()
def wiki(standin):
    standin.fault, standin.delay, standin.seen = None, 0.0, Seen()
    yield standin
    standin.fault, standin.delay = None, 0.0


@pytest.fixture()
def seed_blocks():
    lines = require_shared(SEED).read_text(encoding="utf-8").splitlines()
    return [Block(f"p{i}", line) for i, line in enumerate(lines) if line.strip()]


def copy_kb(kb_path: Path, tmp_path: Path) -> Path:
    """Each test its own copy of the built base, so what one test fetches another does not see."""
    target = tmp_path / "kb.sqlite3"
    shutil.copy(kb_path, target)
    return target


def analyzer_for(kb: Path, url: str, **values) -> Analyzer:
    values = {"wikipedia_timeout": 1.0, "wikipedia_breaker_seconds": 30, "deadline_ms": DEADLINE_MS, **values}
    settings = Settings(kb_path=kb, data_dir=kb.parent, wikipedia_url=url, **values)
    analyzer = Analyzer(settings)
    analyzer.warm_up()
    return analyzer


def card_of(result: dict, text: str) -> dict | None:
    ids = {m["card"] for m in result["mentions"] if m["text"] == text}
    assert len(ids) == 1, (text, ids)
    card_id = ids.pop()
    return result["cards"][card_id] if card_id else None


def test_seed_article_gets_wikipedia_cards_for_its_long_tail(kb_path, tmp_path, wiki, seed_blocks):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, online="always")
    result = analyzer.analyze(seed_blocks).model_dump()
    assert result["pending"] == []
    for text, title in [("Irina Bokova", "Irina Bokova"), ("ISIS", "Islamic State"), ("Islamic State", "Islamic State"),
                        ("Daesh", "Islamic State"), ("Syriatel", "Syriatel"),
                        ("Fakhr-al-Din al-Maani Castle", "Fakhr-al-Din al-Maani Castle")]:
        card = card_of(result, text)
        assert card is not None and card["title"] == title and card["source"] == "wikipedia", (text, card)
    bokova = card_of(result, "Irina Bokova")
    assert "UNESCO" in bokova["summary"] and bokova["url"].endswith("/wiki/Irina_Bokova")
    assert "of UNESCO" in bokova["in_article"]  # the article's own words stay on the better card
    for title in ("Palmyra", "Syria", "Vladimir Putin", "UNESCO", "Damascus", "Brussels"):
        assert result["cards"][f"wikipedia:{title}"]["source"] == "embedded"
    assert not any("disambiguation" in c["title"] for c in result["cards"].values())


def test_a_slow_wikipedia_costs_at_most_the_deadline_and_the_cards_follow(kb_path, tmp_path, wiki, seed_blocks, client):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, wikipedia_timeout=3.0)
    wiki.delay = 0.8  # each call longer than the deadline, shorter than the call timeout
    started = time.perf_counter()
    result = analyzer.analyze(seed_blocks).model_dump()
    elapsed = time.perf_counter() - started
    assert elapsed < DEADLINE_MS / 1000 + 0.2, elapsed
    assert result["pending"], "late names must be listed as pending"
    assert card_of(result, "Palmyra")["source"] == "embedded"
    assert card_of(result, "Irina Bokova")["source"] == "article"  # the offline answer, meanwhile
    pid = next(m["pending"] for m in result["mentions"] if m["text"] == "Irina Bokova")
    until = time.monotonic() + 10
    while True:
        cards, pending = analyzer.cards([pid])
        if pid in cards or not pending:
            break
        assert time.monotonic() < until, "the background lookup never finished"
        time.sleep(0.1)
    assert cards[pid].title == "Irina Bokova" and cards[pid].source == "wikipedia"


def wait_for_card(analyzer: Analyzer, pid: str):
    until = time.monotonic() + 10
    while True:
        cards, pending = analyzer.cards([pid])
        if pid in cards or not pending:
            return cards.get(pid)
        assert time.monotonic() < until, "the background lookup never finished"
        time.sleep(0.05)


def test_a_late_card_is_served_by_any_worker_and_keeps_its_own_article(kb_path, tmp_path, wiki):
    kb = copy_kb(kb_path, tmp_path)
    worker = analyzer_for(kb, wiki.url, wikipedia_timeout=3.0)
    other = analyzer_for(kb, closed_port_url())  # a second worker on the same store that never reaches Wikipedia
    wiki.delay = 0.8
    pids = {}
    for context in ("of UNESCO", "the head of UNESCO"):
        result = worker.analyze([Block("p", f"Irina Bokova, {context}, spoke in Paris on Monday.")]).model_dump()
        pids[context] = next(m["pending"] for m in result["mentions"] if m["text"] == "Irina Bokova")
    assert len(set(pids.values())) == 2 and not any("Bokova" in pid for pid in pids.values())
    for context, pid in pids.items():
        card = wait_for_card(other, pid)
        assert card is not None and card.title == "Irina Bokova" and card.source == "wikipedia"
        assert card.in_article == [context]  # each article keeps what it said of her


def test_one_analyzer_serves_many_threads_at_once(kb_path, tmp_path, wiki, seed_blocks):
    """gthread workers share one Analyzer: distinct articles with online lookups, from 6 threads at once,
    give exactly what each gives alone, and a caller editing its answer never edits the cache."""
    from concurrent.futures import ThreadPoolExecutor

    articles = [[b] for b in seed_blocks] + [seed_blocks[i:i + 3] for i in range(0, len(seed_blocks), 3)]
    shared = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, online="always", deadline_ms=10_000)
    wiki.delay = 0.02
    with ThreadPoolExecutor(6) as pool:
        # First, every lookup at once from cold caches; the base learns from Wikipedia as it goes, so what
        # a name links to may change while it does. Every mark still covers exactly its words.
        for article, result in zip(articles, pool.map(lambda a: shared.analyze(a).model_dump(), articles)):
            texts = {b.id: b.text for b in article}
            assert all(texts[m["block"]][m["start"]:m["end"]] == m["text"] for m in result["mentions"] + result["terms"])
        # Then, the base settled, each article alone and all of them at once must agree, with and without the
        # response cache.
        shared.responses.clear()
        expected = [strip(shared.analyze(a).model_dump()) for a in articles]
        shared.responses.clear()
        for _round in ("analysed", "from the response cache"):
            assert list(pool.map(lambda a: strip(shared.analyze(a).model_dump()), articles)) == expected, _round
    hit = shared.analyze(articles[0])
    hit.mentions.clear()
    hit.stats.words = -1
    again = shared.analyze(articles[0]).model_dump()
    assert again["stats"]["cached"] and strip(again) == expected[0]


def strip(result: dict) -> dict:
    result["stats"].pop("elapsed_ms"), result["stats"].pop("cached")
    return result


@pytest.mark.parametrize("fault", ["unreachable", "error", "malformed"])
def test_a_failing_wikipedia_leaves_embedded_and_article_cards(kb_path, tmp_path, wiki, seed_blocks, fault):
    url = closed_port_url() if fault == "unreachable" else wiki.url
    wiki.fault = None if fault == "unreachable" else Fault(fault)
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), url)
    for attempt in range(3):
        started = time.perf_counter()
        result = analyzer.analyze(seed_blocks[attempt:]).model_dump()  # new text each time: no response cache
        assert time.perf_counter() - started < DEADLINE_MS / 1000 + 0.2
        assert card_of(result, "Damascus")["source"] == "embedded"
        assert card_of(result, "Irina Bokova")["source"] == "article"
    # The breaker is open now: no more calls, no waiting, nothing pending.
    wiki.seen = Seen()
    result = analyzer.analyze(seed_blocks[4:]).model_dump()
    assert result["pending"] == [] and wiki.seen.requests == 0


def test_what_was_fetched_is_served_from_the_store_when_wikipedia_is_gone(kb_path, tmp_path, wiki, seed_blocks):
    kb = copy_kb(kb_path, tmp_path)
    first = analyzer_for(kb, wiki.url, online="always").analyze(seed_blocks).model_dump()
    offline = analyzer_for(kb, closed_port_url())  # a new process's view: empty memory, same file
    second = offline.analyze(seed_blocks).model_dump()
    online_cards = {i: c for i, c in first["cards"].items() if c["source"] == "wikipedia"}
    assert online_cards and all(second["cards"].get(i) == c for i, c in online_cards.items())


# -- two gunicorn workers sharing Redis ---------------------------------------------------------


def post(port: int, blocks: list[dict]) -> dict:
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/analyze", data=json.dumps({"blocks": blocks}).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as res:
        assert res.status == 200
        return json.loads(res.read())


@pytest.mark.skipif(REDIS is None, reason=MISSING_REASON)
def test_two_workers_share_redis_and_survive_its_loss(kb_path, tmp_path, wiki, seed_blocks):
    redis_server = RedisServer(tmp_path).start()
    log = tmp_path / "gunicorn.log"
    env = {"READER_CONTEXT_KB_PATH": str(copy_kb(kb_path, tmp_path)),
           "READER_CONTEXT_WIKIPEDIA_URL": wiki.url, "READER_CONTEXT_REDIS_URL": redis_server.url,
           "READER_CONTEXT_ONLINE": "always", "READER_CONTEXT_DEADLINE_MS": "5000", "WEB_CONCURRENCY": "2",
           "READER_CONTEXT_RATE_LIMIT_ENABLED": "false", "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    # The deployment as it ships (its asyncio worker runs the buffering front), with two workers.
    args = ["--config", str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"), "--log-level", "warning"]
    try:
        with log.open("w") as out, running_gunicorn(args, env, log=out) as (port, _server):
            wiki.delay = 0.2  # so concurrent requests really overlap in both workers
            blocks = [{"id": b.id, "text": b.text} for b in seed_blocks]
            results = []
            threads = [threading.Thread(target=lambda i=i: results.append(post(port, blocks[i % 3:]))) for i in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            assert len(results) == 8
            asked = {t: n for t, n in wiki.seen.titles.items() if n}
            assert asked and max(asked.values()) == 1, asked  # one call per title between the two workers

            redis_server.stop()
            for name in ("Marta Quillfeather", "Oskar Brennholt", "Lidia Varnesse", "Tomas Eberkind", "Anja Solvreth", "Piet Hallowen"):
                post(port, [{"id": "x", "text": f"{name} visited Damascus on Tuesday, officials said."}])
            warnings = [line for line in log.read_text().splitlines() if "redis" in line.lower() and "WARNING" in line]
            assert 1 <= len(warnings) <= 2, warnings  # once per worker that noticed, not once per request
    finally:
        redis_server.stop()


def test_a_warmed_title_shows_in_the_next_answer_not_the_cached_one(kb_path, tmp_path, wiki):
    """`kb warm` writes into the file a running server reads: its response cache must not outlive that."""
    from reader_context.knowledge.warm import warm
    from reader_context.knowledge.wikipedia import WikipediaSource

    # Wikipedia out of reach, so only the base can bring the card (`never` would not take a Wikipedia card).
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), closed_port_url())
    blocks = [Block("0", "Syriatel restored the network in Timbuktu.")]
    assert "wikipedia:Syriatel" not in analyzer.analyze(blocks).cards
    assert analyzer.analyze(blocks).stats.cached
    report = warm(["Syriatel"], analyzer.store, WikipediaSource(wiki.url), analyzer.settings, sleep=lambda s: None)
    assert report.fetched == 1
    after = analyzer.analyze(blocks)
    assert not after.stats.cached and "wikipedia:Syriatel" in after.cards
