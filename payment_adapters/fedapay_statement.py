"""FedaPay's statement through its API: ``GET /v1/transactions/search``, page by page.

Query: ``search=*`` (the SDKs' default query), ``page`` and ``per_page`` (as FedaPay's
official CLI pages its lists). The answer, as the SDKs read it:
``{"v1/transactions": [...], "meta": {"current_page", "next_page", "total_pages", ...}}``.
FedaPay documents no date filter for the search, so every page is read and the window
is applied here, on each transaction's date (approved, else declined, cancelled or
created); a long history makes a slow pull, never a wrong one.

Per transaction (fields of FedaPay's API reference): ``id`` the provider reference,
``custom_metadata.reference`` ours, ``amount`` what the payer paid, ``status``, ``mode``
the network. The fee is what FedaPay kept of the amount: ``amount - amount_transferred``;
before FedaPay fills ``amount_transferred``, its ``fees`` (francs) less what the payer
paid on top (``amount_debited - amount``). ``commission`` is a rate (``"0.018"``, as in
the SDKs' fee answers), never francs, and stays in ``raw``. A declined, cancelled or
pending line moved no money: fee 0.

Payouts: FedaPay's "payouts" are transfers to customers' wallets, not its settlements
to the scheme's bank account, which FedaPay does not list; so this statement has no
payout lines (``amount_transferred`` and ``transferred_at`` stay in ``raw``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator

from .errors import StatementError
from .fedapay_fields import NETWORK_OF_MODE, STATEMENT_STATUSES, our_reference, phone_of
from .listing import page_through
from .statement_lines import StatementLine, StatementStatus
from .statement_rows import cell_text, statement_amount
from .timestamps import parse_timestamp

SEARCH_PATH = "/v1/transactions/search"
ITEMS_KEYS = ("v1/transactions", "transactions")
DATE_FIELDS = ("approved_at", "declined_at", "canceled_at", "created_at")


def fetch_fedapay_statement(adapter, start: datetime, end: datetime,
                            progress: Callable[[int], None] | None) -> Iterator[StatementLine]:
    entries = page_through(adapter.http, adapter.statement_retry, SEARCH_PATH, {"search": "*"},
                           ITEMS_KEYS, adapter.statement_page_size, progress)
    for position, transaction in entries:
        try:
            line = transaction_line(transaction, position)
        except ValueError as exc:
            raise StatementError(str(exc), line=position, place="entry") from None
        if start <= line.occurred_at < end:
            yield line


def transaction_line(transaction: dict, position: int) -> StatementLine:
    status = STATEMENT_STATUSES.get(str(transaction.get("status")))
    if status is None:
        raise ValueError(f"unknown FedaPay status {transaction.get('status')!r}")
    amount = statement_amount(cell_text(transaction.get("amount")), "amount")
    transaction_id = cell_text(transaction.get("id"))
    return StatementLine(
        provider_reference=transaction_id or None,
        reference=our_reference(transaction) or cell_text(transaction.get("merchant_reference")) or None,
        amount=amount,
        fee=_fee(transaction, amount, status),
        phone=phone_of(transaction),
        network=NETWORK_OF_MODE.get(str(transaction.get("mode"))),
        occurred_at=_occurred_at(transaction),
        status=status,
        line_number=position,
        raw=transaction,
    )


def _fee(transaction: dict, amount: int, status: StatementStatus) -> int:
    if status in (StatementStatus.FAILED, StatementStatus.PENDING):
        return 0
    transferred = cell_text(transaction.get("amount_transferred"))
    if transferred:
        fee = amount - statement_amount(transferred, "amount_transferred", zero=True)
        if fee < 0:
            raise ValueError(f"amount_transferred {transferred} is more than the amount {amount}")
        return fee
    fees_text = cell_text(transaction.get("fees"))
    fees = statement_amount(fees_text, "fees", zero=True) if fees_text else 0
    if fees == 0:
        return 0
    debited = cell_text(transaction.get("amount_debited"))
    if not debited:
        raise ValueError(f"fees {fees} but neither amount_transferred nor amount_debited: "
                         "who paid FedaPay's fee is unknown")
    fee = fees - max(statement_amount(debited, "amount_debited") - amount, 0)
    if not 0 <= fee <= amount:
        raise ValueError(f"fees {fees} do not fit amount {amount} and amount_debited {debited}")
    return fee


def _occurred_at(transaction: dict) -> datetime:
    for name in DATE_FIELDS:
        text = cell_text(transaction.get(name))
        if text:
            try:
                return parse_timestamp(text)
            except ValueError:
                raise ValueError(f"{name}: unreadable date {text!r}") from None
    raise ValueError(f"no date ({', '.join(DATE_FIELDS)} all empty)")
