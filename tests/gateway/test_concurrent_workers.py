"""Exactly once under concurrency and crashes, with real processes on PostgreSQL + Redis.

1 000 callbacks (duplicates, reorderings, forgeries, wrong amounts, unknown money) go
over HTTP to the Procfile's web process (gunicorn, 3 worker processes), then 4 `amu
worker` processes apply them at once; the logs prove that several processes of each
did work. A worker killed with SIGKILL after its ledger insert and before its commit
(PostgreSQL shows the uncommitted row) loses nothing.
"""
from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select, text

from gateway import clock
from gateway.jobs.sweep import sweep
from gateway.ledger_check import check_ledger
from gateway.models import LedgerEntry, PaymentIntent, ProviderCallback
from gateway.services.payment_states import move
from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
from payment_adapters.signing import signature_header
from tests.gateway.gunicorn_server import Gunicorn
from tests.gateway.payment_helpers import join

pytestmark = pytest.mark.services


NO_PROVIDER = "http://127.0.0.1:9"  # callbacks are signed: applying them calls no provider


@pytest.fixture
def services_only(runtime):
    if runtime.engine.dialect.name != "postgresql" or runtime.redis is None:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: concurrency is proven on the real engines")
    runtime.adapter_settings["AMU_FAKE_BASE_URL"] = NO_PROVIDER
    return runtime


@pytest.fixture
def gateway_url(services_only):
    from payment_adapters.wsgi_thread import serve_wsgi_in_thread

    from gateway.web import create_app

    url, stop = serve_wsgi_in_thread(create_app(runtime=services_only))
    yield url
    stop()


@pytest.fixture
def gunicorn(services_only, tmp_path):
    """The Procfile's web line with 3 worker processes, on the test database and Redis."""
    server = Gunicorn(worker_env(services_only), tmp_path / "gunicorn.log", workers=3)
    yield server
    server.stop()


REPOSITORY = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def worker_env(runtime) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=runtime.settings.database_url,
        REDIS_URL=runtime.settings.redis_url,
        AMU_LOG_LEVEL="WARNING",
        AMU_FAKE_BASE_URL=NO_PROVIDER,
    )
    return env


def start_worker(runtime, log_dir, command=("-m", "gateway.cli", "worker", "--burst"), **env) -> subprocess.Popen:
    # Output goes to a file: an unread pipe fills up and blocks the worker.
    log = tempfile.NamedTemporaryFile("w+", dir=log_dir, suffix=".worker.log", delete=False)
    worker = subprocess.Popen(
        [sys.executable, *command],
        env={**worker_env(runtime), **env},
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPOSITORY,
    )
    worker.log_path = log.name
    return worker


def jobs_done(worker) -> int:
    with open(worker.log_path) as log:
        return len(re.findall(r"Job OK", log.read()))


def tail(worker) -> str:
    with open(worker.log_path) as log:
        return log.read()[-3000:]


def make_pending_intents(runtime, count: int) -> list[PaymentIntent]:
    members = [join(runtime, phone=f"+2289000{n:04d}") for n in range(count // 5)]
    intents = []
    with runtime.db.begin() as session:
        for n in range(count):
            intent = PaymentIntent(
                reference=f"AMUTEST{n:06d}", member_id=members[n % len(members)].id, payer_phone=members[0].phone,
                network="yas", provider="fake", amount=2_000 + n, status="created", provider_reference=f"fk_{n}",
            )
            session.add(intent)
            session.flush()
            move(session, intent, "pending", "test")
            intents.append(intent)
    return intents


def callback_body(reference: str, provider_reference: str, status: str, amount: int) -> bytes:
    return json.dumps({
        "event": f"collection.{status}", "id": provider_reference, "reference": reference, "status": status,
        "amount": amount, "phone": "+22890000001", "network": "yas", "occurred_at": clock.now().isoformat(),
    }).encode()


def post(url: str, body: bytes, secret: str = DEFAULT_WEBHOOK_SECRET) -> int:
    headers = {SIGNATURE_HEADER: signature_header(secret, body), "Content-Type": "application/json"}
    return requests.post(f"{url}/payments/fake/callback", data=body, headers=headers, timeout=10).status_code


def test_1000_callbacks_through_3_web_and_4_worker_processes_credit_each_payment_exactly_once(
        services_only, gunicorn, tmp_path):
    runtime = services_only
    rng = random.Random(20261123)
    intents = make_pending_intents(runtime, 250)
    deliveries, expected_amount, forged = [], {}, 0
    for n, intent in enumerate(intents):
        amount = intent.amount - 7 if n % 10 == 0 else intent.amount  # every tenth: a wrong amount
        expected_amount[intent.reference] = amount
        success = callback_body(intent.reference, intent.provider_reference, "succeeded", amount)
        copies = [success] * rng.choice((1, 2, 3))  # duplicates
        copies.append(callback_body(intent.reference, intent.provider_reference, "pending", intent.amount))  # late, out of order
        deliveries += [(body, DEFAULT_WEBHOOK_SECRET) for body in copies]
    while len(deliveries) < 950:
        intent = rng.choice(intents)
        deliveries.append((callback_body(intent.reference, intent.provider_reference, "succeeded", 99_999), "forger"))
        forged += 1
    unknown = 1000 - len(deliveries)
    for n in range(unknown):  # money for references we never issued
        deliveries.append((callback_body(f"AMUNOSUCH{n:04d}", f"fk_x{n}", "succeeded", 500), DEFAULT_WEBHOOK_SECRET))
    rng.shuffle(deliveries)

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda d: post(gunicorn.url, *d), deliveries))
    assert len(statuses) == 1000
    assert statuses.count(401) == forged and set(statuses) == {200, 401}
    web_processes = gunicorn.worker_pids("/payments/fake/callback")
    assert len(web_processes) > 1, f"one web process took every callback: {web_processes}"

    workers = [start_worker(runtime, tmp_path, AMU_LOG_LEVEL="INFO") for _ in range(4)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, tail(worker)
    applied_by = [jobs_done(worker) for worker in workers]
    assert sum(count > 0 for count in applied_by) > 1, f"one worker applied everything: {applied_by}"
    runtime.queue.work()  # anything a retry left behind

    with runtime.db() as session:
        credited = dict(
            session.execute(
                select(PaymentIntent.reference, PaymentIntent.confirmed_amount).where(PaymentIntent.status == "succeeded")
            ).all()
        )
        collections = session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "collection"))
        suspense = session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "suspense"))
        left = session.scalar(select(func.count()).select_from(ProviderCallback).where(ProviderCallback.outcome == "received"))
        problems = check_ledger(session)[1]
    assert credited == expected_amount, _why_not_credited(runtime, set(expected_amount) - set(credited), tmp_path)
    # every intent, once, at the confirmed amount; the forged 99 999 F never
    assert collections == 250
    assert suspense == unknown
    assert left == 0, _worker_errors(tmp_path)
    assert problems == []


