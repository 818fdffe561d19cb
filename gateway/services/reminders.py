"""Which reminder, if any, a member gets today. At most one a day (a unique constraint
decides between racing workers), never at night, never to a member who opted out, and
never for a due already paid ahead. Its words: the amount the pay screen offers (arrears
named as such), the day of suspension in grace, the waiting period that follows one."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import clock
from gateway.jobs.queue import JobQueue
from gateway.models import CoveragePeriod, Due, Member, Reminder, Scheme
from gateway.money import francs
from gateway.rules import rules_on
from gateway.services import coverage
from gateway.services.dues import standing
from gateway.services.rhythm import what_is_due
from gateway.sms.outbox import queue_sms
from languages import registry

DAYTIME = range(7, 20)  # Lomé hours when a reminder may be sent
WARN_BEFORE_SUSPENSION = timedelta(days=7)


def reminder_for(session: Session, member: Member, today: date) -> tuple[str, dict] | None:
    """(kind, SMS parameters) of today's reminder for the member, or None. A due reminder
    gives the amount the pay screen will offer tomorrow, its arrears named as such."""
    if not member.reminders:
        return None
    rules = rules_on(session, member.scheme_id, today)
    cover = coverage.coverage_on(coverage.held_of(member), rules, today)
    if cover.state == "grace" and cover.suspends_on - today == WARN_BEFORE_SUSPENSION:
        days = rules.waiting_days if rules.new_waiting_after_suspension else 0
        return "suspension_soon", {"day": _day(cover.suspends_on), "days": days,
                                   "template": "reminder_suspension_soon" if days else "reminder_suspension_soon_no_wait"}
    if cover.state == "grace" and cover.grace_from == today:
        return "grace", {"day": _day(cover.covered_until), "suspends": _day(cover.suspends_on)}
    place = standing(session, member.id, today)
    tomorrow = today + timedelta(days=1)
    if place.next_due != tomorrow:
        return None
    if member.rhythm == "daily" and tomorrow.weekday() != 0:
        return None  # a daily payer hears from us on Sunday evenings, not every evening
    if place.advance >= place.next_amount:
        return None  # paid ahead: nothing to remind
    due = what_is_due(session, member, tomorrow)
    return "due", {
        "amount": francs(due.total),
        "arrears": francs(due.arrears),
        "weekday": registry().text(member.language, f"weekday.{tomorrow.weekday()}"),
        "day": f"{tomorrow:%d/%m}",
        "template": "reminder_due_arrears" if due.arrears else "reminder_due",
    }


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def candidates(session: Session, today: date) -> list[int]:
    """The members who may get a reminder today (reminder_for decides for each): a due
    tomorrow, cover that ended yesterday, or a suspension a week away."""
    tomorrow = today + timedelta(days=1)
    warn_on = today + WARN_BEFORE_SUSPENSION
    ends = {today - timedelta(days=1)}
    for scheme in session.scalars(select(Scheme.id)):
        rules = rules_on(session, scheme, today)
        near = warn_on - relativedelta(months=rules.suspend_after_unpaid_months)
        ends |= {d for d in (near + timedelta(days=k) for k in range(-5, 5)) if coverage.suspension_day(d, rules) == warn_on}
    covered_until = (
        select(CoveragePeriod.member_id).group_by(CoveragePeriod.member_id).having(func.max(CoveragePeriod.ends_on).in_(ends))
    )
    due_tomorrow = select(Due.member_id).where(Due.due_on == tomorrow)
    return list(session.scalars(
        select(Member.id)
        .where(Member.reminders.is_(True), or_(Member.id.in_(due_tomorrow), Member.id.in_(covered_until)))
        .order_by(Member.id)
    ))


def remind(session: Session, queue: JobQueue, member: Member, now: datetime) -> str | None:
    """Queue today's reminder for the member if there is one; returns its kind. The
    round (gateway.jobs.daily.send_reminders) runs only in DAYTIME."""
    today = clock.local_date(now)
    decided = reminder_for(session, member, today)
    if decided is None:
        return None
    kind, params = decided
    params = dict(params)
    template = params.pop("template", None)
    try:
        with session.begin_nested():
            row = Reminder(member_id=member.id, day=today, kind=kind)
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # already reminded today
    message = queue_sms(
        session, queue, phone=member.phone, kind=f"reminder_{kind}", template=template, language=member.language,
        member_id=member.id, **params,
    )
    session.flush()
    row.sms_id = message.id
    return kind
