"""Properties of flexible contributions (docs/scheme.md), over random members, payment streams
and rule changes: any amount on any day, gaps long enough to be suspended, a new price
or waiting period from a random date. Each example replays a whole stream through the
real services (confirmed_payment, the daily state job) on a clean database.

Examples are seeded so that the run is the same on every machine and stays short
on SQLite; AMU_PROPERTY_EXAMPLES=200 (for instance) explores more, with a random seed,
and AMU_PROPERTY_SHRINK=1 shrinks a failing stream to a small one (slow: minutes).
The streams are marked `slow`: `pytest -m "not slow"` leaves them out of the inner loop.
"""
from __future__ import annotations

import os
import zlib
from dataclasses import replace
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, Phase, event, given, seed, settings
from hypothesis import strategies as st

from gateway import clock
from gateway.jobs.daily import sync_states
from gateway.services.coverage import coverage_on, periods_of
from gateway.services.membership import ALLOWED, history
from tests.gateway.contribution_scenarios import (
    BASE,
    BILLED_BY,
    JOB_HOUR,
    MONTHS,
    PAY_HOUR,
    Outcome,
    drop_added_rules,
    expected_price,
    play,
    rules_for,
    rules_version,
    suspension_day,
)
from tests.gateway.payment_helpers import confirmed_payment, join, lome

EXAMPLES = int(os.environ.get("AMU_PROPERTY_EXAMPLES", "6"))  # per rhythm
FIXED_STREAMS = "AMU_PROPERTY_EXAMPLES" not in os.environ
# Shrinking a failure replays whole streams on the database for minutes; it is off
# unless asked for (AMU_PROPERTY_SHRINK=1), the failing stream is printed either way.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
if os.environ.get("AMU_PROPERTY_SHRINK") == "1":
    PHASES.append(Phase.shrink)
DATABASE_FRIENDLY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HORIZON = 730  # about two years of payments after joining


def round_100(amount: float) -> int:
    return int(round(amount / 100.0)) * 100


@st.composite
def rule_changes(draw, start: date):
    """A new rule version from a random day: another price (the period discounts kept),
    another waiting period, with or without a new waiting period after suspension."""
    monthly = draw(st.integers(60, 160)) * 100
    return rules_version(
        start + timedelta(days=draw(st.integers(1, 450))),
        monthly_price=monthly,
        quarterly_price=round_100(3 * monthly * 0.95),
        half_yearly_price=round_100(6 * monthly * 0.90),
        yearly_price=round_100(12 * monthly * 0.85),
        waiting_days=draw(st.sampled_from([0, 30, 60, 90, 120])),
        new_waiting_after_suspension=draw(st.booleans()),
    )


def amounts(rhythm: str):
    """Any amount from 100 F: small change, about a period's price, a big harvest sum, or
    just what completes the next period (the pay screen's offer), give or take a franc."""
    price = BASE.price_of(BILLED_BY[rhythm])
    top_up = st.sampled_from(["top-up+0", "top-up-1", "top-up+1", "top-up+100"])
    return st.one_of(
        st.integers(100, 5_000),
        st.integers(price // 3, min(2 * price, 150_000)),
        st.integers(5_000, 150_000),
        top_up,
        top_up,
    )


# Days between payments: market-day habits, a month or so, or a long stop (often suspended).
GAPS = st.one_of(st.integers(0, 10), st.integers(11, 45), st.integers(46, 250), st.integers(100, 300))


@st.composite
def scenarios(draw, rhythm: str):
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    return dict(
        rhythm=rhythm,
        weekday=draw(st.integers(0, 6)) if rhythm == "weekly" else None,
        months=tuple(sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=4)))) if rhythm == "seasonal" else (),
        start=start,
        payments=draw(st.lists(st.tuples(GAPS, amounts(rhythm)), min_size=3, max_size=16)),
        changes=draw(st.lists(rule_changes(start), min_size=1, max_size=2, unique_by=lambda r: r.effective_from)),
        horizon=HORIZON,
    )


@pytest.fixture(params=sorted(BILLED_BY))
def rhythm(request) -> str:
    return request.param


