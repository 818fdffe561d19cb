"""Join the AMU: name, birth date, sex, occupation, region, rhythm, confirmation.

Nothing is saved before "Confirmer"; then services.enrol creates the member and
queues the SMS that repeats the AMU number.
"""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..formats import age_on, day, parse_past_date
from ..screens import Action, Choice, End, Input, Invalid, Journey, Line, confirm
from ..services import EnrolmentRequest
from .common import SEX, name, reference_items, reference_label
from .rhythm_questions import SUMMARY_KEYS, chosen_rhythm, rhythm_questions, rhythm_summary

MIN_AGE, MAX_AGE = 18, 100


def _birth_date(text: str, ctx: Ctx) -> str:
    born = parse_past_date(text, ctx.today)
    if not MIN_AGE <= age_on(born, ctx.today) <= MAX_AGE:
        raise Invalid("error.age", min=MIN_AGE, max=MAX_AGE)
    return born.isoformat()


def _summary(ctx: Ctx) -> list[Line]:
    return [
        Line(ctx.t("summary.name", name=ctx.form["full_name"])),
        Line(ctx.t("summary.born", date=day(ctx.form["birth_date"]))),
        Line(ctx.t("join.summary.region", region=reference_label(ctx, "regions", ctx.form["region"]))),
        Line(rhythm_summary(ctx)),
    ]


def _enrol(ctx: Ctx) -> None:
    form = ctx.form
    rhythm, weekday, months = chosen_rhythm(form)
    member = ctx.services.enrol(EnrolmentRequest(
        phone=ctx.phone,
        network=ctx.network,
        language=ctx.lang,
        full_name=form["full_name"],
        birth_date=date.fromisoformat(form["birth_date"]),
        sex=form["sex"],
        occupation=form["occupation"],
        region=form["region"],
        rhythm=rhythm,
        rhythm_weekday=weekday,
        rhythm_months=months,
    ))
    ctx.member_id = member.id
    form["welcome"] = {"name": member.full_name, "number": member.amu_number}


JOURNEY = Journey("join", (
    Input("join.name", "field.name", "full_name", name, "join.birth_date"),
    Input("join.birth_date", "field.birth_date", "birth_date", _birth_date, "join.sex"),
    Choice("join.sex", "field.sex", "sex", SEX, "join.occupation"),
    Choice("join.occupation", "join.occupation", "occupation", reference_items("occupations"), "join.region"),
    Choice("join.region", "join.region", "region", reference_items("regions"), "join.rhythm"),
    *rhythm_questions("join", then="join.confirm"),
    confirm("join.confirm", "join.confirm", _summary, yes="join.save", no="join.cancelled"),
    Action("join.save", _enrol, next="join.done", refused="join.refused"),
    End("join.done", "join.done", params=lambda ctx: ctx.form["welcome"]),
    End("join.cancelled", "join.cancelled"),
    End("join.refused", "join.refused"),
), keys=(
    "summary.name", "summary.born", "join.summary.region", *SUMMARY_KEYS,
    "error.name", "error.date", "error.date_future", "error.age",
    "join.already_member", "join.too_young", "join.born_in_future",  # the services' refusals
), resume="resume.join")
