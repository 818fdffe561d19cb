"""Where jobs run: RQ on Redis in production, threads in process on the embedded
default, or at once in the caller (tests). Jobs are named by dotted path so that the
RQ payload stays a string and a worker imports the function itself."""
from __future__ import annotations

import importlib
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Protocol

log = logging.getLogger("amu.jobs")

RETRY_INTERVALS = [10, 30, 120, 600, 1800]  # seconds between attempts


def resolve(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


class JobQueue(Protocol):
    def enqueue(self, path: str, *args, retries: bool = False) -> None: ...

    def enqueue_many(self, path: str, calls: list[tuple], retries: bool = False) -> None:
        """`path` once for each tuple of arguments in `calls` (with Redis: one round trip)."""

    def enqueue_in(self, seconds: float, path: str, *args, retries: bool = False) -> None: ...

    def depth(self) -> int: ...


class RqQueue:
    def __init__(self, redis, name: str, max_retries: int):
        from rq import Queue

        self.queue = Queue(name, connection=redis)
        self.redis = redis
        self.max_retries = max_retries

    def work(self) -> None:
        """Run every queued job here and now (tests, `amu ussd` in production mode)."""
        from rq import SimpleWorker

        SimpleWorker([self.queue], connection=self.redis).work(burst=True)

    def _retry(self, retries: bool):
        from rq import Retry

        if not retries or self.max_retries == 0:
            return None
        return Retry(max=self.max_retries, interval=RETRY_INTERVALS[: self.max_retries])

    def enqueue(self, path: str, *args, retries: bool = False) -> None:
        self.queue.enqueue(path, *args, retry=self._retry(retries))

    def enqueue_many(self, path: str, calls: list[tuple], retries: bool = False) -> None:
        retry = self._retry(retries)
        self.queue.enqueue_many([self.queue.prepare_data(path, args, retry=retry) for args in calls])

    def enqueue_in(self, seconds: float, path: str, *args, retries: bool = False) -> None:
        if seconds <= 0:
            return self.enqueue(path, *args, retries=retries)
        self.queue.enqueue_in(timedelta(seconds=seconds), path, *args, retry=self._retry(retries))

    def depth(self) -> int:
        return self.queue.count


class _OneByOne:
    def enqueue_many(self, path: str, calls: list[tuple], retries: bool = False) -> None:
        for args in calls:
            self.enqueue(path, *args, retries=retries)


class InProcessQueue(_OneByOne):
    """Threads in this process. Only for the single-process embedded default."""

    def __init__(self, max_retries: int, workers: int = 2, retry_scale: float = 1.0):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="amu-job")
        self._running = 0  # submitted to the pool, not finished
        self._scheduled = 0  # waiting for their time
        self._timers: set[threading.Timer] = set()
        self._lock = threading.Lock()
        self.max_retries = max_retries
        self.retry_scale = retry_scale

    def _run(self, path: str, args: tuple, attempts_left: int, attempt: int) -> None:
        try:
            resolve(path)(*args)
        except Exception:
            if attempts_left <= 0:
                log.exception("job %s%r failed for good", path, args)
            else:
                delay = RETRY_INTERVALS[min(attempt, len(RETRY_INTERVALS) - 1)] * self.retry_scale
                log.warning("job %s%r failed; retry in %.0f s", path, args, delay, exc_info=True)
                self._later(delay, path, args, attempts_left - 1, attempt + 1)
        finally:
            with self._lock:
                self._running -= 1

    def _submit(self, path, args, attempts_left, attempt, was_scheduled=False):
        with self._lock:
            self._running += 1
            self._scheduled -= was_scheduled
            self._timers.discard(threading.current_thread())
        self._pool.submit(self._run, path, args, attempts_left, attempt)

    def _later(self, seconds, path, args, attempts_left, attempt):
        timer = threading.Timer(seconds, self._submit, (path, args, attempts_left, attempt, True))
        timer.daemon = True
        timer.name = "amu-job-timer"
        with self._lock:
            self._scheduled += 1
            self._timers.add(timer)
        timer.start()

    def close(self) -> None:
        """Drop the jobs waiting for their time and let the running ones finish."""
        with self._lock:
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
        self._pool.shutdown(wait=True)

    def enqueue(self, path: str, *args, retries: bool = False) -> None:
        self._submit(path, args, self.max_retries if retries else 0, 0)

    def enqueue_in(self, seconds: float, path: str, *args, retries: bool = False) -> None:
        self._later(seconds, path, args, self.max_retries if retries else 0, 0)

    def depth(self) -> int:
        return self._running + self._scheduled

    def drain(self, timeout: float = 10.0, scheduled: bool = True) -> None:
        """Wait for the jobs running now (and, with `scheduled`, those waiting for their time)."""
        deadline = time.monotonic() + timeout
        while (self._running or (scheduled and self._scheduled)) and time.monotonic() < deadline:
            time.sleep(0.01)


class EagerQueue(_OneByOne):
    """Runs each job at once in the caller (tests). Like a worker, it records a failing
    job instead of raising into the caller; delayed jobs wait for `run_delayed`."""

    def __init__(self):
        self.delayed: list[tuple[float, str, tuple]] = []
        self.failures: list[tuple[str, tuple, Exception]] = []

    def enqueue(self, path: str, *args, retries: bool = False) -> None:
        try:
            resolve(path)(*args)
        except Exception as exc:  # noqa: BLE001 - a worker would log it and retry
            log.warning("job %s%r failed: %r", path, args, exc)
            self.failures.append((path, args, exc))

    def enqueue_in(self, seconds: float, path: str, *args, retries: bool = False) -> None:
        if seconds <= 0:
            return self.enqueue(path, *args)
        self.delayed.append((seconds, path, args))

    def run_delayed(self) -> int:
        """Run the delayed jobs now, as if their time had come; returns how many ran."""
        jobs, self.delayed = self.delayed, []
        for _seconds, path, args in jobs:
            resolve(path)(*args)
        return len(jobs)

    def depth(self) -> int:
        return len(self.delayed)
