"""How much online work one request can cause (issue 16): a text of thousands of made-up names must neither
flood Wikipedia nor keep another reader's names waiting, and what waits on Wikipedia holds no parsed text.
Wikipedia is the local stand-in."""

from __future__ import annotations

import gc
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from made_up_names import made_up_article
from spacy.tokens import Doc
from test_online_analyze import analyzer_for, copy_kb, wiki  # noqa: F401 (a fixture)
from wikipedia_standin import Fault

from reader_context.pipeline import Block

pytestmark = pytest.mark.slow  # a stand-in Wikipedia with delays, and large texts


def blocks_of(paragraphs: list[str]) -> list[Block]:
    return [Block(f"p{i}", text) for i, text in enumerate(paragraphs)]


def settle(wiki, seconds: float = 3.0) -> int:
    """Stand-in requests once the background lookups are done (no new request for a while)."""
    until, last = time.monotonic() + seconds, -1
    while time.monotonic() < until:
        if wiki.seen.requests == last and wiki.seen.in_flight == 0:
            break
        last = wiki.seen.requests
        time.sleep(0.5)
    return wiki.seen.requests


def test_one_request_of_many_unknown_names_asks_wikipedia_for_its_budget_only(kb_path, tmp_path, wiki):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, wikipedia_request_budget=10)
    result = analyzer.analyze(blocks_of(made_up_article(12_000)))
    unknown = {m.text for m in result.mentions if m.card is None or m.card.startswith("article:")}
    assert len(unknown) > 200  # the flood: hundreds of names Wikipedia could be asked about
    requests = settle(wiki)
    # One lookup is a search, then one query of the candidates' pages: two calls a name at most.
    assert len(wiki.seen.searches) <= 10 and requests <= 20, (len(wiki.seen.searches), requests)
    assert len(result.pending) <= 10
    # Beyond the budget the names keep what they have without Wikipedia: the spokesmen their article card.
    assert sum(m.card is not None and m.card.startswith("article:") for m in result.mentions) > 20


def test_the_names_a_reader_needs_most_are_the_ones_looked_up(kb_path, tmp_path, wiki):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, wikipedia_request_budget=3)
    paragraphs = made_up_article(3_000)
    # Named late, but three times: a reader of this article needs that card more than any one-off name's.
    paragraphs.append("Oswin Trevellick spoke first. Later Oswin Trevellick left, and Oswin Trevellick returned.")
    analyzer.analyze(blocks_of(paragraphs))
    settle(wiki)
    assert "Oswin Trevellick" in wiki.seen.searches, sorted(wiki.seen.searches)
    assert len(wiki.seen.searches) <= 3


def test_another_readers_name_is_looked_up_while_a_flood_is_waiting(kb_path, tmp_path, wiki):
    # A budget as large as the flood, so the queue holds hundreds of its lookups when the reader comes.
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, wikipedia_request_budget=1000,
                            wikipedia_queue_size=1000)
    wiki.delay = 0.2
    flood = analyzer.analyze(blocks_of(made_up_article(12_000, seed=2)))
    assert len(flood.pending) > 100 and analyzer.online_linking.lookups.waiting > 100
    asked = time.monotonic()
    analyzer.analyze([Block("v", "Zelda Ormwick spoke to reporters in Paris on Monday.")])
    while not wiki.seen.searches.get("Zelda Ormwick"):
        assert time.monotonic() - asked < 3, "the reader's name waits behind the flood"
        time.sleep(0.05)
    assert analyzer.online_linking.lookups.waiting > 50  # ... while the flood still waits
    analyzer.online_linking.lookups.shutdown()


def test_what_waits_on_wikipedia_holds_no_parsed_text(kb_path, tmp_path, wiki):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, wikipedia_request_budget=50)
    wiki.delay = 2.0  # every lookup outlives the request
    gc.collect()
    before = sum(isinstance(o, Doc) for o in gc.get_objects())
    result = analyzer.analyze(blocks_of(made_up_article(4_000, seed=3)))
    assert len(result.pending) > 20
    gc.collect()
    assert sum(isinstance(o, Doc) for o in gc.get_objects()) == before
    analyzer.online_linking.lookups.shutdown()


class _CountingPasses:
    """The shared pipeline, counting how many of its passes run at once."""

    def __init__(self, nlp):
        self._nlp, self._lock, self.running, self.most = nlp, threading.Lock(), 0, 0

    def pipe(self, texts):
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        try:
            docs = list(self._nlp.pipe(texts))
            time.sleep(0.2)  # long enough for the other threads' passes to overlap this one if they may
            return docs
        finally:
            with self._lock:
                self.running -= 1


@pytest.mark.parametrize("at_once", [0, 1])
def test_passes_take_turns_when_limited_and_waiting_on_wikipedia_takes_no_turn(kb_path, tmp_path, wiki, at_once):
    analyzer = analyzer_for(copy_kb(kb_path, tmp_path), wiki.url, nlp_concurrency=at_once, deadline_ms=1500)
    analyzer.nlp = counting = _CountingPasses(analyzer.nlp)
    texts = [f"Floods reached Timbuktu on day {i}, and the mayor of Mopti asked for help." for i in range(8)]
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda t: analyzer.analyze([Block("p", t)], online="never"), texts))
    # Unlimited, the threads run their passes at once (and fight over one interpreter); limited, one at a time.
    assert counting.most == 1 if at_once else counting.most > 1, counting.most
    if not at_once:
        return
    wiki.fault = Fault("slow", seconds=3)
    with ThreadPoolExecutor(2) as pool:
        waiting = pool.submit(analyzer.analyze, [Block("p", "Oswin Trevellick met Hallam Quarrie in Mopti.")])
        time.sleep(0.3)  # its pass is done: it waits on Wikipedia until its deadline
        started = time.monotonic()
        analyzer.analyze([Block("q", "Floods reached Timbuktu again.")], online="never")
        assert time.monotonic() - started < 0.8 and not waiting.done()
        assert waiting.result().stats.elapsed_ms > 900  # it did wait on Wikipedia (its timeout is 1 s)
