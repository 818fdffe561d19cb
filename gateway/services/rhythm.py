"""A member's contribution rhythm: read it, change it, switch reminders."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from config.reference import codes
from gateway import clock
from gateway.models import Member
from gateway.rules import rules_on
from gateway.services import dues
from gateway.services.billing import billing_period, period_price
from gateway.services.household import extra_counts
from ussd_menus.services import RhythmView


@dataclass(frozen=True)
class WhatIsDue:
    """The one amount of a member's rhythm on a day, as the pay screen, Mon rythme and
    the reminders all give it: the next due from that day on, and the dues before it
    still unpaid (named as arrears, never hidden in the amount)."""

    instalment: int
    arrears: int

    @property
    def total(self) -> int:
        return self.instalment + self.arrears


def what_is_due(session: Session, member: Member, day: date) -> WhatIsDue:
    upcoming = dues.expected_between(member, day, day + timedelta(days=400),
                                     lambda d: rules_on(session, member.scheme_id, d))
    instalment = next((amount for _day, amount in upcoming), 0)
    return WhatIsDue(instalment, dues.standing(session, member.id, day - timedelta(days=1)).arrears)


def rhythm_view(session: Session, member: Member) -> RhythmView:
    today = clock.local_date()
    rules = rules_on(session, member.scheme_id, today)
    due = what_is_due(session, member, today)
    return RhythmView(
        rhythm=member.rhythm,
        weekday=member.rhythm_weekday,
        months=tuple(member.rhythm_months),
        reminders=member.reminders,
        period_label=billing_period(member.rhythm),
        period_price=period_price(rules, member.rhythm, *extra_counts(member)),
        instalment=due.instalment,
        arrears=due.arrears,
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
