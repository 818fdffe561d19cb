"""The daily rounds visit only the members with work, and miss none: dues run short,
a state that time changes today, a reminder to send. What they skip is checked against
the full per-member decision, day by day."""
from dataclasses import replace
from datetime import date, timedelta

from sqlalchemy import func, select

from config.schemes import load_definitions
from gateway import clock
from gateway.jobs.daily import generate_dues, sync_states
from gateway.migrate import sync_schemes
from gateway.models import Due, Member
from gateway.services import reminders
from gateway.services.dues import share
from gateway.services.membership import history
from tests.gateway.contribution_scenarios import drop_added_rules, rules_version
from tests.gateway.payment_helpers import confirmed_payment, join, lome


def days(first: date, count: int):
    return [first + timedelta(days=n) for n in range(count)]


def member_row(runtime, member_id: int) -> Member:
    with runtime.db() as session:
        return session.get(Member, member_id)


def last_due(runtime, member_id: int) -> date:
    with runtime.db() as session:
        return session.scalar(select(func.max(Due.due_on)).where(Due.member_id == member_id))


def test_dues_stay_a_week_ahead_while_each_member_is_visited_about_once_a_week(runtime):
    with clock.travel_to(lome(date(2026, 3, 1), 8)):
        afi = join(runtime, phone="+22890000061", rhythm="daily", rhythm_weekday=None)
    visits = []
    for day in days(date(2026, 3, 1), 28):
        with clock.travel_to(lome(day, 4)):
            visits.append(generate_dues())
        assert last_due(runtime, afi.id) >= day + timedelta(days=7), day
    assert sum(visits) == 4  # not 28
    assert member_row(runtime, afi.id).dues_until == last_due(runtime, afi.id)


def test_the_state_round_looks_at_a_member_only_on_the_days_time_changes_their_state(runtime):
    with clock.travel_to(lome(date(2026, 1, 5), 8)):
        kossi = join(runtime, phone="+22890000062", rhythm="monthly", rhythm_weekday=None)
    assert member_row(runtime, kossi.id).state_check_on is None  # pending: time changes nothing
    confirmed_payment(runtime, kossi.id, 10_000, date(2026, 1, 5))  # covered 5 January - 4 February
    checks = []
    for day in days(date(2026, 1, 6), 120):
        with clock.travel_to(lome(day, 5)):
            if sync_states():
                checks.append(day)
        next_check = member_row(runtime, kossi.id).state_check_on
        assert next_check is None or next_check > day, day
    # grace the day after cover, suspended two unpaid months later; the end of the
    # waiting period (5 April) changes nothing once suspended
    assert checks == [date(2026, 2, 5), date(2026, 4, 5)]
    with runtime.db() as session:
        assert [e.state for e in history(session, kossi.id)] == ["pending", "waiting", "grace", "suspended"]
    assert member_row(runtime, kossi.id).state_check_on is None  # suspended until he pays


def test_a_new_rule_version_reprices_dues_made_ahead_and_brings_the_state_round_back(runtime, monkeypatch):
    with clock.travel_to(lome(date(2026, 6, 20), 8)):
        yawa = join(runtime, phone="+22890000063", rhythm="daily", rhythm_weekday=None)
        generate_dues()
    confirmed_payment(runtime, yawa.id, 10_000, date(2026, 6, 20))
    assert last_due(runtime, yawa.id) >= date(2026, 6, 27)
    (definition,) = load_definitions()
    dearer = rules_version(date(2026, 6, 25), monthly_price=12_400, suspend_after_unpaid_months=1)
    monkeypatch.setattr("gateway.migrate.load_definitions", lambda: [replace(definition, versions=[*definition.versions, dearer])])
    try:
        with clock.travel_to(lome(date(2026, 6, 21), 9)), runtime.db.begin() as session:
            assert sync_schemes(session) == ["AMU-TNS from 2026-06-25"]
        row = member_row(runtime, yawa.id)
        assert (row.dues_until, row.state_check_on) == (date(2026, 6, 24), date(2026, 6, 25))
        with clock.travel_to(lome(date(2026, 6, 22), 4)):
            generate_dues()
        with runtime.db() as session:
            june = dict(session.execute(select(Due.due_on, Due.amount).where(Due.member_id == yawa.id)).all())
        # June's 30 days share the month's price: 10 000 F up to the 24th, 12 400 F from the 25th
        assert (june[date(2026, 6, 24)], june[date(2026, 6, 25)]) == (share(10_000, 30, 23), share(12_400, 30, 24))
        assert share(12_400, 30, 24) in (413, 414)
    finally:
        drop_added_rules(runtime)


def test_the_reminder_round_misses_no_one_who_should_hear_from_us(runtime):
    """Members in every situation, 70 evenings: the members the round looks at include
    every member reminder_for would pick when asked about everyone."""
    with clock.travel_to(lome(date(2026, 1, 1), 8)):
        payers = [
            join(runtime, phone="+22890000064", rhythm="weekly", rhythm_weekday=2),
            join(runtime, phone="+22890000065", rhythm="daily", rhythm_weekday=None),
            join(runtime, phone="+22890000066", rhythm="monthly", rhythm_weekday=None),
            join(runtime, phone="+22890000067", rhythm="quarterly", rhythm_weekday=None),
            join(runtime, phone="+22890000068", rhythm="seasonal", rhythm_weekday=None, rhythm_months=(2,)),
        ]
    confirmed_payment(runtime, payers[2].id, 10_000, date(2026, 1, 1))  # grace on 1 February
    confirmed_payment(runtime, payers[3].id, 28_500, date(2026, 1, 3))
    confirmed_payment(runtime, payers[0].id, 5_000, date(2026, 1, 10))
    picked = 0
    for day in days(date(2026, 1, 1), 70):
        with clock.travel_to(lome(day, 4)):
            generate_dues()
            sync_states()
        with runtime.db() as session:
            everyone = {m.id for m in session.scalars(select(Member)) if reminders.reminder_for(session, m, day)}
            assert everyone <= set(reminders.candidates(session, day)), day
            picked += len(everyone)
    assert picked > 15  # the check was not vacuous
