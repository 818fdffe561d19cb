"""Statement CSV files, read through a declarative column mapping per provider.

In the spirit of beangulp importers: each adapter declares a `StatementFormat`
(which column holds what, how statuses and networks are spelled) and this one
reader turns rows into `StatementLine`s. Errors name the physical line of the file
(the header is line 1), so a finance clerk can open the file and look.

The reader is lazy; an importer that wants all-or-nothing should `list()` it first.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field
from typing import IO, Iterator, Mapping

from .statement_lines import StatementLine, StatementSource, StatementStatus
from .errors import StatementError
from .money import whole_francs
from .phones import to_e164_tg
from .timestamps import EXTRA_FORMATS, parse_timestamp

_KEY = re.compile(r"[^a-z0-9]")


def value_key(text: str) -> str:
    """How status and network spellings are compared: ``"T-Money"`` == ``"TMONEY"``."""
    return _KEY.sub("", text.lower())


@dataclass(frozen=True)
class StatementFormat:
    """Which CSV column holds which `StatementLine` field (None: the file has none)."""

    provider_reference: str
    amount: str
    occurred_at: str
    reference: str | None = None
    fee: str | None = None
    phone: str | None = None
    network: str | None = None
    status: str | None = None  # without a status column every line is money received
    status_values: Mapping[str, StatementStatus] = field(default_factory=dict)
    network_values: Mapping[str, str] = field(default_factory=dict)
    timestamp_formats: tuple[str, ...] = EXTRA_FORMATS
    delimiter: str = ","

    def columns(self) -> dict[str, str]:
        names = ("provider_reference", "amount", "occurred_at", "reference", "fee",
                 "phone", "network", "status")
        return {name: getattr(self, name) for name in names if getattr(self, name)}

    def read_status(self, raw: str) -> StatementStatus:
        wanted = value_key(raw)
        for spelling, status in self.status_values.items():
            if value_key(spelling) == wanted:
                return status
        raise ValueError(f"unknown status {raw!r}")

    def read_network(self, raw: str) -> str:
        wanted = value_key(raw)
        for spelling, network in self.network_values.items():
            if value_key(spelling) == wanted:
                return network
        raise ValueError(f"unknown network {raw!r}")


def read_statement(source: StatementSource, fmt: StatementFormat) -> Iterator[StatementLine]:
    with _open_text(source) as text:
        reader = csv.DictReader(text, delimiter=fmt.delimiter)
        rows = _rows(reader)
        header = _check_header(next(rows, None), fmt)
        for line, row in rows:
            if None in row:
                raise StatementError(
                    f"{len(header) + len(row[None])} fields, expected {len(header)}", line=line)
            if any(value is None for value in row.values()):
                filled = sum(value is not None for value in row.values())
                raise StatementError(f"{filled} fields, expected {len(header)}", line=line)
            try:
                yield _to_line(row, header, fmt, line)
            except ValueError as exc:
                raise StatementError(str(exc), line=line) from None


def _rows(reader: csv.DictReader):
    """The header's field names first, then (line number, row) pairs; decoding and CSV
    syntax errors become StatementErrors naming the line."""
    try:
        yield reader.fieldnames
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError:
        raise StatementError("not UTF-8 text", line=reader.line_num + 1) from None
    except csv.Error as exc:
        raise StatementError(f"unreadable CSV ({exc})", line=reader.line_num) from None


def _to_line(row: dict, header: dict[str, str], fmt: StatementFormat, line_number: int) -> StatementLine:
    def cell(field_name: str) -> str:
        column = getattr(fmt, field_name)
        return (row.get(header[column]) or "").strip() if column else ""

    def required(field_name: str) -> str:
        value = cell(field_name)
        if not value:
            raise ValueError(f"empty {getattr(fmt, field_name)!r}")
        return value

    def parsed(field_name: str, parse):
        text = required(field_name)
        try:
            return parse(text)
        except ValueError as exc:
            raise ValueError(f"column {getattr(fmt, field_name)!r}: {exc}") from None

    fee_text = cell("fee")
    network_text = cell("network")
    return StatementLine(
        provider_reference=required("provider_reference"),
        reference=cell("reference") or None,
        amount=parsed("amount", whole_francs),
        fee=parsed("fee", whole_francs) if fee_text else 0,
        phone=to_e164_tg(cell("phone")) if cell("phone") else None,
        network=parsed("network", fmt.read_network) if network_text else None,
        occurred_at=parsed("occurred_at",
                           lambda text: parse_timestamp(text, fmt.timestamp_formats)),
        status=parsed("status", fmt.read_status) if fmt.status else StatementStatus.SUCCEEDED,
        line_number=line_number,
        raw={key: value for key, value in row.items()},
    )


def _check_header(fieldnames, fmt: StatementFormat) -> dict[str, str]:
    """Map each wanted column to the file's own spelling (case and spaces ignored)."""
    if not fieldnames:
        raise StatementError("empty file: no header row", line=1)
    present = {name.lstrip("\ufeff").strip().lower(): name for name in fieldnames}
    header: dict[str, str] = {}
    for column in fmt.columns().values():
        actual = present.get(column.lower())
        if actual is None:
            raise StatementError(f"missing column {column!r}", line=1)
        header[column] = actual
    return header


class _open_text:
    """A text stream over a path or an open file; closes only what it opened."""

    def __init__(self, source: StatementSource):
        self.source = source
        self.opened: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if isinstance(self.source, (str, os.PathLike)):
            try:
                self.opened = open(self.source, encoding="utf-8-sig", newline="")
            except OSError as exc:
                raise StatementError(
                    f"cannot open {os.fspath(self.source)}: {exc.strerror}") from None
            return self.opened
        if isinstance(self.source.read(0), bytes):
            self.opened = io.TextIOWrapper(self.source, encoding="utf-8-sig", newline="")
            return self.opened
        return self.source

    def __exit__(self, *exc_info) -> None:
        if self.opened is None:
            return
        if isinstance(self.source, (str, os.PathLike)):
            self.opened.close()
        else:
            self.opened.detach()  # leave the caller's binary file open
