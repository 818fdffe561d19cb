"""Contribution scenarios for property tests and worked examples: a member with a rhythm,
payments on chosen days, scheme-rule versions added for the test, and the daily state
job run on the days it would change something.

Rule versions are kept by the `runtime` fixture between tests (scheme tables are not
emptied), so whatever a scenario adds is dropped again by `reset` / `drop_added_rules`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select

from config.schemes import SchemeRules, load_definitions
from gateway import clock, ledger
from gateway.jobs.daily import generate_dues, sync_states
from gateway.ledger_check import check_ledger
from gateway.models import CoveragePeriod, LedgerLeg, Member, SchemeRuleVersion
from gateway.rules import rules_on, scheme_id
from gateway.services.coverage import coverage_on, held_by, held_of, periods_of
from gateway.services.dues import derived_figures
from gateway.services.membership import history
from tests.conftest import _empty_tables
from tests.gateway.payment_helpers import confirmed_payment, join, lome

(SCHEME,) = load_definitions()
BASE = SCHEME.versions[0]
CONFIG_DATES = {v.effective_from for v in SCHEME.versions}

# The billing period of each rhythm, as README's design section states it (an oracle
# written here on purpose, not imported from gateway.services.billing).
BILLED_BY = {
    "daily": "monthly", "weekly": "monthly", "monthly": "monthly", "quarterly": "quarterly",
    "half_yearly": "half_yearly", "yearly": "yearly", "seasonal": "yearly",
}
MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
JOB_HOUR = 5  # gateway.jobs.daily.DAILY: sync_states runs from 05:00 Lomé
DUES_HOUR = 4  # and generate_dues from 04:00
PAY_HOUR = 10  # payment_helpers.confirmed_payment credits at 10:00 Lomé


def rules_version(effective_from: date, **changes) -> SchemeRules:
    """BASE with some figures changed, in force from `effective_from`."""
    return SchemeRules.from_json({**BASE.to_json(), **changes, "effective_from": effective_from.isoformat()})


def add_rules(runtime, rules: SchemeRules) -> None:
    with runtime.db.begin() as session:
        scheme = scheme_id(session, SCHEME.code)
        session.add(SchemeRuleVersion(scheme_id=scheme, effective_from=rules.effective_from, rules=rules.to_json()))


def drop_added_rules(runtime) -> None:
    """Remove every rule version that config/schemes does not define."""
    with runtime.db.begin() as session:
        session.execute(delete(SchemeRuleVersion).where(SchemeRuleVersion.effective_from.not_in(CONFIG_DATES)))


def reset(runtime) -> None:
    """A clean database for one hypothesis example (function fixtures are not re-run)."""
    _empty_tables(runtime)
    drop_added_rules(runtime)


def rules_for(versions: list[SchemeRules], day: date) -> SchemeRules:
    return max((v for v in versions if v.effective_from <= day), key=lambda v: v.effective_from)


def expected_price(versions: list[SchemeRules], rhythm: str, starts_on: date) -> int:
    return rules_for(versions, starts_on).price_of(BILLED_BY[rhythm])


@dataclass(frozen=True)
class Period:
    starts_on: date
    ends_on: date
    period: str
    price: int
    waiting_ends_on: date | None
    bought_at: datetime


@dataclass(frozen=True)
class Event:
    state: str
    effective_at: datetime


@dataclass(frozen=True)
class Check:
    """What the gateway said right after a payment or a run of the daily job."""

    moment: datetime
    kind: str  # "payment" or "daily job"
    derived: str  # coverage_on's state at that moment
    recorded: str  # the latest membership event's state
    credit: int  # the member's saved credit then
    bought: int  # how many periods were bought by then
    ledger_problems: list | None = None  # check_ledger's, when asked for
    figures_kept: dict = field(default_factory=dict)  # the running figures on the member row and account
    figures_derived: dict = field(default_factory=dict)  # the same figures, from the whole history


@dataclass
class Outcome:
    rhythm: str
    versions: list[SchemeRules]
    start: date
    end: date
    scheme: int
    member_id: int = 0
    payments: list[tuple[date, int]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    periods: list[Period] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)
    credit: int = 0
    premiums: int = 0
    clearing: int = 0
    ledger_problems: list = field(default_factory=list)

    @property
    def paid(self) -> int:
        return sum(amount for _day, amount in self.payments)

    def periods_at(self, moment: datetime) -> list[Period]:
        return [p for p in self.periods if p.bought_at <= moment]

    def next_price(self, check: Check) -> int:
        """The price of the period the member's credit would buy next, from the oracle."""
        return next_price(self.versions, self.rhythm, self.periods[: check.bought], clock.local_date(check.moment))


def next_price(versions: list[SchemeRules], rhythm: str, bought: list, today: date) -> int:
    """The price of the next period: it follows the last one, unless the member is
    suspended, when it starts today (docs/scheme.md), at the price in force on its start."""
    if not bought:
        start = today
    else:
        last_end = bought[-1].ends_on
        suspended_from = suspension_day(last_end, rules_for(versions, today))
        start = last_end + timedelta(days=1) if today < suspended_from else today
    return expected_price(versions, rhythm, start)


def suspension_day(covered_until: date, rules: SchemeRules) -> date:
    """Suspended once `suspend_after_unpaid_months` whole months from the first unpaid
    day have passed unpaid (docs/scheme.md: "rights suspended when 2 months are unpaid")."""
    return covered_until + timedelta(days=1) + relativedelta(months=rules.suspend_after_unpaid_months)


