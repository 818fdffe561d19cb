"""Mes ayants droit: the dependents covered with the member; add one. Each rule is
checked at the entry it concerns: the household's ceiling at the relation, a child's
age and a person already listed at the date of birth, school right after it.
Picking a dependent leads to `household_fix` (correct, remove)."""
from __future__ import annotations

from datetime import date

from ..context import Ctx
from ..formats import age_on, day, money, parse_past_date
from ..screens import Action, Branch, Choice, End, Input, Invalid, Journey, Line, confirm
from ..services import DependentRequest, DependentView, HouseholdLimits, Refused
from .common import SEX, YES_NO, name

ADD = "add"
OLDEST = 120  # years: an older birth date is a typing error
DETAIL, LIST = "household.detail", "household.list"


def dependents(ctx: Ctx) -> list[DependentView]:
    return ctx.memo("household", lambda: ctx.services.household(ctx.member_id))


def limits(ctx: Ctx) -> HouseholdLimits:
    return ctx.memo("limits", lambda: ctx.services.household_limits(ctx.member_id))


def person(ctx: Ctx, full_name: str, relation: str) -> str:
    """"Afi Mensah (conjoint)"."""
    return ctx.t("household.item", name=full_name, relation=ctx.t(f"relation.{relation}"))


def describe(ctx: Ctx, full_name: str, relation: str, birth_date: date | str) -> list[Line]:
    return [Line(person(ctx, full_name, relation)), Line(ctx.t("summary.born", date=day(birth_date)))]


def _list_items(ctx: Ctx) -> list[tuple[str, str]]:
    return [(ADD, ctx.t("household.add"))] + [(str(d.id), person(ctx, d.full_name, d.relation))
                                              for d in dependents(ctx)]


def _list_body(ctx: Ctx) -> list[Line]:
    return [] if dependents(ctx) else [Line(ctx.t("household.empty"))]


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


def _room_for(relation: str, ctx: Ctx) -> None:
    """A household already at the scheme's ceiling is told so when the relation is picked."""
    rules = limits(ctx)
    most = (rules.max_spouses + rules.max_extra_spouses if relation == "spouse"
            else rules.max_children + rules.max_extra_children)
    if sum(1 for d in dependents(ctx) if d.relation == relation) >= most:
        raise Invalid(f"household.{relation}_limit", limit=most)


def check_birth_date(text: str, ctx: Ctx, relation: str, full_name: str, leaving: str | None = None) -> str:
    """A dependent's date of birth, refused at once if the scheme would refuse it: a child
    too old even in school, or a person already listed (`leaving`: the id of the row a
    correction replaces, which does not count)."""
    born = parse_past_date(text, ctx.today)
    if age_on(born, ctx.today) > OLDEST:
        raise Invalid("error.date")
    rules = limits(ctx)
    if relation == "child" and age_on(born, ctx.today) >= rules.child_age_limit_in_school:
        raise Invalid("household.child_too_old", limit=rules.child_age_limit_in_school)
    same = " ".join(full_name.split()).casefold()
    if any(d.full_name.casefold() == same and d.birth_date == born and str(d.id) != leaving for d in dependents(ctx)):
        raise Invalid("household.already_listed")
    return born.isoformat()


def needs_school(ctx: Ctx, birth_date: str, relation: str) -> bool:
    """A child past the normal age limit (but not the school one) is covered only in school."""
    rules = limits(ctx)
    return relation == "child" and age_on(date.fromisoformat(birth_date), ctx.today) >= rules.child_age_limit


def _in_school(answer: str, ctx: Ctx) -> None:
    if answer != "yes":
        rules = limits(ctx)
        raise Invalid("household.child_too_old_school", limit=rules.child_age_limit,
                      school_limit=rules.child_age_limit_in_school)


def _summary(ctx: Ctx) -> list[Line]:
    form = ctx.form
    lines = describe(ctx, form["full_name"], form["relation"], form["birth_date"])
    if form.get("in_school") == "yes":
        lines.append(Line(ctx.t("household.summary_in_school")))
    rules = limits(ctx)
    included = rules.max_spouses if form["relation"] == "spouse" else rules.max_children
    if sum(1 for d in dependents(ctx) if d.relation == form["relation"]) >= included:
        # beyond the base household the member pays a monthly supplement: say so before "Confirmer"
        lines.append(Line(ctx.t(f"household.extra_{form['relation']}", **limit_params(rules))))
    return lines


def with_limits(ctx: Ctx, call):
    """`call()`, its refusal completed with the limits the texts may name."""
    try:
        return call()
    except Refused as refused:
        raise Refused(refused.reason, **{**limit_params(limits(ctx)), **refused.params}) from refused


def _add(ctx: Ctx) -> None:
    form = ctx.form
    request = DependentRequest(
        relation=form["relation"],
        full_name=form["full_name"],
        birth_date=date.fromisoformat(form["birth_date"]),
        sex=form["sex"],
        in_school=form.get("in_school") == "yes",
    )
    with_limits(ctx, lambda: ctx.services.add_dependent(ctx.member_id, request))


JOURNEY = Journey("household", (
    # picking a dependent only leads to their details: not an answer worth resuming
    Choice("household.list", "household.title", "dependent", _list_items,
           Branch(lambda ctx: "household.relation" if ctx.form["dependent"] == ADD else DETAIL,
                  ("household.relation", DETAIL)),
           body=_list_body, answer=False),
    Choice("household.relation", "household.relation", "relation",
           (("spouse", "household.add_spouse"), ("child", "household.add_child")), "household.name",
           check=_room_for),
    Input("household.name", "field.name", "full_name", name, "household.birth_date"),
    Input("household.birth_date", "field.birth_date", "birth_date",
          lambda text, ctx: check_birth_date(text, ctx, ctx.form["relation"], ctx.form["full_name"]),
          Branch(lambda ctx: "household.in_school" if needs_school(ctx, ctx.form["birth_date"], ctx.form["relation"])
                 else "household.sex", ("household.in_school", "household.sex"))),
    Choice("household.in_school", "household.in_school", "in_school", YES_NO, "household.sex", check=_in_school),
    Choice("household.sex", "field.sex", "sex", SEX, "household.confirm"),
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
), resume="resume.household")
