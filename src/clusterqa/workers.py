"""Answering in worker processes, so that a server uses every core.

One Python process answers on about one core at a time (the GIL): under load the web server
spent ~30 ms of CPU per answer, ~18 of them in ``ask`` itself, and topped out near one core. A
pool of processes, each with its own ``ClusterQA`` over the same index folder, answers on all
of them; the server process is left with the HTTP work. Each worker reloads the index when a
rebuild switches generations, exactly as a single ``ClusterQA`` does.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import ClusterQA
    from .models import Answer

log = logging.getLogger(__name__)

_QA: ClusterQA | None = None
WARM_SECONDS = 300.0  # at most, for every worker to load the model and the index


def _start(settings_json: str) -> None:
    global _QA
    from .api import ClusterQA
    from .settings import Settings

    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()

    _QA = ClusterQA(settings=Settings.model_validate_json(settings_json))
    _QA.embedder  # noqa: B018 - load the model before the first question arrives


def _exit_with_parent(parent: int) -> None:
    """A server stopped by a signal (or ``kill -9``) never shuts its pool down: a worker
    whose parent is gone exits by itself instead of waiting for questions forever."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _ask(question: str, history: Any) -> Answer:
    assert _QA is not None
    return _QA.ask(question, history=history)


def _ready(pause: float) -> int:
    assert _QA is not None
    _QA.sources()  # loads the index
    time.sleep(pause)  # leave the next check-in to a worker that has not answered yet
    return os.getpid()


class AskPool:
    """``ask`` answered by ``workers`` processes; falls back to ``qa`` if the pool breaks."""

    def __init__(self, qa: ClusterQA, workers: int) -> None:
        self.qa = qa
        self._pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),  # no torch state forked
            initializer=_start,
            initargs=(qa.settings.model_dump_json(),),
        )
        self.workers = workers

    def warm(self) -> list[int]:
        """Start every worker and load its model and index before the first user comes;
        returns the workers' process ids. A worker that starts fast would take every check-in
        of a single round, so rounds go on until each worker has answered one."""
        seen: set[int] = set()
        deadline = time.monotonic() + WARM_SECONDS
        while len(seen) < self.workers and time.monotonic() < deadline:
            seen.update(self._pool.map(_ready, [0.2] * self.workers))
        return sorted(seen)

    def ask(self, question: str, history: Any = None) -> Answer:
        try:
            return self._pool.submit(_ask, question, history).result()
        except BrokenProcessPool:
            log.warning("the answering processes stopped; answering in the server process")
            return self.qa.ask(question, history=history)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def worker_count(setting: int) -> int:
    """Worker processes for a setting: 0 means one per core (none on a single core)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    n = setting or (cores or 1)
    return n if n > 1 else 0
