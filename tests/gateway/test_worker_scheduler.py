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


@pytest.fixture
def worker_behind_proxy(redis_only, tmp_path):
    runtime = redis_only
    address = runtime.redis.connection_pool.connection_kwargs
    proxy = TcpProxy(address["host"], address["port"]).start()
    env = dict(os.environ, DATABASE_URL=runtime.settings.database_url, AMU_LOG_LEVEL="INFO",
               REDIS_URL=f"redis://127.0.0.1:{proxy.port}/{address.get('db', 0)}")
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        worker = subprocess.Popen([sys.executable, "-m", "gateway.cli", "worker"], env=env, stdout=log,
                                  stderr=subprocess.STDOUT)
    worker.log_path = log_path
    yield worker, proxy
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
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
