"""What a member is entitled to today: state, dates, household, saved credit."""
from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from config.schemes import SchemeRules
from gateway import ledger
from gateway.models import Member
from gateway.services.billing import billing_period
from gateway.services.coverage import coverage_on, held_of, next_period_price
from gateway.services.household import current_dependents
from ussd_menus.services import DependentView, RightsView


def dependent_views(member: Member) -> list[DependentView]:
    return [DependentView(d.id, d.relation, d.full_name, d.birth_date) for d in current_dependents(member)]


def rights(session: Session, member: Member, rules: SchemeRules, today: date) -> RightsView:
    """From the cover held and the saved credit (the member's running figures), so it is
    right even on a day the nightly state job has not run yet, whatever the history."""
    held = held_of(member)
    coverage = coverage_on(held, rules, today)
    starts_anew = coverage.state == "pending" or (coverage.state == "suspended" and rules.new_waiting_after_suspension)
    return RightsView(
        state=coverage.state,
        covered_until=coverage.covered_until,
        waiting_ends=coverage.waiting_ends,
        suspended_since=coverage.suspended_since,
        credit=ledger.member_credit(session, member.id),
        period_price=next_period_price(session, member, today, held),
        period_label=billing_period(member.rhythm),
        coverage_rate=rules.coverage_rate,
        household=dependent_views(member),
        suspends_on=coverage.suspends_on if coverage.state == "grace" else None,
        next_waiting_days=rules.waiting_days if starts_anew else 0,
    )
