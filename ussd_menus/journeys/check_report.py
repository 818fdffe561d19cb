"""Ce n'était pas moi: from Mes droits, a member whose household's rights were checked by
a health facility lately sees the last check and can report one they did not make; it is
flagged for the scheme's fraud team. Without a recent check, Mes droits is as before."""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..facility_services import CheckView
from ..formats import day, day_month
from ..screens import HOME, REQUIRED, Action, Branch, Choice, End, Journey, Line, Menu, confirm
from .rights import _lines as rights_lines

CHECKED, START, PICK, CONFIRM, SAVE, DONE = (
    "rights.checked", "report.start", "report.pick", "report.confirm", "report.save", "report.done")
FACILITY_CHARS = 24  # a facility's name as shown on these screens


def _checks(ctx: Ctx) -> list[CheckView]:
    return ctx.memo("checks", lambda: ctx.services.recent_checks(ctx.member_id))


# Mes droits: with a recent check, the rights and that check, and "Ce n'était pas moi"
RIGHTS = Branch(lambda ctx: CHECKED if _checks(ctx) else "rights.show", ("rights.show", CHECKED))


def _short(name: str) -> str:
    return name if len(name) <= FACILITY_CHARS else name[:FACILITY_CHARS - 1].rstrip() + "."


def _with_last_check(ctx: Ctx) -> list[Line]:
    last = _checks(ctx)[0]
    seen = Line(ctx.t("report.last", facility=_short(last.facility), day=day_month(last.day), code=last.code), REQUIRED)
    lines = rights_lines(ctx)
    return [lines[0], seen, *lines[1:]]


def _load(ctx: Ctx) -> None:
    ctx.form["checks"] = [{"code": c.code, "facility": _short(c.facility), "day": c.day.isoformat(),
                           "person": c.person} for c in _checks(ctx)]
    if len(ctx.form["checks"]) == 1:
        ctx.form["check"] = ctx.form["checks"][0]


def _person(ctx: Ctx, check: dict) -> str:
    """Who was checked: a dependant's first name, or "vous"."""
    return check["person"] or ctx.t("report.you")


def _items(ctx: Ctx) -> list[tuple[dict, str]]:
    return [(c, ctx.t("report.item", day=day_month(date.fromisoformat(c["day"])), code=c["code"],
                      facility=c["facility"], person=_person(ctx, c)))
            for c in ctx.form["checks"]]


def _summary(ctx: Ctx) -> list[Line]:
    check = ctx.form["check"]
    return [Line(ctx.t("report.which", facility=check["facility"], day=day(check["day"]), code=check["code"])),
            Line(ctx.t("report.for", name=_person(ctx, check)))]


def _report(ctx: Ctx) -> None:
    ctx.services.report_check(ctx.member_id, ctx.form["check"]["code"])


JOURNEY = Journey("it was not me", (
    Menu(CHECKED, None, (("report.not_me", START),), body=_with_last_check),
    Action(START, _load, next=Branch(lambda ctx: CONFIRM if "check" in ctx.form else PICK, (CONFIRM, PICK)),
           refused=HOME),
    Choice(PICK, "report.pick", "check", _items, CONFIRM),
    confirm(CONFIRM, "report.confirm", _summary, yes=SAVE, no=HOME),
    Action(SAVE, _report, next=DONE, refused=HOME),
    End(DONE, "report.done", params=lambda ctx: {"code": ctx.form["check"]["code"]}),
), keys=("report.last", "report.item", "report.which", "report.for", "report.you", "report.unknown"))
