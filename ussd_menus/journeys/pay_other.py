"""Payer pour un membre: anyone (member or not) pays for a member found by AMU number or
by phone (people know phones, not 10-digit numbers). The name is shown masked, with the
AMU number typed or the phone masked; nothing of the member's account is shown. A phone
that looks up too many members in an hour is told so, politely, and the session ends."""
from __future__ import annotations

import re
from dataclasses import asdict

from ..context import Ctx
from ..screens import Action, Branch, End, Input, Invalid, Journey, Line, Menu
from ..services import Refused
from .payment_steps import AMOUNT, PAYEE

AMU_NUMBER_DIGITS = 10
# an AMU number (10 digits), or a Togo phone: 8 digits, or with the country code 228
NUMBER_OR_PHONE = re.compile(r"\+?[0-9]{8,13}")
BLOCKED, START = "pay_other.blocked", "pay_other.start"
TOO_MANY = "pay.too_many_lookups"


def _number_or_phone(text: str, ctx: Ctx) -> str:
    """Digits (spaces, dots and dashes allowed); whether they are a member's is the services' business."""
    typed = re.sub(r"[\s.\-]", "", text)
    if not NUMBER_OR_PHONE.fullmatch(typed):
        raise Invalid("pay.bad_entry")
    return typed


def _find(ctx: Ctx) -> None:
    try:
        ctx.form[PAYEE] = asdict(ctx.services.find_payee(ctx.form["number"], ctx.phone))
    except Refused as refused:
        if refused.reason != TOO_MANY:
            raise
        ctx.form[PAYEE] = None


def _payee(ctx: Ctx) -> list[Line]:
    payee = ctx.form[PAYEE]
    if payee["masked_phone"]:
        return [Line(ctx.t("pay.payee_phone", name=payee["masked_name"], phone=payee["masked_phone"]))]
    return [Line(ctx.t("pay.payee", name=payee["masked_name"], number=payee["amu_number"]))]


JOURNEY = Journey("pay for a member", (
    Input(START, "pay.find_member", "number", _number_or_phone, "pay_other.find"),
    # "pay.bad_number" / "pay.unknown_member" / "pay.unknown_phone" re-show the screen with the reason
    Action("pay_other.find", _find, next=Branch(
        lambda ctx: "pay_other.payee" if ctx.form[PAYEE] else BLOCKED, ("pay_other.payee", BLOCKED),
    ), refused=START),
    Menu("pay_other.payee", None, (("pay.continue", AMOUNT),), body=_payee),
    End(BLOCKED, TOO_MANY),
), keys=("pay.bad_entry", "pay.bad_number", "pay.unknown_member", "pay.unknown_phone", "pay.payee",
         "pay.payee_phone"), resume="resume.pay")
