"""Payer pour mon groupe: a group's leader pays one amount, shared equally among its
members. Offered on the member home menu to leaders only (`leads_a_group`)."""
from __future__ import annotations

from typing import Any

from ..context import Ctx
from ..screens import HOME, Action, Branch, Choice, Journey
from ..services import GroupView, Refused
from .payment_steps import GROUP_AMOUNT, PAYEE, members_text

START, PICK = "pay_group.start", "pay_group.pick"


def _groups(ctx: Ctx) -> list[GroupView]:
    return ctx.memo("groups", lambda: ctx.services.groups_led_by(ctx.member_id))


def leads_a_group(ctx: Ctx) -> bool:
    return bool(_groups(ctx))


def _payee(group: GroupView, minimum: int, maximum: int) -> dict[str, Any]:
    """The group as the payment steps take it: its smallest payment is the scheme's, or
    one franc a member when that is more (the amount screen refuses less at once)."""
    return {"group_id": group.id, "name": group.name, "members": group.members,
            "minimum": max(minimum, group.members), "maximum": maximum}


def _list_groups(ctx: Ctx) -> None:
    limits = ctx.services.payment_limits(ctx.member_id) if _groups(ctx) else (0, 0)
    ctx.form["groups"] = [_payee(group, *limits) for group in _groups(ctx)]
    if not ctx.form["groups"]:  # no longer a leader since the home menu was shown
        raise Refused("error.refused")
    if len(ctx.form["groups"]) == 1:
        ctx.form[PAYEE] = ctx.form["groups"][0]


def _items(ctx: Ctx) -> list[tuple[dict[str, Any], str]]:
    return [(group, ctx.t("pay.group_item", name=group["name"], members=members_text(ctx, group["members"])))
            for group in ctx.form["groups"]]


JOURNEY = Journey("pay for my group", (
    Action(START, _list_groups, next=Branch(
        lambda ctx: GROUP_AMOUNT if len(ctx.form["groups"]) == 1 else PICK, (GROUP_AMOUNT, PICK),
    ), refused=HOME),
    Choice(PICK, "pay.group_pick", PAYEE, _items, GROUP_AMOUNT),  # the group picked is the payee
), keys=("pay.group_item",), resume="resume.pay")