def running_figures(session, member_id: int) -> tuple[dict, dict]:
    """(what the member row and account keep, what the history says) for every running figure."""
    member = session.get(Member, member_id)
    periods = periods_of(session, member_id)
    latest = history(session, member_id)[-1]
    account = ledger.find_account_id(session, ledger.member_account(member_id))
    legs = session.scalar(select(func.coalesce(func.sum(LedgerLeg.amount), 0)).where(LedgerLeg.account_id == account))
    kept = dict(held=held_of(member), state=(member.state, member.state_since), balance=ledger.balance_of(session, account),
                dues=(member.paid_total, member.oldest_unpaid_due, member.paid_toward_dues))
    derived = dict(held=held_by(periods), state=(latest.state, latest.effective_at), balance=legs,
                   dues=derived_figures(session, member_id))
    return kept, derived


def _record(runtime, outcome: Outcome, kind: str, check_ledger_too: bool = False) -> None:
    now = clock.now()
    today = clock.local_date(now)
    with runtime.db() as session:
        periods = periods_of(session, outcome.member_id)
        derived = coverage_on(periods, rules_on(session, outcome.scheme, today), today)
        recorded = history(session, outcome.member_id)[-1].state
        credit = ledger.member_credit(session, outcome.member_id)
        problems = check_ledger(session)[1] if check_ledger_too else None
        kept_figures, derived_figures_ = running_figures(session, outcome.member_id)
        outcome.checks.append(Check(now, kind, derived.state, recorded, credit, len(periods), problems,
                                    kept_figures, derived_figures_))


def _boundaries(runtime, outcome: Outcome, after: date, until: date) -> list[date]:
    """Days in (after, until] on which the member's state changes with time alone: the
    days the daily job would find something to record."""
    with runtime.db() as session:
        cover = coverage_on(periods_of(session, outcome.member_id), rules_on(session, outcome.scheme, after), after)
    days = {cover.waiting_ends, cover.grace_from, cover.suspends_on} - {None}
    return sorted(d for d in days if after < d <= until)


def run_daily_job(runtime, outcome: Outcome, after: date, until: date) -> None:
    """The daily state job, run on every day it matters between two payments (05:00,
    before a payment at 10:00 on the same day): the same history as running it daily."""
    for day in _boundaries(runtime, outcome, after, until):
        with clock.travel_to(datetime.combine(day, time(JOB_HOUR), tzinfo=clock.LOME)):
            sync_states()
            _record(runtime, outcome, "daily job")


def top_up(runtime, outcome: Outcome, day: date, delta: int) -> int:
    """What completes the member's next period on `day` (the pay screen offers it), plus
    `delta` francs: a payment that lands exactly on, just under or just over a price."""
    with runtime.db() as session:
        missing = next_price(outcome.versions, outcome.rhythm, periods_of(session, outcome.member_id), day) - \
            ledger.member_credit(session, outcome.member_id)
    return max(missing + delta, BASE.min_payment)


def play(runtime, *, rhythm: str, weekday: int | None, months: tuple[int, ...], start: date,
         payments: list[tuple[int, int | str]], changes: list[SchemeRules], horizon: int,
         daily_job: bool = True, check_ledger_each_payment: bool = False) -> Outcome:
    """Join on `start`, then pay each (days after the previous payment, amount) up to
    `start + horizon`, the daily job running in between; read everything back. An amount
    "top-up+N" / "top-up-N" is what completes the next period, plus or minus N francs."""
    reset(runtime)
    for rules in changes:
        add_rules(runtime, rules)
    with runtime.db() as session:
        scheme = scheme_id(session, SCHEME.code)
    end = start + timedelta(days=horizon)
    outcome = Outcome(rhythm, sorted([BASE, *changes], key=lambda r: r.effective_from), start, end, scheme)
    with clock.travel_to(lome(start, 9)):
        member = join(runtime, phone="+22890000077", rhythm=rhythm, rhythm_weekday=weekday, rhythm_months=months)
    outcome.member_id = member.id
    day = start
    for gap, amount in payments:
        next_day = day + timedelta(days=gap)
        if next_day > end:
            break
        if daily_job:
            run_daily_job(runtime, outcome, day, next_day)
            with clock.travel_to(datetime.combine(next_day, time(DUES_HOUR), tzinfo=clock.LOME)):
                generate_dues()  # the dues round keeps a week ahead: payments pay them oldest first
        if isinstance(amount, str):
            amount = top_up(runtime, outcome, next_day, int(amount.removeprefix("top-up")))
        confirmed_payment(runtime, member.id, amount, next_day)
        outcome.payments.append((next_day, amount))
        with clock.travel_to(lome(next_day, PAY_HOUR)):
            _record(runtime, outcome, "payment", check_ledger_each_payment)
        day = next_day
    if daily_job:
        run_daily_job(runtime, outcome, day, end)
    with runtime.db() as session:
        outcome.periods = [
            Period(p.starts_on, p.ends_on, p.period, p.price, p.waiting_ends_on, p.bought_at)
            for p in session.scalars(
                select(CoveragePeriod).where(CoveragePeriod.member_id == member.id).order_by(CoveragePeriod.starts_on)
            )
        ]
        outcome.history = [Event(e.state, e.effective_at) for e in history(session, member.id)]
        outcome.credit = ledger.member_credit(session, member.id)
        outcome.premiums = -ledger.balance(session, ledger.PREMIUMS)
        outcome.clearing = ledger.balance(session, ledger.clearing(runtime.settings.payment_provider, "yas"))
        outcome.ledger_problems = check_ledger(session)[1]
    return outcome
