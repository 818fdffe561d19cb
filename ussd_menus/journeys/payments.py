"""Mes paiements: the member's latest payments, newest first, each with its reference (the
one on the receipt, what a member quotes when a payment is disputed) and who paid when it
was not the member: a payer (name or masked phone) or the group whose payment it is a
share of. Then END."""
from __future__ import annotations

from ..context import Ctx
from ..formats import day_month, money
from ..screens import End, Journey, Line

SHOWN = 5
STATUS_KEYS = {
    "succeeded": "payments.succeeded",
    "created": "payments.pending",
    "pending": "payments.pending",
    "failed": "payments.failed",
    "expired": "payments.expired",
}


def _lines(ctx: Ctx) -> list[Line]:
    payments = ctx.services.recent_payments(ctx.member_id, limit=SHOWN)
    if not payments:
        return [Line(ctx.t("payments.none"))]
    lines = [Line(ctx.t("payments.title"))]
    for rank, payment in enumerate(payments):  # 0 = newest
        if payment.status not in STATUS_KEYS:
            raise ValueError(f"unknown payment status {payment.status!r}")
        text = ctx.t("payments.line", day=day_month(payment.day), amount=money(payment.amount),
                     status=ctx.t(STATUS_KEYS[payment.status]), reference=payment.reference)
        if payment.group:
            text = ctx.t("payments.by_group", line=text, group=payment.group)
        elif payment.payer:
            text = ctx.t("payments.by_other", line=text, payer=payment.payer)
        # when the screen is full, the oldest lines go whole (lines are dropped before any is shortened)
        lines.append(Line(text, keep=SHOWN - rank))
    return lines


JOURNEY = Journey("my payments", (End("payments.start", None, body=_lines),), keys=(
    "payments.none", "payments.title", "payments.line", "payments.by_group", "payments.by_other",
    *sorted(set(STATUS_KEYS.values())),
))
