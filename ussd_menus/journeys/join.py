"""Join the AMU: name, birth date, sex, occupation, region, rhythm, confirmation.

Nothing is saved before "Confirmer"; then services.enrol creates the member and
queues the SMS that repeats the AMU number.
"""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..formats import age_on, day, parse_past_date
from ..screens import Action, Branch, Choice, End, Input, Invalid, Journey, Line, confirm
from ..services import EnrolmentRequest
from .common import MONTHS, SEX, WEEKDAYS, name, reference_items, reference_label

MIN_AGE, MAX_AGE = 18, 100
WEEKLY, SEASONAL = "weekly", "seasonal"
SEASON_LENGTH = 3  # months of harvest payments, from the first harvest month


def harvest_months(first: int) -> tuple[int, ...]:
    """3 consecutive months from `first`, wrapping after December: 11 -> (11, 12, 1)."""
    return tuple((first - 1 + i) % 12 + 1 for i in range(SEASON_LENGTH))


def _birth_date(text: str, ctx: Ctx) -> str:
    born = parse_past_date(text, ctx.today)
    if not MIN_AGE <= age_on(born, ctx.today) <= MAX_AGE:
        raise Invalid("error.age", min=MIN_AGE, max=MAX_AGE)
    return born.isoformat()


def _after_rhythm(ctx: Ctx) -> str:
    return {WEEKLY: "join.weekday", SEASONAL: "join.harvest"}.get(ctx.form["rhythm"], "join.confirm")


def _rhythm_text(ctx: Ctx) -> str:
    form = ctx.form
    label = reference_label(ctx, "rhythms", form["rhythm"])
    if form["rhythm"] == WEEKLY:
        return ctx.t("join.rhythm.weekly", rhythm=label, day=ctx.t(f"day.{form['weekday']}"))
    if form["rhythm"] == SEASONAL:
        months = harvest_months(int(form["harvest"]))
        return ctx.t("join.rhythm.seasonal", rhythm=label,
                     first=ctx.t(f"month.{months[0]}"), last=ctx.t(f"month.{months[-1]}"))
    return label


def _summary(ctx: Ctx) -> list[Line]:
    return [
        Line(ctx.t("summary.name", name=ctx.form["full_name"])),
        Line(ctx.t("summary.born", date=day(ctx.form["birth_date"]))),
        Line(ctx.t("join.summary.region", region=reference_label(ctx, "regions", ctx.form["region"]))),
        Line(ctx.t("join.summary.rhythm", rhythm=_rhythm_text(ctx))),
    ]


def _enrol(ctx: Ctx) -> None:
    form = ctx.form
    member = ctx.services.enrol(EnrolmentRequest(
        phone=ctx.phone,
        network=ctx.network,
        language=ctx.lang,
        full_name=form["full_name"],
        birth_date=date.fromisoformat(form["birth_date"]),
        sex=form["sex"],
        occupation=form["occupation"],
        region=form["region"],
        rhythm=form["rhythm"],
        rhythm_weekday=int(form["weekday"]) if form["rhythm"] == WEEKLY else None,
        rhythm_months=harvest_months(int(form["harvest"])) if form["rhythm"] == SEASONAL else (),
    ))
    ctx.member_id = member.id
    form["welcome"] = {"name": member.full_name, "number": member.amu_number}


JOURNEY = Journey("join", (
    Input("join.name", "field.name", "full_name", name, "join.birth_date"),
    Input("join.birth_date", "field.birth_date", "birth_date", _birth_date, "join.sex"),
    Choice("join.sex", "field.sex", "sex", SEX, "join.occupation"),
    Choice("join.occupation", "join.occupation", "occupation", reference_items("occupations"), "join.region"),
    Choice("join.region", "join.region", "region", reference_items("regions"), "join.rhythm"),
    Choice("join.rhythm", "join.rhythm", "rhythm", reference_items("rhythms"),
           Branch(_after_rhythm, ("join.weekday", "join.harvest", "join.confirm"))),
    Choice("join.weekday", "join.weekday", "weekday", WEEKDAYS, "join.confirm"),
    Choice("join.harvest", "join.harvest", "harvest", MONTHS, "join.confirm"),
    confirm("join.confirm", "join.confirm", _summary, yes="join.save", no="join.cancelled"),
    Action("join.save", _enrol, next="join.done", refused="join.refused"),
    End("join.done", "join.done", params=lambda ctx: ctx.form["welcome"]),
    End("join.cancelled", "join.cancelled"),
    End("join.refused", "join.refused"),
), keys=(
    "summary.name", "summary.born", "join.summary.region", "join.summary.rhythm",
    "join.rhythm.weekly", "join.rhythm.seasonal",
    "error.name", "error.date", "error.date_future", "error.age",
    "join.already_member", "join.too_young", "join.born_in_future",  # the services' refusals
))
