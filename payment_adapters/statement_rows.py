"""One row of a statement export (CSV fields or XLSX cells) to a `StatementLine`,
through a `StatementMapping`. Shared by the CSV and XLSX importers, so both refuse
the same things in the same words.

Errors are `ValueError`s in a clerk's words naming the column; the importers add the
file line (or sheet row) and raise `StatementError`.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from typing import Sequence

from .money import whole_francs
from .phones import to_e164_tg
from .statement_lines import LineKind, StatementLine, StatementStatus
from .statement_mapping import FIELDS, StatementMapping, column_key, value_key
from .timestamps import parse_timestamp

BIGINT_MAX = 2**63 - 1  # the largest amount a ledger column can hold
_LONGEST_AMOUNT = 30  # characters: "9 223 372 036 854 775 807.00" fits; thousands of digits do not


def cell_text(value: object) -> str:
    """What a CSV field or an XLSX cell says, as text (XLSX numbers such as
    ``90000001.0`` without their ``.0``)."""
    if type(value) is str:
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def e164_phone(text: str) -> str | None:
    """`to_e164_tg`, with the two spellings exports use most read without a regex."""
    if len(text) == 12 and text.startswith("+228") and text[4:].isdigit():
        return text
    if len(text) == 8 and text.isdigit():
        return "+228" + text
    return to_e164_tg(text)


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

    def __init__(self, mapping: StatementMapping, header: Sequence[object], *,
                 text_cells: bool = False):
        """`text_cells`: every cell is a str (CSV fields), which allows a faster path."""
        self.mapping = mapping
        self.text_cells = text_cells
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
                raise ValueError(_no_header(names, required, mapping.delimiter if text_cells else None))
            raise ValueError(f"missing column {missing[0]!r} (columns found: {found})")
        self.fields = len(names)  # as the header has them (a CSV line must have as many)
        self.width = max((i + 1 for i, name in enumerate(names) if name), default=0)  # named
        self.names = names
        self._named = [(index, name) for index, name in enumerate(names) if name]
        self._plain_raw = text_cells and len(self._named) == len(names)
        found = {field: [(positions[column_key(name)], name) for name in columns
                         if column_key(name) in positions]
                 for field, columns in mapping.columns.items()}
        # field -> (index in the row or None when the file lacks it, column name for messages)
        self._spot = {field: found[field][0] if found.get(field)
                      else (None, mapping.columns.get(field, (field,))[0]) for field in FIELDS}
        self._present = [(field, index) for field, (index, _) in self._spot.items()
                         if index is not None and field != "occurred_at"]
        self._dates = found["occurred_at"]
        payout = mapping.payout_column
        self._payout_index = positions.get(column_key(payout)) if payout else None
        self._kinds: dict[str, LineKind] = {}
        self._statuses: dict[str, StatementStatus] = {}
        self._networks: dict[str, str] = {}

    def line(self, row: Sequence[object], number: int) -> StatementLine:
        if len(row) < self.width:
            row = [*row, *([None] * (self.width - len(row)))]
        if self.text_cells:
            cells = {field: row[index].strip() for field, index in self._present}
        else:
            cells = {field: cell_text(row[index]) for field, index in self._present}
        get = cells.get
        amount = statement_amount(get("amount", ""), self._column("amount"))
        fee_text = get("fee")
        fee = statement_amount(fee_text, self._column("fee"), zero=True) if fee_text else 0
        if fee > amount:
            raise ValueError(f"column {self._column('fee')!r}: fee {fee} is more than the "
                             f"amount {amount}")
        phone = get("phone")
        return StatementLine(
            provider_reference=get("provider_reference") or None,
            reference=get("reference") or None,
            amount=amount,
            fee=fee,
            phone=e164_phone(phone) if phone else None,
            network=self._network(get("network", "")),
            occurred_at=self._occurred_at(row),
            status=self._status(get("status")),
            operator_reference=get("operator_reference") or None,
            kind=self._kind(row),
            line_number=number,
            raw=dict(zip(self.names, row)) if self._plain_raw else
            {name: cell_text(row[index]) for index, name in self._named},
        )

    def _column(self, field: str) -> str:
        """The column name a field is read from, for messages."""
        return self._spot[field][1]

    def _kind(self, row: Sequence[object]) -> LineKind:
        if self._payout_index is None:
            return LineKind.COLLECTION
        text = cell_text(row[self._payout_index])
        kind = self._kinds.get(text)
        if kind is None:
            key, mapping = value_key(text), self.mapping
            if mapping.collection_values and key not in mapping.payout_values | mapping.collection_values:
                column = mapping.payout_column
                raise ValueError(f"column {column!r} is empty" if not text else
                                 f"column {column!r}: unknown kind {text!r} (the mapping's "
                                 "[payouts] lists the payout and collection spellings)")
            payout = key in mapping.payout_values
            kind = self._kinds[text] = LineKind.PAYOUT if payout else LineKind.COLLECTION
        return kind

    def _occurred_at(self, row: Sequence[object]) -> datetime:
        for index, name in self._dates:
            value = row[index]
            if isinstance(value, datetime):
                return _utc(value)
            if isinstance(value, date):
                return datetime.combine(value, time(), timezone.utc)
            text = cell_text(value)
            if text:
                try:
                    return _utc(datetime.fromisoformat(text))  # the usual case, in C
                except ValueError:
                    pass
                try:
                    return parse_timestamp(text, self.mapping.date_formats)
                except ValueError:
                    raise ValueError(f"column {name!r}: unreadable date {text!r} (the mapping's "
                                     "date_formats lists the ones it reads)") from None
        names = " or ".join(repr(name) for _, name in self._dates)
        raise ValueError(f"no date in {names}")

    def _status(self, text: str | None) -> StatementStatus:
        if text is None:
            return StatementStatus.SUCCEEDED  # an export without a status lists money received
        status = self._statuses.get(text)
        if status is None:
            column = self._column("status")
            if not text:
                raise ValueError(f"column {column!r} is empty")
            try:
                status = self._statuses[text] = self.mapping.status(text)
            except ValueError as exc:
                raise ValueError(f"column {column!r}: {exc}") from None
        return status

    def _network(self, text: str) -> str | None:
        network = self._networks.get(text)
        if network is None and text:
            try:
                network = self._networks[text] = self.mapping.network(text)
            except ValueError as exc:
                raise ValueError(f"column {self._column('network')!r}: {exc}") from None
        return network


def _no_header(names: list[str], required: list[str], delimiter: str | None) -> str:
    """Why a row is not the header, in words a clerk can act on. A row of values (a file
    whose header is missing) is not repeated: it holds a payer's phone, perhaps a name."""
    expected = ", ".join(required)
    filled = [name for name in names if name]
    if delimiter is not None and len(filled) == 1:
        counts = {sep: filled[0].count(sep) for sep in ";,\t|" if sep != delimiter}
        separator = max(counts, key=counts.get) if counts else None
        if separator and counts[separator]:
            return (f"no column names where they belong: the columns seem separated by "
                    f"{separator!r}, not {delimiter!r}; set delimiter = \"{separator}\" in the "
                    "statement mapping")
    if any(_DIGITS.search(name) for name in filled):
        return (f"no column names where they belong: this line holds values, not names "
                f"(expected {expected}): is the header row missing, or header_row wrong in "
                "the statement mapping?")
    return f"no column names where they belong (expected {expected}; found {', '.join(filled) or 'none'})"


_DIGITS = re.compile(r"\d{3}")


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)  # Lomé is UTC+0 all year
    return value.astimezone(timezone.utc)
