"""Mon rythme de cotisation: the member's rhythm in words and the SMS reminders; change
the rhythm (the joining questions, then a confirmation) or switch the reminders.

A new rhythm counts from tomorrow; dues already past stay as they were.
"""
from __future__ import annotations

from dataclasses import asdict

from ..context import Ctx
from ..formats import money
from ..screens import REQUIRED, Action, End, Journey, Line, Menu, confirm
from ..services import RhythmView
from .common import reference_label
from .rhythm_questions import SEASONAL, SUMMARY_KEYS, WEEKLY, chosen_rhythm, rhythm_questions, rhythm_summary
from .rights import PERIODS

START = "rhythm.start"
CHANGE = "rhythm.change"  # prefix of the rhythm questions
STOP_REMINDERS, START_REMINDERS = "rhythm.reminders_off", "rhythm.reminders_on"
IN_WORDS = ("daily", WEEKLY, "monthly", "quarterly", "half_yearly", "yearly", SEASONAL)
KEEP_PERIOD = 10  # "Soit 10 000 F par mois." is the first line to go on a small screen


def season_order(months: tuple[int, ...]) -> list[int]:
    """Harvest months in the order the season runs: (1, 2, 12) -> [12, 1, 2]. The season
    starts after the longest wait between two harvest months."""
    months = sorted(set(months))

    def wait_before(i: int) -> int:
        return (months[i] - months[i - 1]) % 12 or 12

    start = max(range(len(months)), key=wait_before)
    return months[start:] + months[:start]


def in_words(ctx: Ctx, view: RhythmView) -> str:
    """"chaque mardi (jour de marché)", "à la récolte (déc., janv., févr.)"..."""
    if view.rhythm == WEEKLY and view.weekday is not None:
        return ctx.t("rhythm.in_words.weekly", day=ctx.t(f"weekday.{view.weekday}"))
    if view.rhythm == SEASONAL and view.months:
        months = ", ".join(ctx.t(f"month_short.{m}") for m in season_order(view.months))
        return ctx.t("rhythm.in_words.seasonal", months=months)
    if view.rhythm in IN_WORDS:
        return ctx.t(f"rhythm.in_words.{view.rhythm}")
    label = reference_label(ctx, "rhythms", view.rhythm)  # a rhythm added to the lists since
    return label[:1].lower() + label[1:]  # "Chaque quinzaine" inside a sentence


def rhythm_lines(ctx: Ctx, view: RhythmView) -> list[Line]:
    """What the member pays each time and, when that is only a part of it, what the
    period of cover costs in all."""
    usual = view.instalment or view.period_price
    # the amount comes first: a line too long for the screen is shortened from its end
    lines = [Line(ctx.t("rhythm.now", amount=money(usual), rhythm=in_words(ctx, view)))]
    if usual != view.period_price:
        period = view.period_label if view.period_label in PERIODS else "other"
        lines.append(Line(ctx.t(f"rhythm.period.{period}", amount=money(view.period_price)), KEEP_PERIOD))
    return lines


def _current(ctx: Ctx) -> RhythmView:
    return ctx.memo("rhythm", lambda: ctx.services.rhythm_of(ctx.member_id))


def _overview(ctx: Ctx) -> list[Line]:
    view = _current(ctx)
    reminders = ctx.t("rhythm.reminders.on" if view.reminders else "rhythm.reminders.off")
    arrears = [Line(ctx.t("rhythm.arrears", amount=money(view.arrears)), REQUIRED)] if view.arrears else []
    return [*rhythm_lines(ctx, view), *arrears, Line(reminders, REQUIRED)]


def _change(ctx: Ctx) -> None:
    view = ctx.services.change_rhythm(ctx.member_id, *chosen_rhythm(ctx.form))
    ctx.form["changed"] = asdict(view)


def _changed(ctx: Ctx) -> list[Line]:
    view = RhythmView(**ctx.form["changed"])
    return [*rhythm_lines(ctx, view), Line(ctx.t("rhythm.past_dues_unchanged"))]


def _reminders(on: bool):
    def switch(ctx: Ctx) -> None:
        ctx.services.set_reminders(ctx.member_id, on)

    return switch


JOURNEY = Journey("my rhythm", (
    Menu(START, None, (
        ("rhythm.change", f"{CHANGE}.rhythm"),
        ("rhythm.stop_reminders", STOP_REMINDERS),
        ("rhythm.start_reminders", START_REMINDERS),
    ), body=_overview, shown_if={
        STOP_REMINDERS: lambda ctx: _current(ctx).reminders,
        START_REMINDERS: lambda ctx: not _current(ctx).reminders,
    }),
    *rhythm_questions(CHANGE, then="rhythm.confirm"),
    confirm("rhythm.confirm", "rhythm.confirm", lambda ctx: [Line(rhythm_summary(ctx))],
            yes="rhythm.save", no="rhythm.unchanged"),
    Action("rhythm.save", _change, next="rhythm.changed", refused=START),
    End("rhythm.changed", "rhythm.changed", body=_changed),
    End("rhythm.unchanged", "rhythm.unchanged"),
    Action(STOP_REMINDERS, _reminders(False), next="rhythm.reminders_stopped", refused=START),
    Action(START_REMINDERS, _reminders(True), next="rhythm.reminders_started", refused=START),
    End("rhythm.reminders_stopped", "rhythm.reminders_stopped"),
    End("rhythm.reminders_started", "rhythm.reminders_started"),
), keys=(
    "rhythm.now", "rhythm.arrears", "rhythm.reminders.on", "rhythm.reminders.off", "rhythm.past_dues_unchanged",
    *(f"rhythm.in_words.{code}" for code in IN_WORDS),
    *(f"rhythm.period.{period}" for period in (*PERIODS, "other")),
    *(f"weekday.{d}" for d in range(7)), *(f"month_short.{m}" for m in range(1, 13)),
    *SUMMARY_KEYS,
), resume="resume.rhythm")
