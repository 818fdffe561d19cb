"""Vérifier un assuré: a phone registered to a health facility checks whether a person is
covered today. AMU number (or the member's phone), then who is being treated; the END
says covered or not, why, with the date that matters, and the check code for the claim
(sent by SMS too). Offered on the home menus to facility phones only (`is_facility_phone`)."""
from __future__ import annotations

import re
from datetime import date

from ..context import Ctx
from ..facility_services import BeneficiaryView, CheckAnswer
from ..formats import day, money
from ..screens import HOME, REQUIRED, Action, Branch, Choice, End, Input, Invalid, Journey, Line

START, FIND, PICK, CHECK, ANSWER = "facility.who", "facility.find", "facility.pick", "facility.check", "facility.answer"
REASONS = ("active", "grace", "waiting", "suspended", "suspended_no_wait", "pending", "pending_no_wait",
           "age_limit", "not_in_household")
KEEP_PERSON, KEEP_SMS = 20, 10
_ENTRY = re.compile(r"\+?[0-9]{8,13}")


def is_facility_phone(ctx: Ctx) -> bool:
    return ctx.memo("facility", lambda: ctx.services.facility_of_phone(ctx.phone)) is not None


def _who(text: str, ctx: Ctx) -> str:
    """10 digits (AMU number) or a phone number; which member is the services' business."""
    entry = "".join(text.split())
    if not _ENTRY.fullmatch(entry):
        raise Invalid("facility.bad_entry")
    return entry


def _relation(ctx: Ctx, relation: str) -> str:
    return ctx.t("facility.member" if relation == "member" else f"relation.{relation}")


def _label(ctx: Ctx, person: BeneficiaryView) -> str:
    return ctx.t("facility.person", name=person.masked_name, relation=_relation(ctx, person.relation),
                 year=person.birth_year)


def _find(ctx: Ctx) -> None:
    people = ctx.services.facility_household(ctx.phone, ctx.form["who"])
    ctx.form["people"] = [[p.number, _label(ctx, p)] for p in people]
    if len(people) == 1:
        ctx.form["beneficiary"] = people[0].number


def _check(ctx: Ctx) -> None:
    answer: CheckAnswer = ctx.services.facility_check(ctx.phone, ctx.form["beneficiary"], ctx.lang)
    ctx.form["answer"] = {
        "code": answer.code, "person": f"{answer.masked_name} ({_relation(ctx, answer.relation)})",
        "day": answer.day.isoformat(), "covered": answer.covered, "reason": answer.reason,
        "date": answer.date.isoformat() if answer.date else None, "amount": answer.amount,
        "days": answer.waiting_days, "rate": answer.rate, "limit": answer.child_age_limit,
        "school_limit": answer.child_age_limit_in_school,
    }


def _answer(ctx: Ctx) -> list[Line]:
    a = ctx.form["answer"]
    verdict = "facility.covered" if a["covered"] else "facility.not_covered"
    why = ctx.t(f"facility.reason.{a['reason']}", date=day(a["date"]) if a["date"] else "", amount=money(a["amount"]),
                days=a["days"], rate=a["rate"], share=100 - a["rate"], limit=a["limit"],
                school_limit=a["school_limit"])
    return [
        Line(ctx.t(verdict, day=day(date.fromisoformat(a["day"]))), REQUIRED),
        Line(a["person"], KEEP_PERSON),
        Line(why, REQUIRED),
        Line(ctx.t("facility.code", code=a["code"]), REQUIRED, shrink=False),
        Line(ctx.t("facility.sms"), KEEP_SMS),
    ]


JOURNEY = Journey("check a member", (
    Input(START, "facility.who", "who", _who, FIND),
    # a refusal (typo, nobody, too many checks this minute) re-shows the question with its reason
    Action(FIND, _find, next=Branch(lambda ctx: CHECK if "beneficiary" in ctx.form else PICK, (CHECK, PICK)),
           refused=START),
    Choice(PICK, "facility.pick", "beneficiary", lambda ctx: [tuple(p) for p in ctx.form["people"]], CHECK),
    Action(CHECK, _check, next=ANSWER, refused=HOME),
    End(ANSWER, None, body=_answer),
), keys=(
    "facility.bad_entry", "facility.person", "facility.member", "relation.spouse", "relation.child",
    "facility.covered", "facility.not_covered", "facility.code", "facility.sms",
    *(f"facility.reason.{reason}" for reason in REASONS),
    # the services' refusals
    "facility.bad_number", "facility.unknown", "facility.too_many", "facility.not_registered",
))