@pytest.fixture
def streams(runtime, rhythm):
    """Run `check(outcome)` on random streams of a member with `rhythm`. The examples run
    inside the test (so a failure prints the stream, not the fixtures), each on a
    database emptied by `play`; the rule versions they add do not outlive the test."""

    def run(check, **options):
        @DATABASE_FRIENDLY
        @given(scenario=scenarios(rhythm))
        def example(scenario):
            check(play(runtime, **scenario, **options))

        if FIXED_STREAMS:  # the same streams on every run, but each test its own
            example = seed(zlib.crc32(f"{check.__qualname__} {rhythm}".encode()))(example)
        example()

    yield run
    drop_added_rules(runtime)


# --- money -----------------------------------------------------------------------------


@pytest.mark.slow
def test_cover_bought_never_exceeds_money_paid_and_the_rest_is_saved_to_the_franc(streams):
    def money(o: Outcome):
        bought = sum(p.price for p in o.periods)
        assert bought <= o.paid
        assert o.paid == bought + o.credit, "paid = cover bought + saved credit"
        assert (o.clearing, o.premiums) == (o.paid, bought), "the ledger's other side agrees"
        after_payments = [c for c in o.checks if c.kind == "payment"]
        assert len(after_payments) == len(o.payments)
        paid_so_far = 0
        for (_day, amount), check in zip(o.payments, after_payments):
            paid_so_far += amount
            spent = sum(p.price for p in o.periods[: check.bought])
            assert check.credit == paid_so_far - spent >= 0, f"after the payment of {check.moment:%Y-%m-%d}"
            # Money never sits idle when it could buy the next period.
            assert check.credit < o.next_price(check), f"after the payment of {check.moment:%Y-%m-%d}"

    streams(money)


# --- prices ------------------------------------------------------------------------------


@pytest.mark.slow
def test_each_period_costs_the_price_in_force_on_its_start_never_a_later_one(streams):
    def prices(o: Outcome):
        billed = BILLED_BY[o.rhythm]
        event(f"prices paid: {len({p.price for p in o.periods})}")
        event("a period bought before a rule change, starting after it: "
              f"{any(p.bought_at.date() < v.effective_from <= p.starts_on for p in o.periods for v in o.versions)}")
        months_into_stint, stint_start = 0, None
        for p in o.periods:
            assert p.period == billed
            if p.waiting_ends_on is not None:
                months_into_stint, stint_start = 0, p.starts_on
            months_into_stint += MONTHS[billed]
            # Counted in months from the stint's first day, so cover begun on the 31st
            # does not drift to the 28th.
            assert p.ends_on == stint_start + relativedelta(months=months_into_stint) - timedelta(days=1)
            expected = expected_price(o.versions, o.rhythm, p.starts_on)
            assert p.price == expected, f"{p.starts_on}: {p.price} F, the rules in force then say {expected} F"
        # A period bought before a change but starting after it costs the new price, one
        # bought after a change but starting before it the old one: the lines above, with
        # change dates drawn across the stream (see the events with --hypothesis-show-statistics).
        for earlier, later in zip(o.periods, o.periods[1:]):
            assert later.starts_on > earlier.ends_on

    streams(prices)


# --- states ------------------------------------------------------------------------------


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOME)


def derived_state_is_domain_md(o: Outcome, day: date) -> None:
    """coverage_on's answer for `day`, given what was bought by that evening, against
    docs/scheme.md's definitions written out independently."""
    bought = o.periods_at(datetime.combine(day, time(23, 59), tzinfo=clock.LOME))
    rules = rules_for(o.versions, day)
    cover = coverage_on(bought, rules, day)
    if not bought:
        assert (day, cover.state) == (day, "pending")
        return
    covered_until = max(p.ends_on for p in bought)
    if any(p.starts_on <= day <= p.ends_on for p in bought):
        stint = [p for p in bought if p.waiting_ends_on is not None and p.starts_on <= day][-1]
        expected = "waiting" if day < stint.waiting_ends_on else "active"
    elif day >= covered_until + timedelta(days=1) + relativedelta(months=rules.suspend_after_unpaid_months):
        expected = "suspended"  # 2 whole months from the first unpaid day have passed unpaid
    else:
        expected = "grace"
    assert (day, cover.state) == (day, expected)
    assert cover.covered_until == covered_until
    if cover.state == "active":
        assert day >= cover.waiting_ends  # never active before the waiting period ends


