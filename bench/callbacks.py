"""Callbacks stored and applied per second on PostgreSQL + Redis, against a ceiling
measured on the same PostgreSQL in the same run.

1. Members join and ask to pay through the gateway's services (enrol, start_payment),
   and each payment is taken to `pending` as the provider's answer to its initiation is
   (provider_answers.take): one member in four pays a whole month at its fourth payment.
2. For each payment the provider's success callback (and a second copy for one in five)
   is signed as the fake provider signs it (HMAC-SHA256 over "<t>.<body>") and POSTed
   over HTTP to gunicorn (the Procfile's command, --web-workers of them): stored/s.
3. --workers `amu worker` processes apply them, receipts queued as SMS jobs: applied/s
   is from the workers' start until no callback waits; they then send the receipts and
   stop (sent/s, receipts included).
4. The ceiling: as many bare transactions (one INSERT and one UPDATE each) as there were
   callbacks, on the same PostgreSQL from as many processes as workers.

With --profile DIR the workers run under py-spy (`pip install -e ".[bench]"`), which
samples them while they are on a CPU; their stacks go to DIR/worker-N.txt and a summary
of where the CPU went (by package, and the gateway's own steps) is printed.

    DATABASE_URL=... REDIS_URL=... python bench/callbacks.py [--payments 3000] [--workers 4] [--port 8775]
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.servers import BIN, ROOT, running_gateway  # noqa: E402
from bench.simulate_year import DroppingQueue  # noqa: E402

NO_PROVIDER = "http://127.0.0.1:9"  # the callbacks are signed: applying them asks no provider


def make_payments(env: dict, count: int) -> list[tuple[str, str, int]]:
    """(reference, provider reference, amount) of `count` pending payments, made through the
    services as USSD sessions and initiation jobs make them; four per member."""
    from config.settings import Settings
    from gateway import clock
    from gateway.runtime import build_runtime
    from gateway.services.menu_facade import GatewayMenuServices
    from gateway.services.payments import start_payment
    from gateway.services.provider_answers import Answer, take
    from payment_adapters import PaymentStatus
    from ussd_menus.services import EnrolmentRequest

    runtime = build_runtime(Settings.from_env({**env, "AMU_LOG_LEVEL": "WARNING"}), queue=DroppingQueue())
    services = GatewayMenuServices(runtime)
    members = [
        services.enrol(EnrolmentRequest(
            phone=f"+2289{n:07d}", network="yas", language="fr", full_name=f"Bench Member {n}",
            birth_date=date(1980 + n % 20, 1 + n % 12, 1 + n % 28), sex="FM"[n % 2], occupation="trader",
            region="maritime", rhythm="weekly", rhythm_weekday=n % 7)).id
        for n in range(1, count // 4 + 2)
    ]
    payments = []
    for round_ in range(4):  # a minute and more apart: a payment dialled again is not a duplicate
        with clock.travel_to(clock.now() - timedelta(minutes=2 * (4 - round_))):
            for first in range(0, len(members), 100):
                with runtime.db.begin() as session:
                    for member_id in members[first:first + 100]:
                        if len(payments) == count:
                            break
                        intent, _ = start_payment(session, runtime, member_id=member_id, payer_phone="+22890000001",
                                                  network="yas", amount=2_500)
                        provider_reference = f"fk_b{len(payments)}"
                        take(session, runtime.queue, intent, Answer(PaymentStatus.PENDING, None, provider_reference),
                             "initiate")
                        payments.append((intent.reference, provider_reference, intent.amount))
    runtime.close()
    return payments


def signed_bodies(payments) -> list[bytes]:
    from gateway import clock

    bodies = []
    for n, (reference, provider_reference, amount) in enumerate(payments):
        body = json.dumps({"event": "collection.succeeded", "id": provider_reference, "reference": reference,
                           "status": "succeeded", "amount": amount, "phone": "+22890000001", "network": "yas",
                           "occurred_at": clock.now().isoformat()}).encode()
        bodies += [body] * (2 if n % 5 == 0 else 1)
    return bodies


def post_all(url: str, bodies: list[bytes], senders: int = 8) -> float:
    from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
    from payment_adapters.signing import signature_header

    local = threading.local()  # one HTTP session per sender

    def post(body: bytes) -> int:
        if not hasattr(local, "http"):
            local.http = requests.Session()
        http = local.http
        headers = {SIGNATURE_HEADER: signature_header(DEFAULT_WEBHOOK_SECRET, body), "Content-Type": "application/json"}
        return http.post(f"{url}/payments/fake/callback", data=body, headers=headers, timeout=30).status_code

    began = time.perf_counter()
    with ThreadPoolExecutor(senders) as pool:
        statuses = list(pool.map(post, bodies))
    seconds = time.perf_counter() - began
    assert set(statuses) == {200}, set(statuses)
    return seconds


def waiting_callbacks(engine) -> int:
    from sqlalchemy import func, select

    from gateway.models import ProviderCallback

    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(ProviderCallback)
                                 .where(ProviderCallback.outcome == "received"))


def run_workers(env: dict, count: int, profile: Path | None, engine) -> tuple[float, float, float]:
    """(seconds until no callback waits, seconds until the workers stopped, the workers' CPU seconds)."""
    commands = []
    for n in range(count):
        if profile:
            commands.append([str(BIN / "py-spy"), "record", "--format", "raw", "--rate", "200", "--output",
                             str(profile / f"worker-{n}.txt"), "--", str(BIN / "python"), "-m", "gateway.cli",
                             "worker", "--burst"])
        else:
            commands.append([str(BIN / "amu"), "worker", "--burst"])
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    workers = [subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for command in commands]
    applied = None
    while any(w.poll() is None for w in workers):
        if applied is None and waiting_callbacks(engine) == 0:
            applied = time.perf_counter() - began
        time.sleep(0.05)
    done = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return applied or done, done, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime


def _bare_transactions(url: str, first: int, count: int) -> None:
    import psycopg

    with psycopg.connect(url) as connection:
        for n in range(first, first + count):
            with connection.transaction():
                connection.execute("INSERT INTO bench_ceiling (n, body) VALUES (%s, %s)", (n, "x" * 200))
                connection.execute("UPDATE bench_ceiling_rows SET hits = hits + 1 WHERE id = %s", (n % 500,))


def ceiling(url: str, transactions: int, processes: int) -> float:
    """Bare INSERT+UPDATE transactions per second on this PostgreSQL from `processes` processes."""
    import psycopg

    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute("CREATE TABLE bench_ceiling (id serial PRIMARY KEY, n integer, body text)")
        connection.execute("CREATE TABLE bench_ceiling_rows (id integer PRIMARY KEY, hits integer)")
        connection.execute("INSERT INTO bench_ceiling_rows SELECT g, 0 FROM generate_series(0, 499) g")
    share = transactions // processes
    began = time.perf_counter()
    with ProcessPoolExecutor(processes) as pool:
        list(pool.map(_bare_transactions, [plain] * processes, [k * share for k in range(processes)], [share] * processes))
    return share * processes / (time.perf_counter() - began)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payments", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=4, help="`amu worker` processes applying callbacks")
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers storing callbacks")
    parser.add_argument("--port", type=int, default=8775)
    parser.add_argument("--profile", type=Path, help="folder for the workers' py-spy stacks")
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("set DATABASE_URL and REDIS_URL: this measures PostgreSQL + Redis")
    logging.disable(logging.INFO)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    from gateway.db import make_engine

    extra = {"AMU_FAKE_BASE_URL": NO_PROVIDER, "AMU_LOG_LEVEL": "WARNING"}
    with running_gateway("services", args.port, extra, workers=args.web_workers) as (url, env):
        env = {**env, **extra}
        print(f"making {args.payments} payments through the services...", flush=True)
        payments = make_payments(env, args.payments)
        bodies = signed_bodies(payments)
        stored = post_all(url, bodies)
        engine = make_engine(env["DATABASE_URL"])
        applied, done, cpu = run_workers(env, args.workers, args.profile, engine)
        check = subprocess.run([str(BIN / "amu"), "ledger", "check"], env=env, capture_output=True, text=True)
        left = waiting_callbacks(engine)
        engine.dispose()
        top = ceiling(env["DATABASE_URL"], len(bodies), args.workers)
    rate = len(bodies) / applied
    print(f"stored   {len(bodies)} callbacks over HTTP in {stored:5.1f} s: {len(bodies) / stored:6.0f}/s "
          f"(gunicorn, {args.web_workers} workers, 8 concurrent senders)")
    print(f"applied  {len(bodies)} callbacks ({args.payments} credits, {args.payments // 4} months bought) in "
          f"{applied:5.1f} s: {rate:6.0f}/s ({args.workers} `amu worker` processes, from their start)")
    print(f"sent     the receipts too, all jobs done in {done:5.1f} s: {len(bodies) / done:6.0f} callbacks/s")
    print(f"CPU      the workers used {cpu:5.1f} s of CPU: {1000 * cpu / len(bodies):.1f} ms a callback with its receipts "
          f"({'py-spy sampling included' if args.profile else 'as measured'})")
    print(f"ceiling  {top:6.0f} bare INSERT+UPDATE transactions/s ({args.workers} processes, same PostgreSQL)")
    print(f"ratio    applied / ceiling = {rate / top:.2f}; goal 1 000 applied/s: {'met' if rate >= 1000 else 'NOT met'}")
    print(f"ledger check exit {check.returncode}: {check.stdout.strip().splitlines()[-1]}; callbacks left waiting: {left}")
    if args.profile:
        from bench.profiles import summarise

        print(f"profile of the workers ({args.profile}/worker-*.txt):")
        for line in summarise(sorted(args.profile.glob("worker-*.txt"))):
            print(f"  {line}")


if __name__ == "__main__":
    main()
