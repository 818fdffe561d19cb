"""Payer: a member pays their own contribution (amount, wallet, confirmation)."""
from ..context import Ctx
from ..screens import HOME, Action, Journey
from .payment_steps import AMOUNT, PAYEE


def _for_the_member(ctx: Ctx) -> None:
    # set every time: the form may still hold the member paid for by "Payer pour un membre"
    ctx.form[PAYEE] = {"member_id": ctx.member_id}


JOURNEY = Journey("pay", (Action("pay.start", _for_the_member, next=AMOUNT, refused=HOME),))
