"""PayGate's statement, rebuilt from status answers: PayGate has no statement listing,
so each of our references is asked again (``/api/v2/status`` by our identifier) and
each answer PayGate knows becomes a line. References PayGate does not know make no
line (the reconciliation then sees the payment missing from the statement).

An answer gives the transaction reference, the operator's reference
(``payment_reference``), the status, the time and the network; public integrations
also read ``amount``, which a line needs. It gives no fee and no phone: pulled lines
carry fee 0 and no phone (the dashboard export has both).

A status check PayGate cannot answer (timeout, 5xx) is retried with backoff; when it
still cannot, the pull stops with `ProviderUnavailable` saying how many references were
done, and nothing half-done is returned to a caller that ``list()``s the lines.
"""
from __future__ import annotations

from typing import Callable, Iterator, Sequence

from .base import PaymentStatus, StatusResult
from .errors import ProviderUnavailable, StatementError
from .statement_lines import StatementLine, StatementStatus
from .statement_rows import statement_amount
from .timestamps import parse_timestamp


def restatement(adapter, references: Sequence[str],
                progress: Callable[[int], None] | None) -> Iterator[StatementLine]:
    for done, reference in enumerate(references):
        try:
            answer = adapter.statement_retry.call(lambda: adapter.fetch_status(reference))
        except ProviderUnavailable as exc:
            raise ProviderUnavailable(
                f"paygate: status checks stopped after {done} of {len(references)} references, "
                f"at {reference} ({exc}); pull again later") from None
        if progress is not None:
            progress(1)
        if answer.status is PaymentStatus.UNKNOWN:
            continue
        try:
            yield _line(adapter, answer, reference, done + 1)
        except ValueError as exc:
            raise StatementError(f"{reference}: {exc}", line=done + 1, place="entry") from None


def _line(adapter, answer: StatusResult, reference: str, position: int) -> StatementLine:
    body = answer.raw
    if answer.amount is None:
        raise ValueError("PayGate's status answer gives no amount")
    when = body.get("datetime")
    try:
        occurred_at = parse_timestamp(when)
    except ValueError:
        raise ValueError(f"PayGate's status answer has no readable datetime ({when!r})") from None
    return StatementLine(
        provider_reference=answer.provider_reference,
        reference=reference,
        amount=statement_amount(str(answer.amount), "amount"),
        fee=0,
        phone=None,
        network=adapter.network_of(_text(body.get("payment_method"))),
        occurred_at=occurred_at,
        status=StatementStatus(answer.status.value),
        operator_reference=_text(body.get("payment_reference")),
        line_number=position,
        raw=body,
    )


def _text(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None
