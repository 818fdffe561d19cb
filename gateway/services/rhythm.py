"""A member's contribution rhythm: read it, change it, switch reminders."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from config.reference import codes
from gateway import clock
from gateway.models import Member
from gateway.rules import rules_on
from gateway.services import dues
from gateway.services.billing import billing_period, period_price
from gateway.services.household import extra_counts
from ussd_menus.services import RhythmView


def rhythm_view(session: Session, member: Member) -> RhythmView:
    today = clock.local_date()
    rules = rules_on(session, member.scheme_id, today)
    upcoming = dues.expected_between(member, today, today + timedelta(days=400), lambda _day: rules)
    instalment = next((amount for _day, amount in upcoming), 0)
    return RhythmView(
        rhythm=member.rhythm,
        weekday=member.rhythm_weekday,
        months=tuple(member.rhythm_months),
        reminders=member.reminders,
        period_label=billing_period(member.rhythm),
        period_price=period_price(rules, member.rhythm, *extra_counts(member)),
        instalment=instalment,
    )


def change_rhythm(session: Session, member: Member, rhythm: str, weekday: int | None, months: tuple[int, ...]) -> None:
    if rhythm not in codes("rhythms"):
        raise ValueError(f"unknown rhythm {rhythm!r}")
    if rhythm == "weekly" and weekday not in range(7):
        raise ValueError("a weekly rhythm needs a weekday 0-6")
    if rhythm == "seasonal" and not (months and all(1 <= m <= 12 for m in months)):
        raise ValueError("a seasonal rhythm needs harvest months 1-12")
    today = clock.local_date()
    member.rhythm = rhythm
    member.rhythm_weekday = weekday if rhythm == "weekly" else None
    member.rhythm_months = sorted(set(months)) if rhythm == "seasonal" else []
    dues.drop_future_dues(session, member, after=today)
    session.flush()
    dues.generate_dues(session, member, today + timedelta(days=7), not_before=today + timedelta(days=1))
