"""One row of a statement export (CSV fields or XLSX cells) to a `StatementLine`,
through a `StatementMapping`. Shared by the CSV and XLSX importers, so both refuse
the same things in the same words.

Errors are `ValueError`s in a clerk's words naming the column; the importers add the
file line (or sheet row) and raise `StatementError`.
"""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Sequence

from .money import whole_francs
from .phones import to_e164_tg
from .statement_lines import LineKind, StatementLine, StatementStatus
from .statement_mapping import StatementMapping, column_key, value_key
from .timestamps import parse_timestamp

BIGINT_MAX = 2**63 - 1  # the largest amount a ledger column can hold
_LONGEST_AMOUNT = 30  # characters: "9 223 372 036 854 775 807.00" fits; thousands of digits do not


def cell_text(value: object) -> str:
    """What a CSV field or an XLSX cell says, as text (XLSX numbers such as
    ``90000001.0`` without their ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def statement_amount(text: str, column: str, *, zero: bool = False) -> int:
    """Whole francs from a statement cell: above zero (or zero if `zero`), at most BIGINT."""
    if not text:
        raise ValueError(f"column {column!r} is empty")
    if len(text) > _LONGEST_AMOUNT:
        raise ValueError(f"column {column!r}: {text[:15]}... is not an amount "
                         f"({len(text)} characters)")
    if text.isascii() and text.isdigit():
        amount = int(text)
    else:
        try:
            amount = whole_francs(text)
        except ValueError as exc:
            raise ValueError(f"column {column!r}: {exc}") from None
    if amount < 0:
        raise ValueError(f"column {column!r}: negative amount {text} (a refund is a status, "
                         "not a negative amount)")
    if amount == 0 and not zero:
        raise ValueError(f"column {column!r}: amount is zero")
    if amount > BIGINT_MAX:
        raise ValueError(f"column {column!r}: {text} is larger than any amount the ledger can hold")
    return amount


class RowReader:
    """Reads rows of one file whose header row is `header`."""

    def __init__(self, mapping: StatementMapping, header: Sequence[object]):
        self.mapping = mapping
        names = [cell_text(cell) for cell in header]
        positions: dict[str, int] = {}
        for index, name in enumerate(names):
            key = column_key(name)
            if key and key in positions:
                raise ValueError(f"column {name!r} appears twice in the header")
            if key:
                positions[key] = index
        required = mapping.required_columns()
        missing = [name for name in required if column_key(name) not in positions]
        if missing:
            found = ", ".join(name for name in names if name) or "none"
            if len(missing) == len(required):
                raise ValueError(f"no column names where they belong (expected "
                                 f"{', '.join(required)}; found {found})")
            raise ValueError(f"missing column {missing[0]!r} (columns found: {found})")
        self.fields = len(names)  # as the header has them (a CSV line must have as many)
        self.width = max((i + 1 for i, name in enumerate(names) if name), default=0)  # named
        self.names = names
        self.index = {
            field: [(positions[column_key(name)], name) for name in columns
                    if column_key(name) in positions]
            for field, columns in mapping.columns.items()}
        payout = mapping.payout_column
        self.payout_index = positions.get(column_key(payout)) if payout else None
        self._statuses: dict[str, StatementStatus] = {}
        self._networks: dict[str, str] = {}

    def line(self, row: Sequence[object], number: int) -> StatementLine:
        if len(row) < self.width:
            row = [*row, *([None] * (self.width - len(row)))]
        kind = LineKind.COLLECTION
        if self.payout_index is not None and \
                value_key(cell_text(row[self.payout_index])) in self.mapping.payout_values:
            kind = LineKind.PAYOUT
        amount = statement_amount(*self._cell(row, "amount"))
        fee_text, fee_column = self._cell(row, "fee")
        fee = statement_amount(fee_text, fee_column, zero=True) if fee_text else 0
        if fee > amount:
            raise ValueError(f"column {fee_column!r}: fee {fee} is more than the amount {amount}")
        phone = self._cell(row, "phone")[0]
        network, network_column = self._cell(row, "network")
        return StatementLine(
            provider_reference=self._cell(row, "provider_reference")[0] or None,
            reference=self._cell(row, "reference")[0] or None,
            amount=amount,
            fee=fee,
            phone=to_e164_tg(phone) if phone else None,
            network=self._network(network, network_column) if network else None,
            occurred_at=self._occurred_at(row),
            status=self._status(row),
            operator_reference=self._cell(row, "operator_reference")[0] or None,
            kind=kind,
            line_number=number,
            raw={name: cell_text(value) for name, value in zip(self.names, row) if name},
        )

    def _cell(self, row: Sequence[object], field: str) -> tuple[str, str]:
        """(text, column name) of a field; ("", name) when the file lacks the column."""
        columns = self.index.get(field)
        if not columns:
            names = self.mapping.columns.get(field, (field,))
            return "", names[0]
        index, name = columns[0]
        return cell_text(row[index]), name

    def _occurred_at(self, row: Sequence[object]) -> datetime:
        for index, name in self.index["occurred_at"]:
            value = row[index]
            if isinstance(value, datetime):
                return _utc(value)
            if isinstance(value, date):
                return datetime.combine(value, time(), timezone.utc)
            text = cell_text(value)
            if text:
                try:
                    return parse_timestamp(text, self.mapping.date_formats)
                except ValueError:
                    raise ValueError(f"column {name!r}: unreadable date {text!r} (the mapping's "
                                     "date_formats lists the ones it reads)") from None
        names = " or ".join(repr(name) for _, name in self.index["occurred_at"])
        raise ValueError(f"no date in {names}")

    def _status(self, row: Sequence[object]) -> StatementStatus:
        if "status" not in self.index:
            return StatementStatus.SUCCEEDED  # an export without a status lists money received
        text, column = self._cell(row, "status")
        if not text:
            raise ValueError(f"column {column!r} is empty")
        status = self._statuses.get(text)
        if status is None:
            try:
                status = self._statuses[text] = self.mapping.status(text)
            except ValueError as exc:
                raise ValueError(f"column {column!r}: {exc}") from None
        return status

    def _network(self, text: str, column: str) -> str:
        network = self._networks.get(text)
        if network is None:
            try:
                network = self._networks[text] = self.mapping.network(text)
            except ValueError as exc:
                raise ValueError(f"column {column!r}: {exc}") from None
        return network


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)  # Lomé is UTC+0 all year
    return value.astimezone(timezone.utc)
