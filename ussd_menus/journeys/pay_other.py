"""Payer pour un membre: anyone (member or not) pays for a member found by AMU number."""
from __future__ import annotations

import re
from dataclasses import asdict

from ..context import Ctx
from ..screens import Action, Input, Invalid, Journey, Line, Menu
from .payment_steps import AMOUNT, PAYEE

AMU_NUMBER_DIGITS = 10


def _amu_number(text: str, ctx: Ctx) -> str:
    """10 digits, spaces allowed; the check digit is the services' business."""
    digits = text.replace(" ", "")
    if not re.fullmatch(rf"[0-9]{{{AMU_NUMBER_DIGITS}}}", digits):
        raise Invalid("pay.bad_number")
    return digits


def _find(ctx: Ctx) -> None:
    ctx.form[PAYEE] = asdict(ctx.services.find_payee(ctx.form["amu_number"]))


def _payee(ctx: Ctx) -> list[Line]:
    payee = ctx.form[PAYEE]
    return [Line(ctx.t("pay.payee", name=payee["masked_name"], number=payee["amu_number"]))]


JOURNEY = Journey("pay for a member", (
    Input("pay_other.start", "pay.amu_number", "amu_number", _amu_number, "pay_other.find"),
    # "pay.bad_number" / "pay.unknown_member" re-show the number screen with the reason
    Action("pay_other.find", _find, next="pay_other.payee", refused="pay_other.start"),
    Menu("pay_other.payee", None, (("pay.continue", AMOUNT),), body=_payee),
), keys=("pay.bad_number", "pay.unknown_member", "pay.payee"))
