"""A simulated year of members with irregular incomes, through the gateway's own services.

Members join (most in January, the rest through the year) with a rhythm drawn from a
mix of informal workers: market sellers who pay small sums on the days they sell,
weekly payers on market day, monthly wage-like payers, cotton and maize growers who pay
at harvest, and members who stop paying for months and come back. Each simulated day
runs what the worker runs (04:00 dues, 05:00 states, 18:00 reminders) and credits that
day's payments as confirmed callbacks would (start_payment, then settle).

Prints the time of each part, the peak memory of this process, and what the year
produced: payments, cover bought, states, dues, arrears, reminders, receipts.
The SMS jobs are queued, not sent (the outbox rows are counted).

    python bench/simulate_year.py [--members 10000] [--days 365] [--seed 7]
    DATABASE_URL=postgresql://... python bench/simulate_year.py   # on PostgreSQL
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The mix of rhythms among informal workers (an assumption for the benchmark, not data).
RHYTHMS = [("daily", 15), ("weekly", 30), ("monthly", 25), ("quarterly", 5), ("half_yearly", 5),
           ("yearly", 5), ("seasonal", 15)]
HARVESTS = [(1,), (11, 12), (7, 12), (1, 8)]  # cotton in January, maize twice a year...


@dataclass
class Habit:
    """How one member pays: on which days, how much, and the months they stop."""

    member_id: int
    rhythm: str
    weekday: int | None
    months: tuple[int, ...]
    joins_on: date
    keenness: float  # how likely they pay on a day they would
    stops: tuple[date, date] | None  # a stretch without income


def draw_habits(rng: random.Random, count: int, start: date, days: int) -> list[dict]:
    names, weights = zip(*RHYTHMS)
    habits = []
    for n in range(count):
        rhythm = rng.choices(names, weights)[0]
        joins = start if rng.random() < 0.6 else start + timedelta(days=rng.randrange(days - 30))
        stop = None
        if rng.random() < 0.15:
            begins = joins + timedelta(days=rng.randrange(30, max(31, days - 30)))
            stop = (begins, begins + timedelta(days=rng.randrange(60, 200)))
        habits.append(dict(
            n=n, rhythm=rhythm, joins_on=joins, stops=stop, keenness=rng.uniform(0.55, 0.97),
            weekday=rng.randrange(7) if rhythm == "weekly" else None,
            months=rng.choice(HARVESTS) if rhythm == "seasonal" else (),
        ))
    return habits


def payment_today(rng: random.Random, habit: Habit, day: date, price_now) -> int | None:
    """The amount this member pays on `day`, if any: irregular, not what the dues say.
    `price_now()` is what their next period costs (asked only when they pay by it)."""
    if day < habit.joins_on or (habit.stops and habit.stops[0] <= day <= habit.stops[1]):
        return None
    if rng.random() > habit.keenness:
        return None
    if habit.rhythm == "daily":  # sells most days, pays on some
        return rng.choice([300, 500, 500, 700, 1000]) if rng.random() < 0.4 else None
    if habit.rhythm == "weekly":
        return rng.choice([2000, 2500, 2500, 3000, 5000]) if day.weekday() == habit.weekday else None
    if habit.rhythm == "monthly":
        if day.day != 1 + habit.member_id % 28:
            return None
        price = price_now()
        return rng.choice([price, price, price, price // 2, 2 * price])
    if habit.rhythm == "seasonal":
        in_harvest = day.month in habit.months and day.day == 10 + habit.member_id % 15
        return price_now() // rng.choice([1, 1, 2]) if in_harvest else None
    every = {"quarterly": 3, "half_yearly": 6, "yearly": 12}[habit.rhythm]
    months_in = (day.year - habit.joins_on.year) * 12 + day.month - habit.joins_on.month
    on_day = day.day == min(habit.joins_on.day, 28) and months_in % every == 0
    return price_now() if on_day else None


def prepare_database(url: str | None) -> str:
    from bench.servers import fresh_postgres
    from gateway.cli.db import upgrade_database

    if url and url.startswith("postgres"):
        url = fresh_postgres(url)
    else:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='amu-sim-')}/amu.sqlite3"
    upgrade_database(url, echo=lambda _line: None)
    return url


class DroppingQueue:
    """The SMS jobs of a year are counted in the outbox, not sent."""

    def enqueue(self, path, *args, retries=False):
        pass

    def enqueue_in(self, seconds, path, *args, retries=False):
        pass

    def enqueue_many(self, path, calls, retries=False):
        pass

    def depth(self):
        return 0


def enrol_all(runtime, rng, raw: list[dict]) -> list[Habit]:
    from config.reference import codes
    from gateway import clock
    from gateway.services.menu_facade import GatewayMenuServices
    from ussd_menus.services import EnrolmentRequest

    services = GatewayMenuServices(runtime)
    occupations, regions = sorted(codes("occupations")), sorted(codes("regions"))
    habits = []
    for h in raw:
        with clock.travel_to(datetime.combine(h["joins_on"], datetime.min.time().replace(hour=8), tzinfo=clock.LOME)):
            member = services.enrol(EnrolmentRequest(
                phone=f"+2289{h['n']:07d}", network="yas", language=rng.choice(["fr", "fr", "en"]),
                full_name=f"Sim Member {h['n']}", birth_date=date(1970 + h["n"] % 35, 1 + h["n"] % 12, 1 + h["n"] % 28),
                sex=rng.choice("FM"), occupation=rng.choice(occupations), region=rng.choice(regions),
                rhythm=h["rhythm"], rhythm_weekday=h["weekday"], rhythm_months=h["months"],
            ))
        habits.append(Habit(member.id, h["rhythm"], h["weekday"], h["months"], h["joins_on"], h["keenness"], h["stops"]))
    return habits


def pay(runtime, member_id: int, amount: int, phone: str) -> None:
    from gateway.services.payments import settle, start_payment

    with runtime.db.begin() as session:
        intent, _ = start_payment(session, runtime, member_id=member_id, payer_phone=phone, network="yas",
                                  amount=amount, channel="simulation")
        intent.provider_reference = f"sim-{intent.reference}"
        settle(session, runtime.queue, intent, amount, "simulation")


def summary(runtime, today: date) -> dict:
    from sqlalchemy import func, select

    from gateway.models import CoveragePeriod, Due, Member, MembershipEvent, SmsMessage
    from gateway.services.late import late_members

    with runtime.db() as session:
        latest = (select(MembershipEvent.member_id, func.max(MembershipEvent.id).label("id"))
                  .group_by(MembershipEvent.member_id).subquery())
        states = Counter(dict(session.execute(
            select(MembershipEvent.state, func.count()).join(latest, MembershipEvent.id == latest.c.id)
            .group_by(MembershipEvent.state)).all()))
        return dict(
            members=session.scalar(select(func.count()).select_from(Member)),
            states=dict(states),
            transitions=session.scalar(select(func.count()).select_from(MembershipEvent)),
            periods=session.scalar(select(func.count()).select_from(CoveragePeriod)),
            premiums=session.scalar(select(func.coalesce(func.sum(CoveragePeriod.price), 0))),
            dues=session.scalar(select(func.count()).select_from(Due)),
            sms=dict(session.execute(select(SmsMessage.kind, func.count()).group_by(SmsMessage.kind)).all()),
            late=len(late_members(session, today)),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 1, 1))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    logging.disable(logging.INFO)
    from config.settings import Settings
    from gateway import clock, ledger
    from gateway.jobs import daily
    from gateway.ledger_check import check_ledger
    from gateway.runtime import build_runtime, set_runtime
    from gateway.services.coverage import next_period_price
    from gateway.models import Member

    url = prepare_database(os.environ.get("DATABASE_URL"))
    settings = Settings.from_env({"DATABASE_URL": url, "AMU_LOG_LEVEL": "WARNING", "AMU_MAX_PAYMENT": "1000000"})
    runtime = build_runtime(settings, queue=DroppingQueue())
    set_runtime(runtime)
    rng = random.Random(args.seed)
    timings: Counter = Counter()
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"simulating {args.members} members for {args.days} days from {args.start} on {backend}", flush=True)

    began = time.perf_counter()
    habits = enrol_all(runtime, rng, draw_habits(rng, args.members, args.start, args.days))
    timings["enrolment"] = time.perf_counter() - began
    def price_for(member_id: int, day: date) -> int:
        with runtime.db() as session:
            return next_period_price(session, session.get(Member, member_id), day)

    phones = {h.member_id: f"+2289{n:07d}" for n, h in enumerate(habits)}
    payments = paid = 0
    for offset in range(args.days):
        day = args.start + timedelta(days=offset)
        for hour, job, part in ((4, daily.generate_dues, "dues job"), (5, daily.sync_states, "states job")):
            with clock.travel_to(datetime.combine(day, datetime.min.time().replace(hour=hour), tzinfo=clock.LOME)):
                t = time.perf_counter()
                job()
                timings[part] += time.perf_counter() - t
        t = time.perf_counter()
        with clock.travel_to(datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=clock.LOME)):
            for habit in habits:
                if day < habit.joins_on:
                    continue
                amount = payment_today(rng, habit, day, lambda: price_for(habit.member_id, day))
                if amount:
                    pay(runtime, habit.member_id, amount, phones[habit.member_id])
                    payments += 1
                    paid += amount
        timings["payments"] += time.perf_counter() - t
        with clock.travel_to(datetime.combine(day, datetime.min.time().replace(hour=18), tzinfo=clock.LOME)):
            t = time.perf_counter()
            daily.send_reminders()
            timings["reminders job"] += time.perf_counter() - t
        if (offset + 1) % 30 == 0 or offset + 1 == args.days:
            print(f"  day {offset + 1:3}/{args.days} ({day}): {payments} payments, {paid} F, "
                  f"{time.perf_counter() - began:.0f} s", flush=True)
    total = time.perf_counter() - began

    end = args.start + timedelta(days=args.days - 1)
    with clock.travel_to(datetime.combine(end, datetime.min.time().replace(hour=20), tzinfo=clock.LOME)):
        facts = summary(runtime, end)
    with runtime.db() as session:
        problems = check_ledger(session)[1]
        credit = -ledger.balance(session, ledger.PREMIUMS)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print()
    print(f"members            {facts['members']}")
    print(f"payments           {payments} ({paid} F; cover bought {facts['premiums']} F, premiums account {credit} F)")
    print(f"periods bought     {facts['periods']}")
    print(f"state changes      {facts['transitions']}; states at the end: {facts['states']}")
    print(f"dues               {facts['dues']}; members late at the end: {facts['late']}")
    print(f"SMS                {facts['sms']}")
    print(f"ledger check       {'clean' if not problems else problems[:3]}")
    print()
    for part in ("enrolment", "dues job", "states job", "payments", "reminders job"):
        print(f"{part:<18} {timings[part]:8.1f} s")
    print(f"{'total':<18} {total:8.1f} s  ({total / args.days:.2f} s per simulated day)")
    print(f"peak memory        {peak_mb:8.0f} MB")
    runtime.close()
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
