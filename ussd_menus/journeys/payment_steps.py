"""The steps every payment shares: amount, wallet network, confirmation, then END.

A journey puts what the money is for in the form under `PAYEE`, then enters at:
- `AMOUNT` for a member: a dict with at least "member_id" ("amu_number" and
  "masked_name" when the payer found the member by number); the member's suggested
  amounts come first;
- `GROUP_AMOUNT` for a group: "group_id", "name" and "members"; the amount is typed,
  then shared equally among the members.
Nothing is saved before "Confirmer"; then services.start_payment (or
start_group_payment) records the intent and the collection starts after the END.
"""
from __future__ import annotations

from typing import Any

from ..context import Ctx
from ..formats import money, parse_francs
from ..screens import Action, Branch, Choice, End, Input, Invalid, Journey, Line, Menu
from ..services import PaymentOffer, Refused

PAYEE = "payee"
AMOUNT, GROUP_AMOUNT = "payment.amount", "payment.group_amount"
OTHER_AMOUNT, NETWORK, CONFIRM = "payment.other_amount", "payment.network", "payment.confirm"
STARTED, ALREADY_STARTED = "payment.started", "payment.already_started"
OTHER = "other"  # the "Autre montant" item of the amount list
SWITCH = {"yas": "moov", "moov": "yas"}
WALLETS = (("yas", "wallet.yas"), ("moov", "wallet.moov"))


def for_a_group(ctx: Ctx) -> bool:
    return "group_id" in ctx.form[PAYEE]


def members_text(ctx: Ctx, count: int) -> str:
    """"3 membres", "1 membre"."""
    return ctx.t("group.member" if count == 1 else "group.members", count=count)


def _offer(ctx: Ctx) -> PaymentOffer:
    return ctx.memo("offer", lambda: ctx.services.payment_offer(ctx.form[PAYEE]["member_id"], ctx.phone))


def _amount_items(ctx: Ctx) -> list[tuple[Any, str]]:
    """The suggested amounts, the first naming the arrears it includes ("dont 1 858 F de retard")."""
    offer = _offer(ctx)
    items = [(amount, money(amount)) for amount in offer.suggested]
    if offer.arrears and items:
        items[0] = (items[0][0], ctx.t("pay.with_arrears", amount=items[0][1], arrears=money(offer.arrears)))
    return items + [(OTHER, ctx.t("pay.other_amount"))]


def _typed_amount(text: str, ctx: Ctx) -> int:
    amount, offer = parse_francs(text), _offer(ctx)
    if amount < offer.minimum:
        raise Invalid("pay.too_small", minimum=money(offer.minimum))
    if amount > offer.maximum:
        raise Invalid("pay.too_large", maximum=money(offer.maximum))
    return amount


def _group_amount(text: str, ctx: Ctx) -> int:
    """Whole francs the group's members can share and the scheme accepts, refused at this
    screen (the services check again when the payment is saved)."""
    amount, group = parse_francs(text), ctx.form[PAYEE]
    if amount < group["members"]:
        raise Invalid("group.too_small_to_share", members=group["members"])
    if amount < group["minimum"]:
        raise Invalid("pay.too_small", minimum=money(group["minimum"]))
    if amount > group["maximum"]:
        raise Invalid("pay.too_large", maximum=money(group["maximum"]))
    return amount


def _shared(ctx: Ctx) -> list[Line]:
    group = ctx.form[PAYEE]
    return [Line(ctx.t("pay.group_share", members=members_text(ctx, group["members"]), group=group["name"]))]


def network(ctx: Ctx) -> str | None:
    """The wallet's network: the member's switch if any, else the session's, else not known yet."""
    return ctx.form.get("network") or (ctx.network if ctx.network in SWITCH else None)


def _after_amount(ctx: Ctx) -> str:
    return CONFIRM if network(ctx) else NETWORK


def _after_choice(ctx: Ctx) -> str:
    return OTHER_AMOUNT if ctx.form["amount"] == OTHER else _after_amount(ctx)


def _wallet(ctx: Ctx, code: str) -> str:
    return ctx.t(f"wallet.{code}")


