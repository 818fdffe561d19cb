"""Properties of flexible contributions (DOMAIN.md), over random members, payment streams
and rule changes: any amount on any day, gaps long enough to be suspended, a new price
or waiting period from a random date. Each example replays a whole stream through the
real services (confirmed_payment, the daily state job) on a clean database.

Examples are derandomized so that the run is the same on every machine and stays short
on SQLite; AMU_PROPERTY_EXAMPLES=200 (for instance) explores more, with a random seed.
"""
from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from gateway import clock
from gateway.services.coverage import coverage_on
from gateway.services.membership import ALLOWED
from tests.gateway.contribution_scenarios import (
    BASE,
    BILLED_BY,
    JOB_HOUR,
    MONTHS,
    Outcome,
    drop_added_rules,
    expected_price,
    play,
    rules_for,
    rules_version,
    suspension_day,
)

EXAMPLES = int(os.environ.get("AMU_PROPERTY_EXAMPLES", "25"))
DATABASE_FRIENDLY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="AMU_PROPERTY_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
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
        start + timedelta(days=draw(st.integers(1, HORIZON - 30))),
        monthly_price=monthly,
        quarterly_price=round_100(3 * monthly * 0.95),
        half_yearly_price=round_100(6 * monthly * 0.90),
        yearly_price=round_100(12 * monthly * 0.85),
        waiting_days=draw(st.sampled_from([0, 30, 60, 90, 120])),
        new_waiting_after_suspension=draw(st.booleans()),
    )


def amounts(rhythm: str):
    """Any amount from 100 F: small change, about a period's price, or a big harvest sum."""
    price = BASE.price_of(BILLED_BY[rhythm])
    return st.one_of(
        st.integers(100, 5_000),
        st.integers(price // 3, min(2 * price, 150_000)),
        st.integers(5_000, 150_000),
    )


GAPS = st.one_of(st.integers(0, 10), st.integers(11, 45), st.integers(46, 250))  # the last: often suspended


@st.composite
def scenarios(draw):
    rhythm = draw(st.sampled_from(sorted(BILLED_BY)))
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364)))
    return dict(
        rhythm=rhythm,
        weekday=draw(st.integers(0, 6)) if rhythm == "weekly" else None,
        months=tuple(sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=4)))) if rhythm == "seasonal" else (),
        start=start,
        payments=draw(st.lists(st.tuples(GAPS, amounts(rhythm)), min_size=2, max_size=14)),
        changes=draw(st.lists(rule_changes(start), max_size=2, unique_by=lambda r: r.effective_from)),
        horizon=HORIZON,
    )


@pytest.fixture
def clean_rules(runtime):
    """The rule versions an example adds must not outlive the test."""
    yield
    drop_added_rules(runtime)


# --- money -----------------------------------------------------------------------------


@DATABASE_FRIENDLY
@given(scenario=scenarios())
def test_cover_bought_never_exceeds_money_paid_and_the_rest_is_saved_to_the_franc(runtime, clean_rules, scenario):
    o = play(runtime, **scenario)
    bought = sum(p.price for p in o.periods)
    assert bought <= o.paid
    assert o.paid == bought + o.credit, "paid = cover bought + saved credit"
    assert (o.clearing, o.premiums) == (o.paid, bought), "the ledger's other side agrees"
    payment_checks = [c for c in o.checks if c.kind == "payment"]
    assert len(payment_checks) == len(o.payments)
    paid_so_far = 0
    for (_day, amount), check in zip(o.payments, payment_checks):
        paid_so_far += amount
        spent = sum(p.price for p in o.periods[: check.bought])
        assert check.credit == paid_so_far - spent >= 0
        # Money never sits idle when it could buy the next period.
        assert check.credit < o.next_price(check)


# --- prices ------------------------------------------------------------------------------


@DATABASE_FRIENDLY
@given(scenario=scenarios())
def test_each_period_costs_the_price_in_force_on_its_start_never_a_later_one(runtime, clean_rules, scenario):
    o = play(runtime, **scenario)
    billed = BILLED_BY[o.rhythm]
    event(f"prices paid: {len({p.price for p in o.periods})}")
    event(f"a period bought before a change, starting after it: "
          f"{any(p.bought_at.date() < c.effective_from <= p.starts_on for p in o.periods for c in o.versions)}")
    for p in o.periods:
        assert p.period == billed
        assert p.ends_on == p.starts_on + relativedelta(months=MONTHS[billed]) - timedelta(days=1)
        assert p.price == expected_price(o.versions, o.rhythm, p.starts_on), (
            f"{p.starts_on}: {p.price} F, rules in force then say {expected_price(o.versions, o.rhythm, p.starts_on)} F"
        )
    # A period bought after a change but starting before it keeps the old price (and the
    # other way round): the lines above, with the change dates drawn across the stream.
    for earlier, later in zip(o.periods, o.periods[1:]):
        assert later.starts_on > earlier.ends_on


