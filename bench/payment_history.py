"""A payment's cost against the payments before it: a member with a short history and one
with a long one, measured in the same run.

Two daily payers (market sellers). One joins and pays every day for --history days (1 000
by default: nearly three years of 400 F, about 40 months of cover bought, dues made
ahead by the daily round as in production); the other joins 10 days before the end and
pays on each of them. Then both pay --payments more times, one after the other, day after day,
each payment credited by the services a confirmed callback goes through (start_payment,
then settle: the ledger, the dues paid oldest first, cover, the state history, the
receipt). Prints each member's median and 90th-percentile time per payment and the ratio
of the medians. Goal: within 20 % (a ratio of 1.20 or less).

    python bench/payment_history.py [--history 1000] [--payments 200]
    DATABASE_URL=postgresql://... python bench/payment_history.py   # on PostgreSQL (schema amu_bench)
"""
from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import time
from datetime import date, datetime, time as clock_time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.simulate_year import DroppingQueue, prepare_database  # noqa: E402

AMOUNT = 400  # a market seller's daily contribution


def at(day: date, hour: int):
    from gateway import clock

    return clock.travel_to(datetime.combine(day, clock_time(hour), tzinfo=clock.LOME))


def pay(runtime, member_id: int, phone: str) -> float:
    """Credit one payment as a confirmed callback would; returns the seconds it took."""
    from gateway.services.payments import settle, start_payment

    began = time.perf_counter()
    with runtime.db.begin() as session:
        intent, _ = start_payment(session, runtime, member_id=member_id, payer_phone=phone, network="yas",
                                  amount=AMOUNT, channel="simulation")
        intent.provider_reference = f"bench-{intent.reference}"
        settle(session, runtime.queue, intent, AMOUNT, "bench")
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--history", type=int, default=1000, help="past payments of the long-standing member")
    parser.add_argument("--payments", type=int, default=200, help="payments measured for each member")
    parser.add_argument("--start", type=date.fromisoformat, default=date(2024, 1, 1))
    args = parser.parse_args()

    logging.disable(logging.INFO)
    from config.settings import Settings
    from gateway.jobs import daily
    from gateway.ledger_check import check_ledger
    from gateway.runtime import build_runtime, set_runtime
    from gateway.services.menu_facade import GatewayMenuServices
    from ussd_menus.services import EnrolmentRequest

    url = prepare_database(os.environ.get("DATABASE_URL"))
    runtime = build_runtime(Settings.from_env({"DATABASE_URL": url, "AMU_LOG_LEVEL": "WARNING"}), queue=DroppingQueue())
    set_runtime(runtime)
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"{args.history} past payments against 10, then {args.payments} payments each, on {backend}", flush=True)
    services = GatewayMenuServices(runtime)
    members = {}

    def join(name: str, phone: str, day: date) -> None:
        with at(day, 8):
            member = services.enrol(EnrolmentRequest(
                phone=phone, network="yas", language="fr", full_name=f"Bench {name.title()}", birth_date=date(1985, 5, 1),
                sex="F", occupation="trader", region="maritime", rhythm="daily"))
        members[name] = (member.id, phone)

    join("long", "+22890000801", args.start)
    join("short", "+22890000802", args.start + timedelta(days=args.history - 10))

    def day_of_payments(day: date, who: list[str], timings: dict | None = None) -> None:
        with at(day, 4):
            daily.generate_dues()  # the dues round, as the worker runs it each morning
        with at(day, 12):
            for name in who:
                seconds = pay(runtime, *members[name])
                if timings is not None:
                    timings[name].append(seconds)

    began = time.perf_counter()
    for offset in range(args.history):
        day = args.start + timedelta(days=offset)
        day_of_payments(day, ["long", "short"] if offset >= args.history - 10 else ["long"])
    print(f"history made in {time.perf_counter() - began:.0f} s", flush=True)

    timings = {"long": [], "short": []}
    for offset in range(args.payments):
        day = args.start + timedelta(days=args.history + offset)
        day_of_payments(day, ["short", "long"] if offset % 2 else ["long", "short"], timings)

    with runtime.db() as session:
        problems = check_ledger(session)[1]
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    for name, label in (("short", f"{10:>5} past payments"), ("long", f"{args.history:>5} past payments")):
        p90 = statistics.quantiles(timings[name], n=10)[-1] * 1000
        print(f"{label}  median {medians[name]:6.2f} ms  p90 {p90:6.2f} ms per payment")
    ratio = medians["long"] / medians["short"]
    print(f"ratio (long / short median): {ratio:.2f}  goal <= 1.20: {'met' if ratio <= 1.2 else 'NOT met'}")
    print(f"ledger check {'clean' if not problems else problems[:3]}")
    runtime.close()
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