@pytest.mark.slow
def test_every_state_change_follows_domain_md(streams):
    def states(o: Outcome):
        names = [e.state for e in o.history]
        event(f"states seen: {sorted(set(names))}")
        event(f"stints: {sum(1 for p in o.periods if p.waiting_ends_on is not None)}")
        # Each recorded step is allowed, in time order, starting from pending.
        for before, after in zip([None, *names], names):
            assert after in ALLOWED[before], f"{before} -> {after} in {names}"
        moments = [e.effective_at for e in o.history]
        assert moments == sorted(moments)
        # After each payment and each daily job, the history ends in the state derived then.
        for check in o.checks:
            assert check.recorded == check.derived, check
        # The derived state is docs/scheme.md's on every day of the stream.
        day = o.start
        while day <= o.end:
            derived_state_is_domain_md(o, day)
            day += timedelta(days=1)
        # Changes that time alone brings are dated on their day (the daily job ran daily).
        ends = {p.ends_on for p in o.periods}
        for previous, change in zip(o.history, o.history[1:]):
            local = change.effective_at.astimezone(clock.LOME)
            if change.state == "grace":
                assert local == midnight(local.date()) and local.date() - timedelta(days=1) in ends, change
            if change.state == "active" and previous.state == "waiting":
                assert local in {midnight(p.waiting_ends_on) for p in o.periods if p.waiting_ends_on}, change
        # Stints. The first opens with the first period, with the waiting period of its day;
        # each later one only once the member is suspended, on the day of the payment that
        # ends the suspension, with a new waiting period if the rules then say so; and the
        # history shows `suspended` on the suspension day, then `waiting` (or `active`)
        # from the payment.
        pay_days = {d for d, _a in o.payments}
        if o.periods:
            first = o.periods[0]
            assert first.starts_on in pay_days
            assert first.waiting_ends_on == first.starts_on + timedelta(days=rules_for(o.versions, first.starts_on).waiting_days)
        for earlier, p in zip(o.periods, o.periods[1:]):
            if p.waiting_ends_on is None:
                assert p.starts_on == earlier.ends_on + timedelta(days=1)
                continue
            assert p.starts_on in pay_days
            rules = rules_for(o.versions, p.starts_on)
            suspended_on = suspension_day(earlier.ends_on, rules)
            assert p.starts_on >= suspended_on
            waits = rules.waiting_days if rules.new_waiting_after_suspension else 0
            assert p.waiting_ends_on == p.starts_on + timedelta(days=waits)
            paid_at = datetime.combine(p.starts_on, time(PAY_HOUR), tzinfo=clock.LOME)
            between = [(e.state, e.effective_at) for e in o.history if midnight(suspended_on) <= e.effective_at <= paid_at]
            back = "waiting" if waits else "active"
            assert between == [("suspended", midnight(suspended_on)), (back, paid_at)], names

    streams(states)


# --- the ledger --------------------------------------------------------------------------


@pytest.mark.slow
def test_the_ledger_check_finds_nothing_after_any_stream(streams):
    def ledger_clean(o: Outcome):
        assert o.ledger_problems == []
        for check in o.checks:
            if check.kind == "payment":
                assert check.ledger_problems == [], f"after the payment of {check.moment:%Y-%m-%d}"

    streams(ledger_clean, check_ledger_each_payment=True)


# --- running figures -----------------------------------------------------------------------


@pytest.mark.slow
def test_the_running_figures_agree_with_the_history_after_every_payment_and_daily_job(streams):
    """What reads use instead of the history (cover held, state, saved credit, paid-to-date,
    oldest unpaid due) is kept by the services; after each payment and each daily job it
    equals what the whole history says."""
    def figures(o: Outcome):
        unpaid = any(c.figures_kept["dues"][1] for c in o.checks if c.kind == "payment")
        event(f"a due left unpaid after a payment: {unpaid}")
        for check in o.checks:
            assert check.figures_kept == check.figures_derived, f"after the {check.kind} of {check.moment:%Y-%m-%d}"

    streams(figures)


# --- history and calendar edge cases ------------------------------------------------------


def one_member(runtime, rhythm="monthly", **stream):
    return play(runtime, rhythm=rhythm, weekday=None, months=(), changes=[], horizon=HORIZON, **stream)


