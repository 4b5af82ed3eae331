"""Where the service's notes are analysed: never on the event loop.

With one worker the pipeline lives in one thread of the server process. With N workers it lives in N
processes (each builds it once, at start-up) behind one event loop: every request goes to whichever
process is free, so a burst of requests is shared evenly (uvicorn's own worker processes each accept
what connections they happen to win, and one could queue 26 of 32 clients while the other idled). In a
worker process the per-note time limit is enforced (a note past it gets a ``timeout`` error result); a
process that dies is replaced and its notes tried once more, then answered ``worker_died``."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Optional

from ..analysis import _error, analyze_many, load


def analyse_to_json(records: list, note_time_limit: Optional[float]) -> list[str]:
    """Each record's AnalysisResult as JSON, in order (run where the pipeline lives)."""
    return [result.model_dump_json() for result in analyze_many(records, time_limit=note_time_limit)]


def _built() -> int:
    load()
    return os.getpid()


def _start_worker(parent: int) -> None:
    """A worker process's start: build the pipeline, and leave when the server process is gone (killed,
    say) instead of waiting for work that will never come."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="billfacts-parent-watch", daemon=True).start()
    load()


class RequestTimeout(Exception):
    """A request ran past the service's time limit."""


class Analyzer:
    def __init__(self, workers: int, time_limit: float):
        self.workers = workers
        self.time_limit = time_limit
        self.executor = self._start()
        self.builds = [self.executor.submit(_built) for _ in range(workers)]

    def _start(self) -> Executor:
        if self.workers <= 1:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="billfacts-analysis")
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(),))

    @property
    def ready(self) -> bool:
        return all(build.done() and build.exception() is None for build in self.builds)

    async def analyse(self, records: list[Any]) -> list[str]:
        """The records' results as JSON strings; raises RequestTimeout past the time limit."""
        # In a worker process the per-note limit holds (a real-time timer in its main thread); a thread
        # cannot set one, and the request's limit is the guard there.
        note_limit = self.time_limit if self.workers > 1 else None
        for attempt in (1, 2):
            try:
                future = self.executor.submit(analyse_to_json, records, note_limit)  # a broken pool raises here
                return await asyncio.wait_for(asyncio.wrap_future(future), timeout=self.time_limit)
            except asyncio.TimeoutError:
                raise RequestTimeout from None
            except BrokenProcessPool:
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._start()
                if attempt == 2:
                    return [_error(_note_id(record), "worker_died", "the worker process analysing this note died "
                                                                    "twice").model_dump_json() for record in records]
        raise AssertionError("unreachable")

    def close(self, grace: float = 10.0) -> None:
        """Stop the workers: queued work is cancelled, running notes get ``grace`` seconds, then the
        processes are ended."""
        processes = list(getattr(self.executor, "_processes", None) or {})
        self.executor.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + grace
        for pid in processes:
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return False  # already reaped
    return finished == 0


def _note_id(record: Any) -> Optional[str]:
    note_id = record.get("note_id") if isinstance(record, dict) else getattr(record, "note_id", None)
    return note_id if isinstance(note_id, str) else None
