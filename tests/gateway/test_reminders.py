"""Reminders: the evening before market day, on entering grace, a week before
suspension; never at night, never twice a day, never when paid ahead, never after
the member said stop."""
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from gateway import clock
from gateway.jobs.daily import generate_dues, send_reminders, sync_states
from gateway.jobs.sweep import tick
from gateway.models import Due, MembershipEvent, Reminder, SmsMessage
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.payment_helpers import confirmed_payment, join, lome

MONDAY = date(2026, 3, 2)  # a Monday; market day is Tuesday (weekday 1); March 2026 has 5 Tuesdays: 2 000 F each


@pytest.fixture
def seller(runtime):
    with clock.travel_to(lome(date(2026, 2, 25))):
        member = join(runtime, rhythm="weekly", rhythm_weekday=1)
        generate_dues()
    return member


def reminders_sent(runtime) -> list[tuple[str, str]]:
    with runtime.db() as session:
        return [(r.kind, s.text) for r, s in session.execute(
            select(Reminder, SmsMessage).join(SmsMessage, SmsMessage.id == Reminder.sms_id).order_by(Reminder.id))]


def run_reminders_at(runtime, day, hour):
    with clock.travel_to(lome(day, hour)):
        generate_dues()
        return send_reminders()


def test_the_evening_before_market_day_the_seller_is_reminded_once(runtime, seller):
    assert run_reminders_at(runtime, MONDAY, 18) == 1
    assert run_reminders_at(runtime, MONDAY, 19) == 0  # at most one a day
    ((kind, text),) = reminders_sent(runtime)
    assert kind == "due"
    assert text == ("AMU Togo: demain mardi 03/03, cotisation attendue: 2 000 F. "
                    "Payez par *858#. Plus de rappels: menu Mon rythme.")


def test_no_reminder_at_night_or_on_a_day_without_a_due_tomorrow(runtime, seller):
    assert run_reminders_at(runtime, MONDAY, 22) == 0
    assert run_reminders_at(runtime, MONDAY, 5) == 0
    assert run_reminders_at(runtime, MONDAY + timedelta(days=2), 18) == 0  # Wednesday: next market is Tuesday
    assert reminders_sent(runtime) == []


def test_a_daily_payer_is_reminded_once_a_week_on_sunday_evening(runtime):
    with clock.travel_to(lome(date(2026, 2, 25))):
        member = join(runtime, phone="+22890000031", rhythm="daily", rhythm_weekday=None)
    sent = {day: run_reminders_at(runtime, day, 18) for day in (MONDAY + timedelta(days=n) for n in range(14))}
    assert [day for day, count in sent.items() if count] == [date(2026, 3, 8), date(2026, 3, 15)]  # Sundays
    assert "demain lundi 09/03" in reminders_sent(runtime)[0][1]
    confirmed_payment(runtime, member.id, 10_000, date(2026, 3, 20))
    assert run_reminders_at(runtime, date(2026, 3, 22), 18) == 0  # paid ahead


def test_every_seller_reminded_in_one_round_gets_the_sms(runtime, seller, run_jobs):
    """One transaction reminds several members, each in a savepoint: every SMS goes out,
    not only the last one's (jobs wait for the outer commit, not a savepoint's)."""
    with clock.travel_to(lome(date(2026, 2, 25))):
        others = [join(runtime, phone=f"+2289000004{n}", rhythm="weekly", rhythm_weekday=1) for n in range(2)]
    assert run_reminders_at(runtime, MONDAY, 18) == 3
    run_jobs()
    with runtime.db() as session:
        sent = session.execute(select(SmsMessage.member_id, SmsMessage.status).where(SmsMessage.kind == "reminder_due")).all()
    assert sorted(sent) == sorted((m.id, "sent") for m in [seller, *others])


def test_no_reminder_when_already_paid_ahead(runtime, seller):
    confirmed_payment(runtime, seller.id, 10_000, date(2026, 2, 27))
    assert run_reminders_at(runtime, MONDAY, 18) == 0


def test_the_reminder_asks_for_arrears_too(runtime, seller):
    assert run_reminders_at(runtime, MONDAY + timedelta(days=7), 18) == 1  # the 3 March due was not paid
    assert reminders_sent(runtime)[0][1] == ("AMU Togo: demain mardi 10/03, à payer 4 000 F dont 2 000 F de retard. "
                                             "Payez par *858#. Plus de rappels: menu Mon rythme.")


def test_a_member_who_said_stop_gets_no_reminder(runtime, seller):
    GatewayMenuServices(runtime).set_reminders(seller.id, False)
    assert run_reminders_at(runtime, MONDAY, 18) == 0


def test_entering_grace_and_a_week_before_suspension(runtime):
    with clock.travel_to(lome(date(2026, 1, 1))):
        member = join(runtime, rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, member.id, 10_000, date(2026, 1, 1))  # covered 1-31 January
    with runtime.db.begin() as session:
        session.execute(delete(Due))  # keep this about cover, not dues
    assert run_reminders_at(runtime, date(2026, 2, 1), 9) == 1
    assert run_reminders_at(runtime, date(2026, 3, 25), 9) == 1  # suspended from 1 April
    assert reminders_sent(runtime) == [
        ("grace", "AMU Togo: payé jusqu'au 31/01/2026. Encore couvert, mais droits suspendus le 01/04/2026 sans "
                  "paiement. Payez par *858#."),
        ("suspension_soon", "AMU Togo: sans paiement, droits suspendus le 01/04/2026, puis délai de carence de 90 "
                            "jours à la reprise. Payez par *858#."),
    ]


def test_the_daily_state_job_writes_dated_history(runtime):
    with clock.travel_to(lome(date(2026, 1, 1))):
        member = join(runtime, rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, member.id, 10_000, date(2026, 1, 1))
    with clock.travel_to(lome(date(2026, 4, 15))):
        assert sync_states() == 1
    with runtime.db() as session:
        history = [(e.state, clock.local_date(e.effective_at)) for e in session.scalars(
            select(MembershipEvent).where(MembershipEvent.member_id == member.id).order_by(MembershipEvent.id))]
    assert history == [("pending", date(2026, 1, 1)), ("waiting", date(2026, 1, 1)), ("grace", date(2026, 2, 1)),
                       ("suspended", date(2026, 4, 1))]


def test_the_ticker_queues_daily_jobs_once_each_after_their_hour(runtime):
    claimed = set()
    with clock.travel_to(lome(date(2026, 3, 2), 3)):
        assert tick(runtime, claimed) == ["gateway.jobs.sweep.sweep"]
    with clock.travel_to(lome(date(2026, 3, 2), 18)):
        queued = tick(runtime, claimed)
        assert "gateway.jobs.daily.send_reminders" in queued and "gateway.jobs.daily.generate_dues" in queued
        assert not any("daily" in job for job in tick(runtime, claimed))