# --- states ------------------------------------------------------------------------------


def _derived_state_is_domain_md(o: Outcome, day: date) -> None:
    """coverage_on's answer for `day`, given what was bought by that evening, against
    DOMAIN.md's definitions written out independently."""
    bought = o.periods_at(datetime.combine(day, time(23, 59), tzinfo=clock.LOME))
    rules = rules_for(o.versions, day)
    cover = coverage_on(bought, rules, day)
    if not bought:
        assert cover.state == "pending"
        return
    covering = [p for p in bought if p.starts_on <= day <= p.ends_on]
    covered_until = max(p.ends_on for p in bought)
    two_months_after = covered_until + relativedelta(months=rules.suspend_after_unpaid_months)
    if covering:
        stint = [p for p in bought if p.waiting_ends_on is not None and p.starts_on <= day][-1]
        expected = "waiting" if day < stint.waiting_ends_on else "active"
    elif day > two_months_after:
        expected = "suspended"  # 2 months after covered-until have passed unpaid
    else:
        expected = "grace"
    assert (day, cover.state) == (day, expected)
    assert cover.covered_until == covered_until
    if cover.state == "active":
        assert day >= cover.waiting_ends  # never active before the waiting period ends


@DATABASE_FRIENDLY
@given(scenario=scenarios())
def test_every_state_change_follows_domain_md(runtime, clean_rules, scenario):
    o = play(runtime, **scenario)
    states = [e.state for e in o.history]
    event(f"states seen: {sorted(set(states))}")
    event(f"stints: {sum(1 for p in o.periods if p.waiting_ends_on is not None)}")
    # Each recorded step is allowed, in time order, starting from pending.
    assert states[0] == "pending"
    for (before, after) in zip([None, *states], states):
        assert after in ALLOWED[before], f"{before} -> {after} in {states}"
    moments = [e.effective_at for e in o.history]
    assert moments == sorted(moments)
    # After each payment and each daily job the history ends in the state derived then.
    for check in o.checks:
        assert check.recorded == check.derived, check
    # The derived state is DOMAIN.md's on every day of the stream.
    day = o.start
    while day <= o.end:
        _derived_state_is_domain_md(o, day)
        day += timedelta(days=1)
    # Time-driven changes are dated on the day they happened (the daily job ran daily).
    midnight = lambda d: datetime.combine(d, time.min, tzinfo=clock.LOME)  # noqa: E731
    ends = {p.ends_on for p in o.periods}
    for previous, change in zip(o.history, o.history[1:]):
        if change.state == "grace":
            assert change.effective_at.astimezone(clock.LOME).date() - timedelta(days=1) in ends
            assert change.effective_at == midnight(change.effective_at.astimezone(clock.LOME).date())
        if change.state == "active" and previous.state == "waiting":
            assert change.effective_at in {midnight(p.waiting_ends_on) for p in o.periods if p.waiting_ends_on}
    # Stints: the first opens on a payment; each later one only after a suspension, on the
    # day of the payment that ends it, with a new waiting period if the rules say so; the
    # history shows suspended (on the suspension day) then waiting (or active) that day.
    pay_days = {d for d, _a in o.payments}
    openers = [i for i, p in enumerate(o.periods) if p.waiting_ends_on is not None]
    assert openers[:1] == ([0] if o.periods else [])
    for i in range(1, len(o.periods)):
        earlier, p = o.periods[i - 1], o.periods[i]
        if i not in openers:
            assert p.starts_on == earlier.ends_on + timedelta(days=1)
            continue
        assert p.starts_on in pay_days
        rules = rules_for(o.versions, p.starts_on)
        suspended_on = suspension_day(earlier.ends_on, rules)
        assert p.starts_on >= suspended_on
        waits = rules.waiting_days if rules.new_waiting_after_suspension else 0
        assert p.waiting_ends_on == p.starts_on + timedelta(days=waits)
        back = "waiting" if waits else "active"
        pair = [(e.state, e.effective_at) for e in o.history if midnight(suspended_on) <= e.effective_at <= midnight(p.starts_on)]
        assert pair == [("suspended", midnight(suspended_on)), (back, midnight(p.starts_on))], states


# --- the ledger --------------------------------------------------------------------------


@DATABASE_FRIENDLY
@given(scenario=scenarios())
def test_the_ledger_check_finds_nothing_after_any_stream(runtime, clean_rules, scenario):
    o = play(runtime, **scenario)
    assert o.ledger_problems == []
