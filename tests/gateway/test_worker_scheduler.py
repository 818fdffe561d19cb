"""`amu worker` keeps its scheduler running through a Redis outage: a job delayed by a
second (a PIN prompt's collection, a retry) runs within seconds of Redis coming back,
without waiting for the old scheduler lock to expire.

The outage is a TCP proxy between the worker and the test's Redis, cut by the test:
the worker loses Redis, the Redis server (shared with others) keeps running."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from redis import Redis

from gateway.jobs.queue import RqQueue
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.services

LOCK = "rq:scheduler-lock:{queue}"


@pytest.fixture
def redis_only(runtime):
    if runtime.redis is None:
        pytest.skip("needs REDIS_URL: the scheduler is RQ's")
    return runtime


def wait_for(predicate, seconds: float, what: str, worker=None):
    deadline = time.monotonic() + seconds
    while not predicate():
        if worker is not None and worker.poll() is not None:
            pytest.fail(f"the worker exited while waiting for {what}: {worker.log_path.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@contextmanager
def worker_on(runtime, redis_port: int, log_path):
    """`amu worker` on the test database, reaching Redis at 127.0.0.1:`redis_port`."""
    db = runtime.redis.connection_pool.connection_kwargs.get("db", 0)
    env = dict(os.environ, DATABASE_URL=runtime.settings.database_url, AMU_LOG_LEVEL="INFO",
               REDIS_URL=f"redis://127.0.0.1:{redis_port}/{db}")
    with open(log_path, "w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "gateway.cli", "worker"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    worker.log_path = log_path
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def worker_behind_proxy(redis_only, tmp_path):
    address = redis_only.redis.connection_pool.connection_kwargs
    proxy = TcpProxy(address["host"], address["port"]).start()
    with worker_on(redis_only, proxy.port, tmp_path / "worker.log") as worker:
        yield worker, proxy
    proxy.stop()


def delayed_job_runs(runtime, key: str, seconds: float) -> bool:
    queue = RqQueue(runtime.redis, runtime.settings.queue_name, 0)
    queue.enqueue_in(1, "tests.gateway.queue_probe.mark", key)
    return wait_for(lambda: runtime.redis.get(key) is not None, seconds, f"the delayed job {key}")


def test_after_a_redis_outage_delayed_jobs_run_within_seconds(redis_only, worker_behind_proxy):
    runtime, (worker, proxy) = redis_only, worker_behind_proxy
    lock = LOCK.format(queue=runtime.settings.queue_name)
    observer = Redis(connection_pool=runtime.redis.connection_pool)
    assert wait_for(lambda: observer.get(lock) is not None, 20, "the scheduler lock", worker), worker.log_path.read_text()
    holder = observer.get(lock)
    assert delayed_job_runs(runtime, "amu:test:before", 30), worker.log_path.read_text()[-3000:]

    proxy.cut()
    time.sleep(3)  # the scheduler's heartbeats fail; RQ's own scheduler process dies here
    lock_expires_in = observer.ttl(lock)
    assert lock_expires_in > 40  # the old lock is still there
    proxy.restore()

    # ... and the delayed job runs well before that lock would have expired
    assert delayed_job_runs(runtime, "amu:test:after", lock_expires_in - 10), worker.log_path.read_text()[-3000:]
    assert observer.get(lock) == holder  # the same scheduler took its own lock back
    assert worker.poll() is None


def test_a_worker_started_while_redis_is_down_waits_for_it_and_then_works(redis_only, tmp_path):
    """Services start in any order, and a worker restarts during an outage: it waits for
    Redis instead of exiting (a crashed process is restarted late, or not at all)."""
    import socket

    runtime = redis_only
    address = runtime.redis.connection_pool.connection_kwargs
    with socket.socket() as probe:  # a free port, where Redis will appear later
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proxy = TcpProxy(address["host"], address["port"])
    try:
        with worker_on(runtime, port, tmp_path / "worker.log") as worker:
            gave_up = wait_for(lambda: worker.poll() is not None, 5, "the worker to give up")
            assert not gave_up, worker.log_path.read_text()[-3000:]
            proxy.port = port
            proxy.start()  # Redis is up
            assert delayed_job_runs(runtime, "amu:test:late_redis", 30), worker.log_path.read_text()[-3000:]
    finally:
        proxy.stop()