def test_a_worker_killed_after_its_ledger_insert_and_before_its_commit_loses_nothing(services_only, gateway_url, tmp_path):
    runtime = services_only
    (intent,) = make_pending_intents(runtime, 5)[:1]
    body = callback_body(intent.reference, intent.provider_reference, "succeeded", intent.amount)
    assert post(gateway_url, body) == 200

    marker = tmp_path / "paused.json"
    worker = start_worker(runtime, tmp_path, command=("-m", "tests.gateway.paused_worker", str(marker)))
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline, "the worker never reached the ledger"
        assert worker.poll() is None, tail(worker)
        time.sleep(0.05)
    paused = json.loads(marker.read_text())
    assert paused["pid"] == worker.pid
    # PostgreSQL's view of the worker's backend: a transaction open and holding a write lock
    # on ledger_entries, whose new row nobody else can see, but whose key it holds.
    assert _backend(runtime, paused["backend_pid"]) == ("idle in transaction", True, True)
    assert _ledger_keys_visible(runtime) == []
    assert _key_held_by_an_open_transaction(runtime, paused["key"])

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _backend(runtime, paused["backend_pid"]) is not None:
        assert time.monotonic() < deadline, "PostgreSQL kept the killed worker's transaction"
        time.sleep(0.05)
    assert not _key_held_by_an_open_transaction(runtime, paused["key"])  # rolled back, not committed

    with runtime.db() as session:
        assert session.scalar(select(ProviderCallback.outcome)) == "received"
        assert session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "collection")) == 0

    assert sweep(stale=timedelta(0))["callbacks"] == 1  # the minute sweep finds it
    restarted = start_worker(runtime, tmp_path)
    assert restarted.wait(timeout=120) == 0, tail(restarted)
    with runtime.db() as session:
        assert session.scalar(select(ProviderCallback.outcome)) == "applied"
        assert session.get(PaymentIntent, intent.id).status == "succeeded"
        assert session.scalar(select(LedgerEntry.key).where(LedgerEntry.kind == "collection")) == paused["key"]
        assert check_ledger(session)[1] == []


def _why_not_credited(runtime, references, log_dir) -> str:
    with runtime.db() as session:
        rows = session.execute(
            select(ProviderCallback.id, ProviderCallback.outcome, ProviderCallback.detail, ProviderCallback.event)
        ).all()
    mine = [r[:3] for r in rows if r[3] and r[3]["reference"] in references]
    logs = "".join(open(p).read()[-1500:] for p in map(str, log_dir.glob("*.log")))
    return f"not credited {sorted(references)}: callbacks {mine}\nworker logs: {logs}"


def _worker_errors(log_dir) -> str:
    lines = []
    for path in log_dir.glob("*.log"):
        lines += [line for line in path.read_text().splitlines() if "Error" in line or "Exception" in line]
    return "\n".join(lines[-20:])


def _backend(runtime, backend_pid: int) -> tuple[str, bool, bool] | None:
    """(state, has written, holds a write lock on ledger_entries) of one PostgreSQL backend."""
    with runtime.engine.connect() as connection:
        return connection.execute(text(
            "SELECT state, backend_xid IS NOT NULL, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid"
            " AND l.relation = 'ledger_entries'::regclass AND l.mode = 'RowExclusiveLock')"
            " FROM pg_stat_activity a WHERE a.pid = :pid"), {"pid": backend_pid}).first()


def _ledger_keys_visible(runtime) -> list[str]:
    with runtime.engine.connect() as connection:
        return list(connection.scalars(text("SELECT key FROM ledger_entries")))


def _key_held_by_an_open_transaction(runtime, key: str) -> bool:
    """True when inserting an entry with `key` must wait for another transaction: its
    uncommitted row holds the key in the unique index. (This probe is rolled back.)"""
    from sqlalchemy.exc import OperationalError

    with runtime.engine.connect() as connection, connection.begin() as probe:
        connection.execute(text("SET LOCAL lock_timeout = '500ms'"))
        try:
            connection.execute(text("INSERT INTO ledger_entries (key, kind, description, booked_on, created_at)"
                                    " VALUES (:key, 'probe', 'probe', CURRENT_DATE, now())"), {"key": key})
        except OperationalError as exc:
            assert "lock timeout" in str(exc.orig), exc
            return True
        finally:
            probe.rollback()
    return False