def test_a_payment_before_the_daily_job_still_leaves_the_suspension_in_the_history(runtime):
    """Covered 1-31 January, in grace from 1 February (the job ran), suspended from 1 April.
    He pays on 1 April before that morning's job (it runs at 05:00; or the worker was down):
    the history still shows the suspension, then the new stint from his payment."""
    with clock.travel_to(lome(date(2026, 1, 1), 9)):
        member = join(runtime, phone="+22890000078", rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, member.id, 10_000, date(2026, 1, 1))
    for day in (date(2026, 2, 1), date(2026, 3, 31)):
        with clock.travel_to(datetime.combine(day, time(JOB_HOUR), tzinfo=clock.LOME)):
            sync_states()
    confirmed_payment(runtime, member.id, 10_000, date(2026, 4, 1))  # no job yet that day
    with runtime.db() as session:
        assert periods_of(session, member.id)[-1].starts_on == date(2026, 4, 1)  # a new stint: he was suspended
        recorded = [(e.state, e.effective_at) for e in history(session, member.id)]
    assert recorded[2:] == [
        ("grace", midnight(date(2026, 2, 1))), ("suspended", midnight(date(2026, 4, 1))),
        ("waiting", lome(date(2026, 4, 1), PAY_HOUR))]


def test_a_member_back_after_months_keeps_grace_and_suspension_in_the_history(runtime):
    """Pays a month on 5 January, nothing until 1 June, and no daily job ran meanwhile:
    grace from 5 February, suspended from 5 April, waiting again from 1 June, all recorded."""
    o = one_member(runtime, start=date(2026, 1, 5), payments=[(0, 10_000), (147, 10_000)], daily_job=False)
    assert o.periods[-1].starts_on == date(2026, 6, 1)
    assert [e.state for e in o.history] == ["pending", "waiting", "grace", "suspended", "waiting"]


def test_leaving_grace_is_dated_by_the_payment(runtime):
    """40 000 F on 5 January: covered to 4 May, active from 5 April, grace from 5 May. He
    pays May's 10 000 F on 20 May: active again from his payment, not from 5 May."""
    o = one_member(runtime, start=date(2026, 1, 5), payments=[(0, 40_000), (135, 10_000)])
    in_may = [(e.state, e.effective_at) for e in o.history if midnight(date(2026, 5, 1)) <= e.effective_at < midnight(date(2026, 6, 1))]
    assert in_may == [
        ("grace", midnight(date(2026, 5, 5))),
        ("active", datetime.combine(date(2026, 5, 20), time(PAY_HOUR), tzinfo=clock.LOME))]


def test_two_unpaid_months_are_two_whole_months_when_cover_ends_on_a_month_end(runtime):
    """Covered for February 2026 (1-28 Feb): March and April unpaid, suspended on 1 May.
    Covered for November 2026: December and January unpaid, suspended on 1 February."""
    rules = rules_for([BASE], date(2026, 3, 1))
    assert suspension_day(date(2026, 1, 31), rules) == date(2026, 4, 1)  # right when the next month is long enough
    o = one_member(runtime, start=date(2026, 2, 1), payments=[(0, 10_000)])
    assert o.periods[0].ends_on == date(2026, 2, 28)
    assert coverage_on(o.periods, rules, date(2026, 4, 29)).state == "grace"
    assert coverage_on(o.periods, rules, date(2026, 4, 30)).state == "grace"
    assert coverage_on(o.periods, rules, date(2026, 5, 1)).state == "suspended"
    november = [replace(o.periods[0], starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30))]
    assert coverage_on(november, rules, date(2027, 1, 31)).state == "grace"


def test_twelve_months_bought_one_by_one_cover_a_whole_year(runtime):
    """A monthly payer whose cover starts on 31 January 2026 and who buys 12 months is
    covered to 30 January 2027, like a yearly payer; February's month ends on the 27th
    (31 January + 1 month - 1 day), March's on the 30th, not the 27th."""
    o = one_member(runtime, start=date(2026, 1, 31), payments=[(0, 120_000)])
    assert len(o.periods) == 12
    assert (o.periods[0].ends_on, o.periods[1].starts_on) == (date(2026, 2, 27), date(2026, 2, 28))
    assert o.periods[-1].ends_on == date(2026, 1, 31) + relativedelta(years=1) - timedelta(days=1)
