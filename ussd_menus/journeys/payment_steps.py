"""The steps every payment shares: amount, wallet network, confirmation, then END.

A journey enters at `AMOUNT` after putting the member paid for in the form under
`PAYEE` (a dict with at least "member_id"; "amu_number" and "masked_name" when the
payer found the member by number). Nothing is saved before "Confirmer"; then
services.start_payment records the intent and the collection starts after the END.
"""
from __future__ import annotations

from typing import Any

from ..context import Ctx
from ..formats import money, parse_francs
from ..screens import Action, Branch, Choice, End, Input, Invalid, Journey, Line, Menu
from ..services import PaymentOffer, Refused

PAYEE = "payee"
AMOUNT = "payment.amount"
OTHER_AMOUNT, NETWORK, CONFIRM = "payment.other_amount", "payment.network", "payment.confirm"
STARTED, ALREADY_STARTED = "payment.started", "payment.already_started"
OTHER = "other"  # the "Autre montant" item of the amount list
SWITCH = {"yas": "moov", "moov": "yas"}
WALLETS = (("yas", "wallet.yas"), ("moov", "wallet.moov"))


def _offer(ctx: Ctx) -> PaymentOffer:
    return ctx.memo("offer", lambda: ctx.services.payment_offer(ctx.form[PAYEE]["member_id"]))


def _amount_items(ctx: Ctx) -> list[tuple[Any, str]]:
    return [(amount, money(amount)) for amount in _offer(ctx).suggested] + [(OTHER, ctx.t("pay.other_amount"))]


def _typed_amount(text: str, ctx: Ctx) -> int:
    amount, offer = parse_francs(text), _offer(ctx)
    if amount < offer.minimum:
        raise Invalid("pay.too_small", minimum=money(offer.minimum))
    if amount > offer.maximum:
        raise Invalid("pay.too_large", maximum=money(offer.maximum))
    return amount


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
    if payee["member_id"] == ctx.member_id:
        return [Line(ctx.t("pay.confirm_self", amount=amount, wallet=wallet), shrink=False)]
    # only the masked name may be shortened: the number and the wallet must stay whole
    return [
        Line(ctx.t("pay.confirm_name", name=payee["masked_name"])),
        Line(ctx.t("pay.confirm_member", amount=amount, number=payee["amu_number"], wallet=wallet), shrink=False),
    ]


def _switch_network(ctx: Ctx) -> None:
    ctx.form["network"] = SWITCH[network(ctx)]


def _start(ctx: Ctx) -> None:
    try:
        started = ctx.services.start_payment(ctx.form[PAYEE]["member_id"], ctx.phone, network(ctx), ctx.form["amount"])
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
    Choice(NETWORK, "pay.network", "network", WALLETS, CONFIRM),
    Menu(CONFIRM, None, (("confirm.yes", "payment.save"), ("pay.other_network", "payment.switch_network")),
         body=_question),
    Action("payment.switch_network", _switch_network, next=CONFIRM, refused=CONFIRM),
    # a refusal (amount out of limits) goes back to the amounts, its reason on top
    Action("payment.save", _start, next=Branch(
        lambda ctx: ALREADY_STARTED if ctx.form["started"]["reused"] else STARTED, (STARTED, ALREADY_STARTED),
    ), refused=AMOUNT),
    End(STARTED, "pay.started", params=_receipt),
    End(ALREADY_STARTED, "pay.already_started", params=_receipt),
), keys=(
    "pay.other_amount", "pay.not_a_number", "pay.too_small", "pay.too_large",
    "pay.confirm_self", "pay.confirm_name", "pay.confirm_member", "wallet.yas", "wallet.moov",
))
