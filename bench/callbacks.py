"""Callbacks stored and applied per second on PostgreSQL + Redis.

Makes N pending payments, POSTs one signed fake-provider callback for each (plus a
duplicate for one in five) to gunicorn over HTTP: the rate at which they are stored
and acknowledged. Then runs W `amu worker` processes until the queue is empty: the
rate at which they are verified, credited, turned into cover and receipts.

    DATABASE_URL=... REDIS_URL=... python bench/callbacks.py [--payments 2000] [--workers 4]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.servers import BIN, ROOT, running_gateway  # noqa: E402


def make_payments(env: dict, count: int) -> list[tuple[str, str, int]]:
    from sqlalchemy import insert

    from gateway.db import make_engine
    from gateway.models import Member, PaymentIntent, Scheme

    engine = make_engine(env["DATABASE_URL"])
    with engine.begin() as connection:
        scheme_id = connection.scalar(Scheme.__table__.select().with_only_columns(Scheme.id))
        members = count // 4 or 1
        connection.execute(insert(Member), [
            dict(amu_number=f"{n:010d}", phone=f"+2289{n:07d}", full_name="Bench Member", birth_date=date(1990, 1, 1),
                 sex="F", occupation="trader", region="maritime", language="fr", rhythm="weekly", rhythm_weekday=2,
                 rhythm_months=[], scheme_id=scheme_id, joined_at=datetime.now(timezone.utc))
            for n in range(1, members + 1)
        ])
        ids = list(connection.scalars(Member.__table__.select().with_only_columns(Member.id)))
        payments = [(f"AMUBENCH{n:06d}", f"fk_b{n}", 2_500) for n in range(count)]
        connection.execute(insert(PaymentIntent), [
            dict(reference=ref, member_id=ids[n % len(ids)], payer_phone="+22890000001", network="yas", provider="fake",
                 amount=amount, status="pending", provider_reference=prov, created_at=datetime.now(timezone.utc),
                 updated_at=datetime.now(timezone.utc), initiate_attempts=1, polls=0, amount_mismatch=False,
                 channel="ussd")
            for n, (ref, prov, amount) in enumerate(payments)
        ])
    engine.dispose()
    return payments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--payments", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8775)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("set DATABASE_URL and REDIS_URL: this measures PostgreSQL + Redis")
    from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
    from payment_adapters.signing import signature_header

    extra = {"AMU_FAKE_BASE_URL": "http://127.0.0.1:9"}
    with running_gateway("services", args.port, extra, workers=2) as (url, env):
        payments = make_payments(env, args.payments)
        bodies = []
        for n, (reference, provider_reference, amount) in enumerate(payments):
            body = json.dumps({"event": "collection.succeeded", "id": provider_reference, "reference": reference,
                               "status": "succeeded", "amount": amount, "phone": "+22890000001", "network": "yas",
                               "occurred_at": datetime.now(timezone.utc).isoformat()}).encode()
            bodies += [body] * (2 if n % 5 == 0 else 1)
        http = requests.Session()

        def post(body: bytes) -> int:
            headers = {SIGNATURE_HEADER: signature_header(DEFAULT_WEBHOOK_SECRET, body),
                       "Content-Type": "application/json"}
            return http.post(f"{url}/payments/fake/callback", data=body, headers=headers, timeout=15).status_code

        start = time.perf_counter()
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(post, bodies))
        stored = time.perf_counter() - start
        assert set(statuses) == {200}, set(statuses)
        start = time.perf_counter()
        workers = [subprocess.Popen([str(BIN / "amu"), "worker", "--burst"], env={**env, **extra}, cwd=ROOT,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(args.workers)]
        for worker in workers:
            worker.wait()
        applied = time.perf_counter() - start
        check = subprocess.run([str(BIN / "amu"), "ledger", "check"], env=env, capture_output=True, text=True)
    print(f"stored   {len(bodies)} callbacks over HTTP in {stored:5.1f} s: {len(bodies) / stored:6.0f} callbacks/s "
          f"(gunicorn, 2 workers, 8 concurrent senders)")
    print(f"applied  {len(bodies)} callbacks ({args.payments} credits + receipts) in {applied:5.1f} s: "
          f"{len(bodies) / applied:6.0f} callbacks/s ({args.workers} worker processes)")
    print(f"ledger check exit {check.returncode}: {check.stdout.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
