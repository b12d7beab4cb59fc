"""The process's queue of Wikipedia lookups: bounded, fair between requests, one call per name."""

from __future__ import annotations

import threading
import time

import pytest

from reader_context.knowledge.lookups import LookupQueue


class Calls:
    """Calls that wait for the test's go, recording the order they ran in."""

    def __init__(self):
        self.ran: list[str] = []
        self.go = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, name: str):
        def call():
            self.go.wait(5)
            with self._lock:
                self.ran.append(name)
            return name
        return call


@pytest.fixture()
def calls():
    made = Calls()
    yield made
    made.go.set()  # nothing left blocking a queue's thread


@pytest.fixture()
def queue_of():
    made: list[LookupQueue] = []

    def make(workers: int, capacity: int) -> LookupQueue:
        made.append(LookupQueue(workers=workers, capacity=capacity))
        return made[-1]

    yield make
    for queue in made:
        queue.shutdown()


def test_a_flooding_request_waits_its_turn_behind_another_readers_name(calls, queue_of):
    queue = queue_of(1, 1000)
    flood = [queue.submit("flood", f"Flood {i}", calls(f"Flood {i}")) for i in range(50)]
    time.sleep(0.05)  # the one thread has taken the flood's first name
    victim = queue.submit("reader", "Zelda Ormwick", calls("Zelda Ormwick"))
    calls.go.set()
    assert victim.result(5) == "Zelda Ormwick"
    # Round-robin: the reader's name runs second, not after the 49 others waiting before it.
    assert calls.ran.index("Zelda Ormwick") <= 2, calls.ran[:5]
    assert [f.result(5) for f in flood] == [f"Flood {i}" for i in range(50)]


def test_the_queue_is_bounded_and_a_newcomer_takes_room_from_the_largest_request(calls, queue_of):
    queue = queue_of(1, 10)
    first = queue.submit("flood", "Flood 0", calls("Flood 0"))
    time.sleep(0.05)  # running: out of the queue
    flood = [queue.submit("flood", f"Flood {i}", calls(f"Flood {i}")) for i in range(1, 30)]
    assert sum(f is not None for f in flood) == 10 and queue.waiting == 10
    assert all(f is None for f in flood[10:])  # refused at once: nothing to drop for its own request
    mine = [queue.submit("reader", f"Name {i}", calls(f"Name {i}")) for i in range(3)]
    assert all(f is not None for f in mine) and queue.waiting == 10
    dropped = [f for f in flood[:10] if f.cancelled()]
    assert dropped == flood[7:10]  # the flood's last (least needed) names made room
    calls.go.set()
    assert [f.result(5) for f in mine] == ["Name 0", "Name 1", "Name 2"] and first.result(5) == "Flood 0"


def test_one_name_asked_by_two_requests_is_one_call(calls, queue_of):
    queue = queue_of(2, 10)
    one = queue.submit("a", "Irina Bokova", calls("Irina Bokova"))
    two = queue.submit("b", "Irina Bokova", calls("Irina Bokova"))
    calls.go.set()
    assert one is two and one.result(5) == "Irina Bokova" and calls.ran == ["Irina Bokova"]


def test_shutdown_drops_what_waits(calls):
    queue = LookupQueue(workers=1, capacity=10)
    running = queue.submit("a", "A", calls("A"))
    time.sleep(0.05)
    waiting = queue.submit("a", "B", calls("B"))
    queue.shutdown()
    assert waiting.cancelled() and queue.submit("a", "C", calls("C")) is None
    calls.go.set()
    assert running.result(5) == "A"


def test_a_forked_worker_runs_its_own_lookups(calls, queue_of):
    """gunicorn forks its workers from a master that built the queue: no thread of the master's survives."""
    import os

    queue = queue_of(1, 10)
    calls.go.set()
    assert queue.submit("master", "A", calls("A")).result(5) == "A"
    child = os.fork()
    if child == 0:  # the worker: exit status 0 only if its own lookup ran
        try:
            os._exit(0 if queue.submit("worker", "B", calls("B")).result(5) == "B" else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
