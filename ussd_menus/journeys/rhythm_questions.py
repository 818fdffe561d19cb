"""The rhythm questions that joining and "Mon rythme de cotisation" share: the rhythm
list, then the market day (weekly) or the first harvest month (seasonal).

The answers go to the form as "rhythm", "weekday" and "harvest"; `chosen_rhythm`
turns them into what the services take.
"""
from __future__ import annotations

from ..context import Ctx
from ..screens import Branch, Choice
from .common import MONTHS, WEEKDAYS, reference_items, reference_label

WEEKLY, SEASONAL = "weekly", "seasonal"
SEASON_LENGTH = 3  # months of harvest payments, from the first harvest month


def harvest_months(first: int) -> tuple[int, ...]:
    """3 consecutive months from `first`, wrapping after December: 11 -> (11, 12, 1)."""
    return tuple((first - 1 + i) % 12 + 1 for i in range(SEASON_LENGTH))


def rhythm_questions(prefix: str, then: str) -> tuple[Choice, Choice, Choice]:
    """The screens `{prefix}.rhythm`, `{prefix}.weekday` and `{prefix}.harvest`; the
    journey enters at the first, and each answered path leads to `then`."""
    rhythm, weekday, harvest = f"{prefix}.rhythm", f"{prefix}.weekday", f"{prefix}.harvest"

    def after_rhythm(ctx: Ctx) -> str:
        return {WEEKLY: weekday, SEASONAL: harvest}.get(ctx.form["rhythm"], then)

    return (
        Choice(rhythm, "field.rhythm", "rhythm", reference_items("rhythms"),
               Branch(after_rhythm, (weekday, harvest, then))),
        Choice(weekday, "field.weekday", "weekday", WEEKDAYS, then),
        Choice(harvest, "field.harvest", "harvest", MONTHS, then),
    )


def chosen_rhythm(form: dict) -> tuple[str, int | None, tuple[int, ...]]:
    """(rhythm, weekday, harvest months) as the services take them."""
    rhythm = form["rhythm"]
    weekday = int(form["weekday"]) if rhythm == WEEKLY else None
    months = harvest_months(int(form["harvest"])) if rhythm == SEASONAL else ()
    return rhythm, weekday, months


def rhythm_summary(ctx: Ctx) -> str:
    """The answers as a summary line: "Cotisation: Chaque jour de marché (Lundi)"."""
    rhythm, weekday, months = chosen_rhythm(ctx.form)
    label = reference_label(ctx, "rhythms", rhythm)
    if weekday is not None:
        label = ctx.t("summary.rhythm_weekly", rhythm=label, day=ctx.t(f"day.{weekday}"))
    elif months:
        label = ctx.t("summary.rhythm_seasonal", rhythm=label,
                      first=ctx.t(f"month.{months[0]}"), last=ctx.t(f"month.{months[-1]}"))
    return ctx.t("summary.rhythm", rhythm=label)


SUMMARY_KEYS = ("summary.rhythm", "summary.rhythm_weekly", "summary.rhythm_seasonal")
