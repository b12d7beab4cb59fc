"""The Wikipedia lookups of every request of one process: a few at a time, a bounded number waiting, and
fair between requests.

One request naming thousands of unknown people must neither hammer Wikipedia nor make another reader's
one name wait behind them. So the waiting lookups are kept per request and served in turn (round-robin:
each free thread takes the next request's first lookup), and what does not fit is refused at once, or,
when a request holding more than its share fills the queue, its last (least needed) waiting lookup is
dropped to make room. A refused or dropped name keeps the card it had without Wikipedia. The same name
asked by two requests is one lookup.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any


@dataclass
class _Task:
    key: Hashable
    call: Callable[[], Any]
    future: Future


class LookupQueue:
    """`submit(request, key, call)` gives a Future of `call()`, or None when the queue cannot take it.
    `workers` calls run at once; at most `capacity` wait."""

    def __init__(self, workers: int, capacity: int, *, name: str = "wikipedia"):
        self.workers = workers
        self.capacity = capacity
        self.name = name
        self._closed = False
        self._reset()
        # gunicorn preloads the app in its master and forks the workers, which inherit no threads (and maybe a
        # held lock): each process starts its own on its first lookup.
        after_fork = weakref.WeakMethod(self._reset)
        os.register_at_fork(after_in_child=lambda: (reset := after_fork()) and reset())

    def _reset(self) -> None:
        self._ready = threading.Condition()
        self._waiting: OrderedDict[Hashable, deque[_Task]] = OrderedDict()  # by request, in turn order
        self._by_key: dict[Hashable, Future] = {}
        self._count = 0
        self._started = False

    @property
    def waiting(self) -> int:
        with self._ready:
            return self._count

    def submit(self, request: Hashable, key: Hashable, call: Callable[[], Any]) -> Future | None:
        dropped = None
        with self._ready:
            if self._closed:
                return None
            same = self._by_key.get(key)
            if same is not None:
                return same
            if self._count >= self.capacity:
                dropped = self._drop_for(request)
                if dropped is None:
                    return None
            task = _Task(key, call, Future())
            self._waiting.setdefault(request, deque()).append(task)
            self._by_key[key] = task.future
            self._count += 1
            if not self._started:
                self._started = True
                for i in range(self.workers):
                    threading.Thread(target=self._serve, name=f"{self.name}-{i}", daemon=True).start()
            self._ready.notify()
        if dropped is not None:
            dropped.future.cancel()  # outside the lock: its callbacks run here
        return task.future

    def shutdown(self) -> None:
        """Drop what waits; calls in flight finish on their own (the threads are daemons)."""
        with self._ready:
            self._closed = True
            tasks = [t for queue in self._waiting.values() for t in queue]
            self._waiting.clear()
            self._by_key.clear()
            self._count = 0
            self._ready.notify_all()
        for task in tasks:
            task.future.cancel()

    def _drop_for(self, request: Hashable) -> _Task | None:
        """The last waiting lookup of the request holding the most, if that is more than `request` would
        hold with one more: max-min fairness, so a flood cannot keep a newcomer out."""
        mine = len(self._waiting.get(request, ()))
        longest = max(self._waiting, key=lambda r: len(self._waiting[r]), default=None)
        if longest is None or longest == request or len(self._waiting[longest]) <= mine + 1:
            return None
        task = self._waiting[longest].pop()
        if not self._waiting[longest]:
            del self._waiting[longest]
        self._count -= 1
        self._by_key.pop(task.key, None)
        return task

    def _serve(self) -> None:
        while True:
            with self._ready:
                while not self._waiting and not self._closed:
                    self._ready.wait()
                if self._closed:
                    return
                request, queue = next(iter(self._waiting.items()))
                task = queue.popleft()
                self._count -= 1
                if queue:
                    self._waiting.move_to_end(request)
                else:
                    del self._waiting[request]
            if task.future.set_running_or_notify_cancel():
                try:
                    result = task.call()
                except BaseException as exc:  # noqa: BLE001  (the caller reads it from the future)
                    task.future.set_exception(exc)
                else:
                    task.future.set_result(result)
            with self._ready:
                if self._by_key.get(task.key) is task.future:
                    del self._by_key[task.key]
