"""Which reminder, if any, a member gets today. At most one a day (a unique constraint
decides between racing workers), never at night, never to a member who opted out, and
never for a due already paid ahead."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gateway import clock
from gateway.jobs.queue import JobQueue
from gateway.models import Member, Reminder
from gateway.money import francs
from gateway.rules import rules_on
from gateway.services import coverage
from gateway.services.dues import standing
from gateway.sms.outbox import queue_sms

DAYTIME = range(7, 20)  # Lomé hours when a reminder may be sent
DAY_NAMES = {
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}
WARN_BEFORE_SUSPENSION = timedelta(days=7)


def reminder_for(session: Session, member: Member, today: date) -> tuple[str, dict] | None:
    """(kind, SMS parameters) of today's reminder for the member, or None."""
    if not member.reminders:
        return None
    rules = rules_on(session, member.scheme_id, today)
    cover = coverage.coverage_on(coverage.periods_of(session, member.id), rules, today)
    if cover.state == "grace" and cover.suspends_on - today == WARN_BEFORE_SUSPENSION:
        return "suspension_soon", {"day": f"{cover.suspends_on:%d/%m/%Y}"}
    if cover.state == "grace" and cover.grace_from == today:
        return "grace", {"day": f"{cover.covered_until:%d/%m/%Y}"}
    place = standing(session, member.id, today)
    tomorrow = today + timedelta(days=1)
    if place.next_due != tomorrow:
        return None
    if place.advance >= place.next_amount:
        return None  # paid ahead: nothing to remind
    language = member.language if member.language in DAY_NAMES else "fr"
    return "due", {
        "amount": francs(place.next_amount + place.arrears),
        "weekday": DAY_NAMES[language][tomorrow.weekday()],
        "day": f"{tomorrow:%d/%m}",
    }


def remind(session: Session, queue: JobQueue, member: Member, now: datetime) -> str | None:
    """Queue today's reminder for the member if there is one; returns its kind."""
    if clock.local_hour(now) not in DAYTIME:
        return None
    today = clock.local_date(now)
    decided = reminder_for(session, member, today)
    if decided is None:
        return None
    kind, params = decided
    try:
        with session.begin_nested():
            row = Reminder(member_id=member.id, day=today, kind=kind)
            session.add(row)
            session.flush()
    except IntegrityError:
        return None  # already reminded today
    message = queue_sms(
        session, queue, phone=member.phone, kind=f"reminder_{kind}", language=member.language,
        member_id=member.id, **params,
    )
    row.sms_id = message.id
    return kind