def _question(ctx: Ctx) -> list[Line]:
    payee, amount, wallet = ctx.form[PAYEE], money(ctx.form["amount"]), _wallet(ctx, network(ctx))
    # only a name may be shortened: the amount, the number and the wallet must stay whole
    if for_a_group(ctx):
        return [
            Line(ctx.t("pay.confirm_group_name", name=payee["name"])),
            Line(ctx.t("pay.confirm_group", amount=amount, members=members_text(ctx, payee["members"]),
                       wallet=wallet), shrink=False),
        ]
    if payee["member_id"] == ctx.member_id:
        return [Line(ctx.t("pay.confirm_self", amount=amount, wallet=wallet), shrink=False)]
    if payee.get("masked_phone"):  # found by phone: the AMU number is not shown
        return [
            Line(ctx.t("pay.confirm_name", name=payee["masked_name"])),
            Line(ctx.t("pay.confirm_payee", amount=amount, wallet=wallet), shrink=False),
        ]
    return [
        Line(ctx.t("pay.confirm_name", name=payee["masked_name"])),
        Line(ctx.t("pay.confirm_member", amount=amount, number=payee["amu_number"], wallet=wallet), shrink=False),
    ]


def _switch_network(ctx: Ctx) -> None:
    ctx.form["network"] = SWITCH[network(ctx)]


def _start(ctx: Ctx) -> None:
    payee, wallet, amount = ctx.form[PAYEE], network(ctx), ctx.form["amount"]
    try:
        if for_a_group(ctx):
            started = ctx.services.start_group_payment(payee["group_id"], ctx.phone, wallet, amount)
        else:
            started = ctx.services.start_payment(payee["member_id"], ctx.phone, wallet, amount)
    except Refused as refused:  # the services give limits in francs; the screen writes them as amounts
        params = {k: money(v) if k in ("minimum", "maximum") else v for k, v in refused.params.items()}
        raise Refused(refused.reason, **params) from refused
    ctx.form["started"] = {
        "wallet": _wallet(ctx, started.network), "amount": money(started.amount),
        "reference": started.reference, "reused": started.reused,
    }


def _receipt(ctx: Ctx) -> dict[str, Any]:
    return {k: v for k, v in ctx.form["started"].items() if k != "reused"}


JOURNEY = Journey("payment steps", (
    Choice(AMOUNT, "pay.amount", "amount", _amount_items,
           Branch(_after_choice, (OTHER_AMOUNT, NETWORK, CONFIRM))),
    Input(OTHER_AMOUNT, "pay.amount_input", "amount", _typed_amount, Branch(_after_amount, (NETWORK, CONFIRM)),
          params=lambda ctx: {"minimum": money(_offer(ctx).minimum)}),
    Input(GROUP_AMOUNT, "pay.group_amount", "amount", _group_amount, Branch(_after_amount, (NETWORK, CONFIRM)),
          body=_shared, params=lambda ctx: {"minimum": money(ctx.form[PAYEE]["minimum"])}),
    Choice(NETWORK, "pay.network", "network", WALLETS, CONFIRM),
    Menu(CONFIRM, None, (("confirm.yes", "payment.save"), ("pay.other_network", "payment.switch_network")),
         body=_question),
    Action("payment.switch_network", _switch_network, next=CONFIRM, refused=CONFIRM),
    # a refusal (amount out of limits, too small to share) goes back to the amount, its reason on top
    Action("payment.save", _start, next=Branch(
        lambda ctx: ALREADY_STARTED if ctx.form["started"]["reused"] else STARTED, (STARTED, ALREADY_STARTED),
    ), refused=Branch(lambda ctx: GROUP_AMOUNT if for_a_group(ctx) else AMOUNT, (AMOUNT, GROUP_AMOUNT))),
    End(STARTED, "pay.started", params=_receipt),
    End(ALREADY_STARTED, "pay.already_started", params=_receipt),
), keys=(
    "pay.other_amount", "pay.not_a_number", "pay.too_small", "pay.too_large",
    "pay.confirm_self", "pay.confirm_name", "pay.confirm_member", "pay.confirm_payee", "pay.with_arrears",
    "wallet.yas", "wallet.moov",
    "pay.group_share", "pay.confirm_group_name", "pay.confirm_group", "group.member", "group.members",
    "group.too_small_to_share",
), resume="resume.pay")
