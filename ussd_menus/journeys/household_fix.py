"""A dependent's details, reached from Mes ayants droit: correct the name or the date of
birth (the row before stays in the history), or remove them from the household (dated,
kept in the history). The same rules as adding apply to a corrected date of birth."""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..formats import day
from ..screens import Action, End, Input, Journey, Line, Menu, confirm
from ..services import DependentView
from .common import name
from .household import DETAIL, LIST, check_birth_date, dependents, describe, with_limits

NAME, BIRTH = "household.fix_name", "household.fix_birth"
SAVE_FIX, REMOVE = "household.fix_save", "household.remove_confirm"


def _chosen(ctx: Ctx) -> DependentView | None:
    return next((d for d in dependents(ctx) if str(d.id) == ctx.form["dependent"]), None)


def _detail(ctx: Ctx) -> list[Line]:
    chosen = _chosen(ctx)
    if chosen is None:  # removed from another session since the list was shown
        return [Line(ctx.t("household.gone"))]
    return describe(ctx, chosen.full_name, chosen.relation, chosen.birth_date)


def _corrected(ctx: Ctx) -> tuple[str, str, str]:
    """(name, relation, birth date) as they will read after the correction."""
    chosen = _chosen(ctx)
    if chosen is None:
        return ctx.form.get("new_name", ""), "child", ctx.form.get("new_birth_date") or ctx.today.isoformat()
    return (ctx.form.get("new_name", chosen.full_name), chosen.relation,
            ctx.form.get("new_birth_date", chosen.birth_date.isoformat()))


def _new_birth_date(text: str, ctx: Ctx) -> str:
    full_name, relation, _ = _corrected(ctx)
    return check_birth_date(text, ctx, relation, full_name, leaving=ctx.form["dependent"])


def _fix(ctx: Ctx) -> None:
    new_birth = ctx.form.get("new_birth_date")
    view = with_limits(ctx, lambda: ctx.services.correct_dependent(
        ctx.member_id, int(ctx.form["dependent"]), full_name=ctx.form.get("new_name"),
        birth_date=date.fromisoformat(new_birth) if new_birth else None,
    ))
    ctx.form["done"] = {"name": view.full_name, "date": day(view.birth_date)}


def _remove(ctx: Ctx) -> None:
    chosen = _chosen(ctx)
    left_on = ctx.services.remove_dependent(ctx.member_id, int(ctx.form["dependent"]))
    ctx.form["done"] = {"name": chosen.full_name if chosen else "", "date": day(left_on)}


JOURNEY = Journey("household fix", (
    Menu(DETAIL, None, (
        ("household.correct_name", NAME),
        ("household.correct_birth", BIRTH),
        ("household.remove", REMOVE),
    ), body=_detail),
    Input(NAME, "field.name", "new_name", name, "household.fix_confirm"),
    Input(BIRTH, "field.birth_date", "new_birth_date", _new_birth_date, "household.fix_confirm"),
    confirm("household.fix_confirm", "household.correct_confirm",
            lambda ctx: describe(ctx, *_corrected(ctx)), yes=SAVE_FIX, no=DETAIL),
    # a refusal (the person left meanwhile, a child out of school at the corrected age) shows the list again
    Action(SAVE_FIX, _fix, next="household.corrected", refused=LIST),
    End("household.corrected", "household.corrected", params=lambda ctx: ctx.form["done"]),
    confirm(REMOVE, "household.remove_confirm", _detail, yes="household.remove_save", no=DETAIL),
    Action("household.remove_save", _remove, next="household.removed", refused=LIST),
    End("household.removed", "household.removed", params=lambda ctx: ctx.form["done"]),
), keys=("household.gone",), resume="resume.household_fix")
