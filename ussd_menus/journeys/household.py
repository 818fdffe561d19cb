"""Mes ayants droit: see the dependents covered with the member, add one."""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..formats import age_on, day, money, parse_past_date
from ..screens import Action, Branch, Choice, End, Input, Invalid, Journey, Line, Menu, confirm
from ..services import DependentRequest, DependentView, HouseholdLimits, Refused
from .common import SEX, YES_NO, name

ADD = "add"
OLDEST = 120  # years: an older birth date is a typing error


def _dependents(ctx: Ctx) -> list[DependentView]:
    return ctx.memo("household", lambda: ctx.services.household(ctx.member_id))


def _limits(ctx: Ctx) -> HouseholdLimits:
    return ctx.memo("limits", lambda: ctx.services.household_limits(ctx.member_id))


def _person(ctx: Ctx, full_name: str, relation: str) -> str:
    """"Afi Mensah (conjoint)"."""
    return ctx.t("household.item", name=full_name, relation=ctx.t(f"relation.{relation}"))


def _list_items(ctx: Ctx) -> list[tuple[str, str]]:
    return [(ADD, ctx.t("household.add"))] + [(str(d.id), _person(ctx, d.full_name, d.relation))
                                              for d in _dependents(ctx)]


def _list_body(ctx: Ctx) -> list[Line]:
    return [] if _dependents(ctx) else [Line(ctx.t("household.empty"))]


def _describe(ctx: Ctx, full_name: str, relation: str, birth_date: date | str) -> list[Line]:
    return [Line(_person(ctx, full_name, relation)), Line(ctx.t("summary.born", date=day(birth_date)))]


def _detail(ctx: Ctx) -> list[Line]:
    chosen = next(d for d in _dependents(ctx) if str(d.id) == ctx.form["dependent"])
    return _describe(ctx, chosen.full_name, chosen.relation, chosen.birth_date)


def _birth_date(text: str, ctx: Ctx) -> str:
    born = parse_past_date(text, ctx.today)
    if age_on(born, ctx.today) > OLDEST:
        raise Invalid("error.date")
    return born.isoformat()


def _after_sex(ctx: Ctx) -> str:
    """Ask about school only for a child past the normal age limit (but not past the school one)."""
    if ctx.form["relation"] != "child":
        return "household.confirm"
    limits = _limits(ctx)
    age = age_on(date.fromisoformat(ctx.form["birth_date"]), ctx.today)
    in_school_matters = limits.child_age_limit <= age < limits.child_age_limit_in_school
    return "household.in_school" if in_school_matters else "household.confirm"


def _summary(ctx: Ctx) -> list[Line]:
    form = ctx.form
    lines = _describe(ctx, form["full_name"], form["relation"], form["birth_date"])
    if form.get("in_school") == "yes":
        lines.append(Line(ctx.t("household.summary_in_school")))
    limits = _limits(ctx)
    included = limits.max_spouses if form["relation"] == "spouse" else limits.max_children
    if sum(1 for d in _dependents(ctx) if d.relation == form["relation"]) >= included:
        # beyond the base household the member pays a monthly supplement: say so before "Confirmer"
        lines.append(Line(ctx.t(f"household.extra_{form['relation']}", **limit_params(limits))))
    return lines


def limit_params(limits: HouseholdLimits) -> dict[str, object]:
    """Placeholders the refusal texts may use."""
    return {
        "max_spouses": limits.max_spouses,
        "max_children": limits.max_children,
        "child_age_limit": limits.child_age_limit,
        "child_age_limit_in_school": limits.child_age_limit_in_school,
        "extra_spouse": money(limits.extra_spouse_monthly),
        "extra_child": money(limits.extra_child_monthly),
    }


def _add(ctx: Ctx) -> None:
    form = ctx.form
    request = DependentRequest(
        relation=form["relation"],
        full_name=form["full_name"],
        birth_date=date.fromisoformat(form["birth_date"]),
        sex=form["sex"],
        in_school=form.get("in_school") == "yes",
    )
    try:
        ctx.services.add_dependent(ctx.member_id, request)
    except Refused as refused:  # the limits may explain the refusal
        raise Refused(refused.reason, **{**limit_params(_limits(ctx)), **refused.params}) from refused


JOURNEY = Journey("household", (
    Choice("household.list", "household.title", "dependent", _list_items,
           Branch(lambda ctx: "household.relation" if ctx.form["dependent"] == ADD else "household.detail",
                  ("household.relation", "household.detail")),
           body=_list_body),
    Menu("household.detail", None, (), body=_detail),
    Choice("household.relation", "household.relation", "relation",
           (("spouse", "household.add_spouse"), ("child", "household.add_child")), "household.name"),
    Input("household.name", "field.name", "full_name", name, "household.birth_date"),
    Input("household.birth_date", "field.birth_date", "birth_date", _birth_date, "household.sex"),
    Choice("household.sex", "field.sex", "sex", SEX,
           Branch(_after_sex, ("household.in_school", "household.confirm"))),
    Choice("household.in_school", "household.in_school", "in_school", YES_NO, "household.confirm"),
    confirm("household.confirm", "household.confirm", _summary, yes="household.save", no="household.list"),
    Action("household.save", _add, next="household.added", refused="household.list"),
    End("household.added", "household.added", params=lambda ctx: {"name": ctx.form["full_name"]}),
), keys=(
    "household.add", "household.item", "household.empty", "relation.spouse", "relation.child",
    "summary.born", "household.summary_in_school", "household.extra_child", "household.extra_spouse",
    "error.name", "error.date", "error.date_future",
    # the services' refusals
    "household.child_limit", "household.spouse_limit", "household.child_too_old",
    "household.child_too_old_school", "household.already_listed", "household.born_in_future",
))
