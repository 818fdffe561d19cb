"""`amu worker`: an RQ worker whose scheduler is supervised in the worker's own process.

RQ runs its scheduler (what moves delayed jobs, such as the collection started a few
seconds after a USSD goodbye, and retries, to the queue when their time comes) as a
forked child that dies on the first Redis error; only the worker's maintenance, every
ten minutes, starts it again. After a Redis outage delayed jobs stalled.

Here the scheduler is a thread of the worker that rides over Redis errors. Every second
it refreshes its lock under its own name (after an outage it takes its own lock back at
once instead of waiting for it to expire) and moves the jobs whose time has come. With
several workers one holds the lock; the others try every second and take over within
the lock's minute when its holder dies.
"""
from __future__ import annotations

import logging
import threading
import time

from redis import Redis, RedisError
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from gateway.logs import redact_as_logged

log = logging.getLogger("amu.worker")


class AmuWorker(SimpleWorker):
    """RQ's SimpleWorker (jobs in the worker's process), listening again within seconds of
    Redis coming back (RQ's back-off grows to a minute)."""

    max_connection_wait_time = 2.0

    def handle_job_failure(self, job, queue, started_job_registry=None, exc_string=""):
        # RQ keeps a failed job's traceback in Redis (a year by default): no more than the log shows.
        super().handle_job_failure(job, queue, started_job_registry, exc_string=redact_as_logged(exc_string))


class SupervisedScheduler:
    def __init__(self, queues, redis_url: str, interval: int = 1):  # whole seconds: RQ's lock TTL is interval + 60
        self.queue_names = {queue.name for queue in queues}
        connection = Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
        self.scheduler = RQScheduler(queues, connection=connection, interval=interval)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="amu-scheduler", daemon=True)
        self._born = False

    def start(self) -> "SupervisedScheduler":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def tick(self) -> None:
        """Hold the lock (take it, or refresh it under our name) and enqueue what is due."""
        scheduler = self.scheduler
        if scheduler.acquired_locks != self.queue_names:
            scheduler.acquire_locks()
        if not scheduler.acquired_locks:
            return  # another worker's scheduler holds it
        if not self._born:
            scheduler.register_birth()
            self._born = True
        scheduler.heartbeat()
        scheduler.enqueue_scheduled_jobs()

    def _run(self) -> None:
        down = False
        while not self._stop.wait(self.interval):
            try:
                self.tick()
            except RedisError as exc:
                if not down:
                    log.warning("scheduler: Redis unavailable (%s); trying again every %s s",
                                type(exc).__name__, self.interval)
                down = True
                continue
            except Exception:  # noqa: BLE001 - the scheduler thread must outlive any one tick
                log.exception("scheduler tick failed")
                continue
            if down:
                log.info("scheduler: Redis is back, delayed jobs move again")
                down = False
        self._release()

    def _release(self) -> None:
        try:
            self.scheduler.release_locks()
            self.scheduler.register_death()
        except RedisError:
            pass  # the lock expires by itself


def wait_for_redis(connection, interval: float = 1.0) -> None:
    """RQ's worker cannot even be built without Redis: started during an outage (a restart,
    services started in any order) it waits for Redis instead of exiting."""
    waiting = False
    while True:
        try:
            connection.ping()
        except RedisError as exc:
            if not waiting:
                log.warning("Redis unavailable (%s); the worker starts when it answers, trying every %s s",
                            type(exc).__name__, interval)
                waiting = True
            time.sleep(interval)
            continue
        if waiting:
            log.info("Redis answers: the worker starts")
        return


def run_worker(runtime, burst: bool = False) -> None:
    """Work the queue until stopped (or, with `burst`, until it is empty)."""
    queues = [runtime.queue.queue]
    # Its own connection: RQ raises the socket timeout of the one it is given to
    # listen for minutes, which the runtime's other Redis calls must not inherit.
    connection = Redis.from_url(runtime.settings.redis_url)
    wait_for_redis(connection)
    worker = AmuWorker(queues, connection=connection)
    if burst:
        worker.work(with_scheduler=True, burst=True)  # moves what is due once, then drains
        return
    scheduler = SupervisedScheduler(queues, runtime.settings.redis_url).start()
    try:
        worker.work()
    finally:
        scheduler.stop()
