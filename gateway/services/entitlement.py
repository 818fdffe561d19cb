"""What a member is entitled to today: state, dates, household, saved credit."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway.models import Member
from gateway.services.billing import billing_period, period_price
from gateway.services.household import current_dependents, extra_counts
from gateway.services.membership import current_event
from ussd_menus.services import DependentView, RightsView


def dependent_views(member: Member) -> list[DependentView]:
    return [DependentView(d.id, d.relation, d.full_name, d.birth_date) for d in current_dependents(member)]


def rights(session: Session, member: Member, rules: SchemeRules, today: date) -> RightsView:
    event = current_event(session, member.id)
    state = event.state if event else "pending"
    # Coverage dates and saved credit come from the member's contribution account, which
    # only payments fill; a member who has paid nothing has neither.
    return RightsView(
        state=state,
        covered_until=None,
        waiting_ends=None,
        suspended_since=event.effective_at.date() if state == "suspended" else None,
        credit=0,
        period_price=period_price(rules, member.rhythm, *extra_counts(member)),
        period_label=billing_period(member.rhythm),
        coverage_rate=rules.coverage_rate,
        household=dependent_views(member),
    )
