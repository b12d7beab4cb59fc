"""The online Wikipedia source against a local stand-in: candidates, card fields, and every way a call fails."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from reader_context.knowledge.packs import sentences
from reader_context.knowledge.breaker import CircuitBreaker, retry_after_seconds
from reader_context.knowledge.wikipedia import WikipediaSource, WikipediaUnavailable
from conftest import require_shared
from wikipedia_standin import PARAGRAPHS, Fault, WikipediaStandIn, closed_port_url, real_paragraphs


@pytest.fixture()
def wiki(standin):
    standin.fault = None
    standin.delay = 0.0
    source = WikipediaSource(standin.url, timeout=0.5, breaker_failures=3, breaker_seconds=0.4, retry_after_cap=30,
                             user_agent="ReaderContextTests/1.0 (tests@example.org)")
    yield source
    source.close()
    standin.fault = None


# -- candidates and card fields -------------------------------------------------------------------


def test_redirects_and_search_reach_the_article(wiki):
    found = wiki.pages(["ISIS", "Daesh", "ISIL", "Fakhr-al-Din al-Maani Castle", "isis"])
    assert {found[n].id for n in ("ISIS", "Daesh", "ISIL")} == {"wikipedia:Islamic State"}
    assert found["Fakhr-al-Din al-Maani Castle"].id == "wikipedia:Fakhr-al-Din al-Maani Castle"
    assert found["isis"] is None  # normalised to "Isis", which is not the acronym's redirect
    # Each redirect the query followed becomes a name of the entry, so the base knows it offline later.
    assert {a for a, origin, _ in found["ISIS"].aliases if origin == "redirect"} == {"ISIS", "Daesh", "ISIL"}
    assert wiki.search("Daesh")[0] == "Islamic State"
    assert "Fakhr-al-Din al-Maani Castle" in wiki.search("Maani castle")  # not a title: only search finds it


def test_real_wikipedia_is_searched_through_wikipedia_api(standin):
    """Against https://en.wikipedia.org the search goes through wikipedia-api's public interface; here its
    requests are carried to the stand-in, so both ways of searching give the same candidates."""
    def to_standin(request: httpx.Request) -> httpx.Response:
        assert request.url.host == "en.wikipedia.org"
        answer = httpx.get(f"{standin.url}{request.url.path}", params=request.url.params,
                           headers={"User-Agent": request.headers["User-Agent"]})
        return httpx.Response(answer.status_code, headers={"Content-Type": answer.headers["content-type"]},
                              content=answer.content)

    agent = "ReaderContextTests/1.0 (tests@example.org)"
    real = WikipediaSource(transport=httpx.MockTransport(to_standin), timeout=0.5, user_agent=agent)
    ours = WikipediaSource(standin.url, timeout=0.5, user_agent=agent)
    try:
        assert real._wiki is not None and ours._wiki is None
        for name in ("Daesh", "Maani castle", "Zzyzx Quorble"):
            assert real.search(name) == ours.search(name), name
    finally:
        real.close()
        ours.close()


def test_card_fields(wiki, standin):
    bokova = wiki.pages(["Irina Bokova"])["Irina Bokova"]
    assert bokova.id == "wikipedia:Irina Bokova" and bokova.source == "wikipedia"
    assert bokova.kind == "person" and bokova.description == "Bulgarian politician"
    assert bokova.thumbnail == "https://upload.example/Irina_Bokova.jpg"
    assert bokova.url == f"{standin.url}/wiki/Irina_Bokova"
    assert "CC BY-SA" in bokova.attribution
    assert wiki.pages(["Syriatel"])["Syriatel"].kind == "organization"
    assert wiki.pages(["Palmyra Castle"])["Palmyra Castle"].kind == "place"
    same = wiki.summary("Irina Bokova")  # the REST summary gives the same card
    assert (same.id, same.kind, same.description, same.thumbnail, same.url) == (
        bokova.id, bokova.kind, bokova.description, bokova.thumbnail, bokova.url)
    assert wiki.summary("ISIS").id == "wikipedia:Islamic State"  # REST redirect followed


def test_a_disambiguation_page_is_never_a_card(wiki):
    found = wiki.pages(["Palmyra (disambiguation)", "Bokova", "No such page at all", "bad|title"])
    assert set(found.values()) == {None}
    assert wiki.summary("Bokova") is None and wiki.summary("Palmyra (disambiguation)") is None
    assert wiki.summary("No such page at all") is None


def test_the_extract_is_a_card_summary_not_the_article(wiki, standin):
    paragraphs = [p for p in real_paragraphs() if len(sentences(p["first_paragraph"])) >= 4]
    if not paragraphs:
        require_shared(PARAGRAPHS)
    title, lead = paragraphs[0]["title"], paragraphs[0]["first_paragraph"]
    entry = wiki.pages([title])[title]
    assert 1 <= len(sentences(entry.summary)) <= 2 and len(entry.summary) < len(lead)
    query = [p for p in standin.seen.params if p.get("titles") == title][-1]
    assert query["exintro"] == "1" and query["explaintext"] == "1" and int(query["exsentences"]) <= 2
    rest = wiki.summary(title)  # the REST extract is a whole paragraph: trimmed all the same
    assert 1 <= len(sentences(rest.summary)) <= 2


def test_real_titles_in_batches_of_at_most_twenty(wiki, standin):
    titles = [p["title"] for p in real_paragraphs()][:45]
    if not titles:
        require_shared(PARAGRAPHS)
    before = len(standin.seen.batches)
    found = wiki.pages(titles)
    assert [found[t].title for t in titles] == titles  # diacritics, dashes, parentheses survive the round trip
    assert standin.seen.batches[before:] == [20, 20, 5]


def test_a_descriptive_user_agent_on_every_call(wiki, standin):
    wiki.search("Syriatel")
    wiki.pages(["Syriatel"])
    wiki.summary("Syriatel")
    agents = {a for a in standin.seen.user_agents if a.startswith("ReaderContextTests")}
    assert agents and all("tests@example.org" in a for a in agents)
    assert not [a for a in standin.seen.user_agents if not a.startswith("ReaderContextTests")]


# -- failures -------------------------------------------------------------------------------------


def test_a_slow_wikipedia_costs_about_the_timeout(wiki, standin):
    standin.fault = Fault("slow", seconds=5)
    for call in (lambda: wiki.search("Syriatel"), lambda: wiki.pages(["Syriatel"]), lambda: wiki.summary("Syriatel")):
        started = time.monotonic()
        with pytest.raises(WikipediaUnavailable, match="timed out"):
            call()
        assert time.monotonic() - started < 1.5  # one 0.5 s timeout, no retries (the library's default is ~47 s)


def test_the_breaker_opens_short_circuits_and_recovers(wiki, standin):
    standin.fault = Fault("error", status=500)
    for _ in range(3):
        with pytest.raises(WikipediaUnavailable, match="HTTP 500"):
            wiki.pages(["Syriatel"])
    assert wiki.breaker.state == "open" and not wiki.available
    sent = standin.seen.requests
    for call in (lambda: wiki.pages(["Syriatel"]), lambda: wiki.search("Syriatel"), lambda: wiki.summary("Syriatel")):
        with pytest.raises(WikipediaUnavailable, match="paused"):
            call()
    assert standin.seen.requests == sent  # nothing went out while open
    time.sleep(0.45)
    assert wiki.breaker.state == "half-open"
    with pytest.raises(WikipediaUnavailable, match="HTTP 500"):  # the probe fails: open again at once
        wiki.pages(["Syriatel"])
    assert wiki.breaker.state == "open"
    standin.fault = None
    time.sleep(0.45)
    assert wiki.pages(["Syriatel"])["Syriatel"].title == "Syriatel"
    assert wiki.breaker.state == "closed"


def test_the_half_open_breaker_lets_one_probe_through():
    now = [0.0]
    breaker = CircuitBreaker(2, 10, 60, clock=lambda: now[0])
    breaker.failed()
    assert breaker.allow()  # one failure is not yet a pattern
    breaker.failed()
    assert not breaker.allow()
    now[0] = 10.5
    assert breaker.allow() and not breaker.allow()  # the probe, and nobody beside it
    breaker.succeeded()
    assert breaker.allow() and breaker.state == "closed"


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(wiki, standin, status):
    standin.fault = Fault("rate-limit", status=status, retry_after="1")
    with pytest.raises(WikipediaUnavailable):
        wiki.search("Syriatel")  # through wikipedia-api, which drops the header on a 503
    standin.fault = None
    sent = standin.seen.requests
    with pytest.raises(WikipediaUnavailable, match="paused"):  # after one answer, not three failures
        wiki.pages(["Syriatel"])
    time.sleep(0.5)
    with pytest.raises(WikipediaUnavailable, match="paused"):  # longer than the breaker's own 0.4 s
        wiki.pages(["Syriatel"])
    assert standin.seen.requests == sent
    time.sleep(0.6)
    assert wiki.pages(["Syriatel"])["Syriatel"] is not None


def test_retry_after_is_capped(standin):
    source = WikipediaSource(standin.url, timeout=0.5, retry_after_cap=0.3)
    standin.fault = Fault("rate-limit", status=429, retry_after="86400")
    with pytest.raises(WikipediaUnavailable, match="429"):
        source.pages(["Syriatel"])
    standin.fault = None
    assert 0 < source.breaker.seconds_left() <= 0.3
    time.sleep(0.35)
    assert source.pages(["Syriatel"])["Syriatel"] is not None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0 and retry_after_seconds("12") == 12.0


def test_malformed_json_is_a_clean_failure(wiki, standin):
    standin.fault = Fault("malformed")
    for call in (lambda: wiki.search("Syriatel"), lambda: wiki.pages(["Syriatel"]), lambda: wiki.summary("Syriatel")):
        with pytest.raises(WikipediaUnavailable, match="not JSON"):
            call()


def test_an_unreachable_wikipedia_is_a_clean_quick_failure():
    source = WikipediaSource(closed_port_url(), timeout=0.5)
    started = time.monotonic()
    for call in (lambda: source.search("Syriatel"), lambda: source.pages(["Syriatel"]),
                 lambda: source.summary("Syriatel")):
        with pytest.raises(WikipediaUnavailable):
            call()
    assert time.monotonic() - started < 1.5
    assert not source.available


def test_at_most_a_few_calls_in_flight():
    with WikipediaStandIn(with_real_paragraphs=False) as standin:  # no slow answers of other tests still open
        source = WikipediaSource(standin.url, timeout=2, max_in_flight=2)
        standin.delay = 0.2
        threads = [threading.Thread(target=source.pages, args=([f"Syriatel {i}"],)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert standin.seen.requests == 6 and standin.seen.most_in_flight == 2
