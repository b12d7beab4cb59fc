"""Online knowledge behind its caches: in-process, written through to SQLite, shared through a real Redis."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from reader_context.knowledge.entity import Entity
from reader_context.knowledge.online import OnlineKnowledge
from reader_context.knowledge.store import KnowledgeStore
from reader_context.knowledge.warm import warm
from reader_context.knowledge.wikipedia import WikipediaSource, WikipediaUnavailable
from reader_context.settings import Settings
from redis_server import redis_server  # noqa: F401 (a fixture)
from conftest import require_shared
from wikipedia_standin import PARAGRAPHS, Article, Fault, Seen, WikipediaStandIn, closed_port_url, real_paragraphs

SHARED_LOG = "reader_context.knowledge.shared"


class FakeClock:
    """Wall and monotonic time at once, moved on by the test instead of sleeping."""

    def __init__(self):
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def module_standin():
    with WikipediaStandIn() as server:
        yield server


@pytest.fixture()
def standin(module_standin):
    module_standin.fault = None
    module_standin.delay = 0.0
    module_standin.seen = Seen()
    yield module_standin
    module_standin.fault = None
    module_standin.delay = 0.0


@pytest.fixture()
def store(tmp_path):
    return new_store(tmp_path / "kb.sqlite3")


def new_store(path) -> KnowledgeStore:
    store = KnowledgeStore(path)
    store.create_schema()
    return store


def settings(tmp_path, **values) -> Settings:
    return Settings(data_dir=tmp_path, kb_path=tmp_path / "kb.sqlite3", warm_delay=0.25, **values)


def online(store, url, config, redis_url=None, clock=None) -> OnlineKnowledge:
    source = WikipediaSource(url, timeout=0.5, breaker_seconds=0.3)
    clock = clock or FakeClock()
    return OnlineKnowledge(store, source, config, redis_url, redis_retry_seconds=0.2, clock=clock, monotonic=clock)


def titles(entries):
    return [e.title for e in entries]


# -- in-process and SQLite layers -----------------------------------------------------------------


def test_the_memory_layer_answers_a_name_twice_for_one_call(store, standin, tmp_path):
    ok = online(store, standin.url, settings(tmp_path))
    assert titles(ok.lookup("ISIS")) == ["Islamic State"]
    sent = standin.seen.requests
    assert titles(ok.lookup("ISIS")) == ["Islamic State"]
    assert titles(ok.lookup("  ISIS ")) == ["Islamic State"]
    assert standin.seen.requests == sent
    assert titles(ok.lookup("Daesh")) == ["Islamic State"]  # one search, and only the new title asked
    assert standin.seen.titles["Islamic State"] == 1 and standin.seen.titles["Daesh"] == 1
    assert titles(ok.lookup("Fakhr-al-Din al-Maani Castle")) == ["Fakhr-al-Din al-Maani Castle"]
    assert titles(ok.lookup("Bokova")) == ["Irina Bokova"]  # a disambiguation page is never a candidate


def test_written_through_to_sqlite_and_served_offline(store, standin, tmp_path):
    config = settings(tmp_path)
    online(store, standin.url, config).lookup("Daesh")
    offline = online(store, closed_port_url(), config)  # a new process: empty memory, Wikipedia unreachable
    entry = offline.lookup("Daesh")[0]
    assert entry.id == "wikipedia:Islamic State" and entry.source == "wikipedia"
    assert entry.summary and entry.url and entry.thumbnail
    assert offline.get(["wikipedia:Islamic State"])["wikipedia:Islamic State"] == entry
    source, fetched_at = store.connection().execute(
        "SELECT source, fetched_at FROM entities WHERE id = 'wikipedia:Islamic State'").fetchone()
    assert source == "wikipedia" and time.time() - fetched_at < 60
    assert store.lookup("Daesh").id == "wikipedia:Islamic State"  # the base itself now knows the name


def test_an_embedded_entry_is_served_and_never_overwritten(store, standin, tmp_path):
    curated = Entity(id="wikipedia:Islamic State", title="Islamic State", kind="organization",
                    description="Curated description", summary="Curated summary.", url=None,
                    source="embedded", attribution="curated", aliases=(("Islamic State", "title", 1.0),))
    with store.write() as conn:
        store.put(conn, [curated])
    ok = online(store, standin.url, settings(tmp_path))
    found = ok.lookup("Daesh")  # the redirect leads to an id the base already holds
    assert [(e.source, e.summary) for e in found] == [("embedded", "Curated summary.")]
    assert store.entities(["wikipedia:Islamic State"])["wikipedia:Islamic State"].summary == "Curated summary."
    assert ok.get(["wikipedia:Islamic State"])["wikipedia:Islamic State"].source == "embedded"


def test_no_article_is_remembered_in_every_layer_for_less_time(store, standin, tmp_path):
    config = settings(tmp_path, online_negative_seconds=0.5)
    clock = FakeClock()
    ok = online(store, standin.url, config, clock=clock)
    assert ok.lookup("Zzyzx Quorble") == []
    assert ok.get(["wikipedia:Zzyzx Quorble", "wikipedia:Palmyra (disambiguation)"]) == {
        "wikipedia:Zzyzx Quorble": None, "wikipedia:Palmyra (disambiguation)": None}
    sent = standin.seen.requests
    assert ok.lookup("Zzyzx Quorble") == []
    assert standin.seen.requests == sent
    offline = online(store, closed_port_url(), config, clock=clock)
    assert offline.lookup("Zzyzx Quorble") == []  # persisted: "none", not "not yet"
    assert offline.get(["wikipedia:Palmyra (disambiguation)"]) == {"wikipedia:Palmyra (disambiguation)": None}
    clock.advance(0.4)
    assert online(store, standin.url, config, clock=clock).lookup("Zzyzx Quorble") == []
    assert standin.seen.searches["Zzyzx Quorble"] == 1  # still fresh
    clock.advance(0.2)
    assert online(store, standin.url, config, clock=clock).lookup("Zzyzx Quorble") == []
    assert standin.seen.searches["Zzyzx Quorble"] == 2  # asked again once the negative answer expired


def test_an_old_entry_is_fetched_again_but_served_while_wikipedia_is_down(store, standin, tmp_path):
    config = settings(tmp_path, online_refresh_days=0.3 / 86_400)
    clock = FakeClock()
    online(store, standin.url, config, clock=clock).lookup("Syriatel")
    clock.advance(0.4)
    down = online(store, closed_port_url(), config, clock=clock)
    assert titles(down.lookup("Syriatel")) == ["Syriatel"]
    assert down.get(["wikipedia:Syriatel"])["wikipedia:Syriatel"].title == "Syriatel"
    assert standin.seen.titles["Syriatel"] == 1
    assert titles(online(store, standin.url, config, clock=clock).lookup("Syriatel")) == ["Syriatel"]
    assert standin.seen.titles["Syriatel"] == 2 and standin.seen.searches["Syriatel"] == 2


def test_one_card_by_id_is_one_rest_summary_and_several_are_one_query(store, standin, tmp_path):
    ok = OnlineKnowledge.from_settings(store, settings(tmp_path, wikipedia_url=standin.url))
    assert ok.get(["wikipedia:Irina Bokova"])["wikipedia:Irina Bokova"].kind == "person"
    assert ok.get(["wikipedia:Bokova"]) == {"wikipedia:Bokova": None}  # REST says disambiguation
    assert standin.seen.batches == [] and standin.seen.requests == 2
    found = ok.get(["wikipedia:Syriatel", "wikipedia:Irina Bokova", "user:Nobody", "wikipedia:Palmyra Castle"])
    assert found["wikipedia:Syriatel"].title == "Syriatel" and found["user:Nobody"] is None
    assert found["wikipedia:Palmyra Castle"].id == "wikipedia:Fakhr-al-Din al-Maani Castle"  # an id gone redirect
    assert standin.seen.batches == [2]  # Irina Bokova came from memory


def test_an_article_gone_from_wikipedia_leaves_the_base(store, standin, tmp_path):
    config = settings(tmp_path, online_refresh_days=0.2 / 86_400)
    clock = FakeClock()
    standin.add(Article("Short-lived page", "Short-lived page is an article of this test. It is deleted soon."))
    try:
        assert online(store, standin.url, config, clock=clock).get(["wikipedia:Short-lived page"])["wikipedia:Short-lived page"]
    finally:
        del standin.articles["Short-lived page"]
    clock.advance(0.3)
    gone = online(store, standin.url, config, clock=clock).get(["wikipedia:Short-lived page"])
    assert gone == {"wikipedia:Short-lived page": None}
    assert store.entities(["wikipedia:Short-lived page"]) == {} and store.search("Short-lived") == []


def test_nothing_known_and_wikipedia_down_means_not_yet(store, standin, tmp_path):
    config = settings(tmp_path)
    down = online(store, closed_port_url(), config)
    with pytest.raises(WikipediaUnavailable):
        down.lookup("Irina Bokova")
    assert down.get(["wikipedia:Irina Bokova", "user:Someone"]) == {"user:Someone": None}  # absent: pending
    up = online(store, standin.url, config)
    with pytest.raises(WikipediaUnavailable):
        up.lookup("Irina Bokova", network=False)
    assert standin.seen.requests == 0
    up.lookup("Irina Bokova")
    assert titles(up.lookup("Irina Bokova", network=False)) == ["Irina Bokova"]


def test_a_failing_wikipedia_rests_and_the_cache_still_answers(store, standin, tmp_path):
    ok = online(store, standin.url, settings(tmp_path))
    ok.lookup("Syriatel")
    standin.fault = Fault("error", status=500)
    for name in ("Irina Bokova", "ISIS", "Palmyra Castle"):
        with pytest.raises(WikipediaUnavailable):
            ok.lookup(name)
    assert ok.status()["wikipedia"] == "unreachable"
    sent = standin.seen.requests
    assert titles(ok.lookup("Syriatel")) == ["Syriatel"]
    with pytest.raises(WikipediaUnavailable):
        ok.lookup("Irina Bokova")
    assert standin.seen.requests == sent


# -- Redis ------------------------------------------------------------------------------------


@pytest.mark.slow  # a real redis-server
def test_two_workers_sharing_redis_make_one_call_per_title(standin, redis_server, tmp_path):
    # With the deployment secret, what one worker shares is sealed, so the other may keep it in its base.
    config = settings(tmp_path, redis_secret="a deployment secret of some length")
    workers = [online(new_store(tmp_path / f"worker{i}.sqlite3"), standin.url, config, redis_server.url)
               for i in range(2)]
    names = ["ISIS", "Daesh", "Irina Bokova", "Syriatel", "Fakhr-al-Din al-Maani Castle", "Palmyra Castle",
             "Bokova", "Zzyzx Quorble", "ISIL"]
    standin.delay = 0.1  # both workers are asking at the same time
    answers: list[dict] = [{}, {}]

    def run(i):
        for name in names:
            answers[i][name] = titles(workers[i].lookup(name))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers[0] == answers[1]
    assert answers[0]["Daesh"] == ["Islamic State"] and answers[0]["Zzyzx Quorble"] == []
    assert max(standin.seen.titles.values()) == 1, standin.seen.titles
    assert max(standin.seen.searches.values()) == 1, standin.seen.searches
    # Each worker's own base holds what either fetched: it works offline afterwards.
    for i in range(2):
        offline = online(workers[i].store, closed_port_url(), config)
        assert titles(offline.lookup("Palmyra Castle")) == ["Fakhr-al-Din al-Maani Castle"]


@pytest.mark.slow  # a real redis-server
def test_redis_dying_mid_run_costs_one_warning_and_it_comes_back(standin, redis_server, tmp_path, caplog):
    config = settings(tmp_path)
    clock = FakeClock()
    first = online(new_store(tmp_path / "a.sqlite3"), standin.url, config, redis_server.url, clock=clock)
    caplog.set_level(logging.INFO, logger=SHARED_LOG)
    assert titles(first.lookup("ISIS")) == ["Islamic State"]
    redis_server.stop()
    for name in ("Irina Bokova", "Syriatel", "Daesh", "Palmyra Castle", "ISIS"):
        assert first.lookup(name), name
        clock.advance(0.1)  # past the retry interval now and then: a failed retry warns no more
    assert first.status()["shared_cache"] is False
    warnings = [r for r in caplog.records if r.name == SHARED_LOG and r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "unavailable" in warnings[0].getMessage()

    redis_server.start()  # the same port: Redis is back, empty
    clock.advance(0.25)
    assert titles(first.lookup("Fakhr-al-Din al-Maani Castle")) == ["Fakhr-al-Din al-Maani Castle"]
    assert first.status()["shared_cache"] is True
    assert any("reachable again" in r.getMessage() for r in caplog.records if r.name == SHARED_LOG)
    second = online(new_store(tmp_path / "b.sqlite3"), standin.url, config, redis_server.url)
    sent = standin.seen.requests
    assert titles(second.lookup("Fakhr-al-Din al-Maani Castle")) == ["Fakhr-al-Din al-Maani Castle"]
    assert standin.seen.requests == sent  # answered from what the first worker shared after recovery


# -- warming ------------------------------------------------------------------------------------


def test_warm_batches_politely_skips_what_it_has_and_resumes(store, standin, tmp_path):
    real = [p["title"] for p in real_paragraphs()][:30]
    if not real:
        require_shared(PARAGRAPHS)
    config = settings(tmp_path)
    wanted = [*real, "ISIS", "Zzyzx Quorble", "Irina_Bokova", "", "ISIS"]
    source = WikipediaSource(standin.url, timeout=0.5)

    # Interrupted: Wikipedia starts failing after the first batch.
    def fail_from_now(_report):
        standin.fault = Fault("error", status=500)

    pauses: list[float] = []
    report = warm(wanted, store, source, config, progress=fail_from_now, sleep=pauses.append)
    assert (report.asked, report.fetched, report.missing) == (33, 20, 0) and "HTTP 500" in report.stopped
    assert standin.seen.batches == [20, 13]

    standin.fault = None
    report = warm(wanted, store, WikipediaSource(standin.url, timeout=0.5), config, sleep=pauses.append)
    assert (report.skipped, report.fetched, report.missing, report.stopped) == (20, 12, 1, None)
    assert standin.seen.batches[-1] == 13 and pauses == [0.25]

    sent = standin.seen.requests
    report = warm(wanted, store, source, config, sleep=pauses.append)
    assert report.skipped == 33 and standin.seen.requests == sent  # redirects and "no article" count as held
    assert store.lookup("Irina Bokova").source == "wikipedia" and store.lookup("ISIS").title == "Islamic State"


def test_the_shipped_news_titles_warm_the_base(store, standin, tmp_path):
    from reader_context.knowledge.warm import read_titles

    titles = read_titles()
    assert len(titles) >= 300 and len(set(titles)) == len(titles)
    assert not [t for t in titles if t != t.strip() or "#" in t or len(t) > 80]
    # The names the issue found missing from the embedded packs are on it.
    assert {"United States Congress", "Federal Bureau of Investigation", "Hamas", "Reuters", "Pope Francis"} <= set(titles)
    config = Settings(data_dir=tmp_path, kb_path=tmp_path / "kb.sqlite3", warm_delay=0)
    report = warm(titles[:40], store, WikipediaSource(standin.url, timeout=2), config, sleep=lambda s: None)
    assert report.asked == 40 and report.fetched + report.missing == 40 and report.stopped is None
