"""Mes droits: the member's state in words true in that state, the household, saved
credit, what buys the next period and the coverage rate, then END.

Never "couvert" before the waiting period ends: a member in it reads from when care is
paid, and until when they have paid. Pending and suspended members read what to pay and
the waiting period that follows; grace names the day of suspension.
"""
from __future__ import annotations

from ..context import Ctx
from ..formats import day, money
from ..screens import End, Journey, Line
from ..services import RightsView

PERIODS = ("monthly", "quarterly", "half_yearly", "yearly")
# When the screen is too long, the lowest are dropped first.
KEEP_DATES, KEEP_HOUSEHOLD, KEEP_CREDIT, KEEP_NEXT, KEEP_COVERAGE = 50, 30, 20, 15, 10
COVERED = ("active", "grace")
SAYS_WHAT_TO_PAY = ("pending", "suspended")  # their state line already names the saving and the amount


def state_lines(ctx: Ctx, rights: RightsView) -> list[Line]:
    """The state, then what follows from it: paid-until in the waiting period, the
    waiting period a payment would start when pending or suspended."""
    to_pay = money(rights.to_next_period)
    waiting = Line(ctx.t("rights.new_waiting", days=rights.next_waiting_days) if rights.next_waiting_days
                   else ctx.t("rights.no_waiting"), KEEP_DATES)
    saving = {"credit": money(rights.credit)} if rights.credit else {}
    suffix = "_saving" if saving else ""  # partial money is a saving toward the first (or next) period
    if rights.state == "pending":
        return [Line(ctx.t(f"rights.pending{suffix}", amount=to_pay, **saving)), waiting]
    if rights.state == "waiting":
        return [Line(ctx.t("rights.waiting", date=day(rights.waiting_ends))),
                Line(ctx.t("rights.paid_until", date=day(rights.covered_until)), KEEP_DATES)]
    if rights.state == "active":
        return [Line(ctx.t("rights.active", date=day(rights.covered_until)))]
    if rights.state == "grace":
        return [Line(ctx.t("rights.grace", date=day(rights.covered_until), suspends=day(rights.suspends_on)))]
    if rights.state == "suspended":
        return [Line(ctx.t(f"rights.suspended{suffix}", date=day(rights.suspended_since), amount=to_pay, **saving)),
                waiting]
    raise ValueError(f"unknown membership state {rights.state!r}")


def household_text(ctx: Ctx, rights: RightsView) -> str:
    """"Foyer: vous + 1 conjoint + 2 enfants"."""
    spouses = sum(1 for d in rights.household if d.relation == "spouse")
    children = sum(1 for d in rights.household if d.relation == "child")
    if not spouses and not children:
        return ctx.t("rights.household", people=ctx.t("rights.you_alone"))
    people = [ctx.t("rights.you")]
    if spouses:
        people.append(ctx.t("rights.spouse" if spouses == 1 else "rights.spouses", count=spouses))
    if children:
        people.append(ctx.t("rights.child" if children == 1 else "rights.children", count=children))
    return ctx.t("rights.household", people=" + ".join(people))


def _lines(ctx: Ctx) -> list[Line]:
    rights = ctx.services.rights(ctx.member_id)
    period = rights.period_label if rights.period_label in PERIODS else "other"
    lines = [*state_lines(ctx, rights), Line(household_text(ctx, rights), KEEP_HOUSEHOLD)]
    if rights.credit > 0 and rights.state not in SAYS_WHAT_TO_PAY:
        lines.append(Line(ctx.t(f"rights.credit.{period}", amount=money(rights.credit)), KEEP_CREDIT))
    saving_or_covered = rights.credit > 0 or rights.state in COVERED
    if saving_or_covered and rights.state not in SAYS_WHAT_TO_PAY and rights.to_next_period > 0:
        lines.append(Line(ctx.t(f"rights.next.{period}", amount=money(rights.to_next_period)), KEEP_NEXT))
    lines.append(Line(ctx.t("rights.coverage", rate=rights.coverage_rate), KEEP_COVERAGE))
    return lines


JOURNEY = Journey("rights", (End("rights.show", None, body=_lines),), keys=(
    "rights.pending", "rights.pending_saving", "rights.suspended_saving", "rights.waiting", "rights.active", "rights.grace", "rights.suspended",
    "rights.paid_until", "rights.new_waiting", "rights.no_waiting",
    "rights.household", "rights.you", "rights.you_alone", "rights.spouse", "rights.spouses",
    "rights.child", "rights.children", "rights.coverage",
    *(f"rights.{line}.{period}" for line in ("credit", "next") for period in (*PERIODS, "other")),
))
