"""Which column of a provider's statement export holds what: data, not code.

Each provider ships a TOML mapping in ``payment_adapters/statement_formats/<provider>.toml``;
finance can point ``AMU_<PROVIDER>_STATEMENT_MAPPING`` at a copy adapted to what the
dashboard really exports (renamed columns, another status spelling, a date format, a
semicolon delimiter) without touching code. A mapping that cannot be used is refused
with one line saying what to fix (`AdapterConfigError`). The shipped files are the
documentation of the format: every key is explained in them.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Mapping

from .errors import AdapterConfigError
from .phones import NETWORKS
from .statement_lines import StatementStatus
from .timestamps import EXTRA_FORMATS

FIELDS = ("provider_reference", "reference", "operator_reference", "amount", "fee", "phone",
          "network", "occurred_at", "status")
REQUIRED_FIELDS = ("amount", "occurred_at")
_TOP_KEYS = {"provider", "delimiter", "encoding", "header_row", "sheet", "date_formats",
             "optional_columns", "columns", "statuses", "networks", "payouts"}
_KEY = re.compile(r"[^a-z0-9]")


def value_key(text: str) -> str:
    """How spellings are compared: ``"T-Money"`` == ``"TMONEY"``, ``"Payé"`` == ``"paye"``."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return _KEY.sub("", "".join(c for c in folded if not unicodedata.combining(c)))


def column_key(name: str) -> str:
    """How column names are compared: case, surrounding spaces and a byte-order mark ignored."""
    return " ".join(name.lstrip("\ufeff").split()).lower()


@dataclass(frozen=True)
class StatementMapping:
    provider: str
    origin: str  # the file it was read from, for messages
    columns: Mapping[str, tuple[str, ...]]  # field -> column names (occurred_at: first non-empty)
    optional_columns: frozenset[str]  # column keys a file may lack
    statuses: Mapping[str, StatementStatus]  # value_key(spelling) -> status
    networks: Mapping[str, str]  # value_key(spelling) -> "yas" | "moov"
    payout_column: str | None
    payout_values: frozenset[str]  # value keys
    # value keys of collection rows; when given, a row that is neither is refused
    collection_values: frozenset[str] = frozenset()
    date_formats: tuple[str, ...] = EXTRA_FORMATS
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    header_row: int = 1
    sheet: str | None = None

    def required_columns(self) -> list[str]:
        """The column names a file must have, as the mapping spells them."""
        names = [name for field in FIELDS for name in self.columns.get(field, ())]
        if self.payout_column:
            names.append(self.payout_column)
        return [name for name in dict.fromkeys(names)
                if column_key(name) not in self.optional_columns]

    def status(self, text: str) -> StatementStatus:
        return _meaning(self.statuses, text, "status", "statuses")

    def network(self, text: str) -> str:
        return _meaning(self.networks, text, "network", "networks")


def _meaning(table: Mapping, text: str, what: str, table_name: str):
    found = table.get(value_key(text))
    if found is None:
        raise ValueError(f"unknown {what} {text!r} (the mapping's [{table_name}] lists the "
                         "spellings it knows)")
    return found


def shipped_mapping_path(provider: str) -> str:
    return str(resources.files("payment_adapters") / "statement_formats" / f"{provider}.toml")


def load_mapping(provider: str, path: str | None = None) -> StatementMapping:
    """The mapping in `path`, else the one shipped for `provider`. Raises AdapterConfigError."""
    origin = path or shipped_mapping_path(provider)
    try:
        with open(origin, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise AdapterConfigError(
            f"statement mapping {origin}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise AdapterConfigError(f"statement mapping {origin}: not valid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise AdapterConfigError(f"statement mapping {origin}: not UTF-8 text") from None
    return _MappingReader(provider, origin, data).read()


class _MappingReader:
    def __init__(self, provider: str, origin: str, data: dict):
        self.provider, self.origin, self.data = provider, origin, data

    def fail(self, reason: str) -> AdapterConfigError:
        return AdapterConfigError(f"statement mapping {self.origin}: {reason}")

    def read(self) -> StatementMapping:
        data = self.data
        unknown = sorted(set(data) - _TOP_KEYS)
        if unknown:
            raise self.fail(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
        if data.get("provider", self.provider) != self.provider:
            raise self.fail(f"written for {data['provider']!r}, not {self.provider!r}")
        payout_column, payout_values, collection_values = self.payouts()
        return StatementMapping(
            provider=self.provider,
            origin=self.origin,
            columns=self.columns(),
            optional_columns=frozenset(column_key(name) for name in
                                       self.strings("optional_columns", data.get("optional_columns", []))),
            statuses=self.spellings("statuses", {s.value: s for s in StatementStatus}),
            networks=self.spellings("networks", {n: n for n in NETWORKS}),
            payout_column=payout_column,
            payout_values=payout_values,
            collection_values=collection_values,
            date_formats=self.date_formats(),
            delimiter=self.delimiter(),
            encoding=self.encoding(),
            header_row=self.header_row(),
            sheet=self.text("sheet", data.get("sheet", "")) or None,
        )

    def text(self, what: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{what} must be text in quotes, got {value!r}")
        return value.strip()

    def strings(self, what: str, value: object) -> list[str]:
        items = value if isinstance(value, list) else [value]
        texts = [self.text(what, item) for item in items]
        if not texts or not all(texts):
            raise self.fail(f"{what} must name at least one non-empty value")
        return texts

    def columns(self) -> dict[str, tuple[str, ...]]:
        table = self.data.get("columns")
        if not isinstance(table, dict):
            raise self.fail("a [columns] table is required: which column holds what")
        unknown = sorted(set(table) - set(FIELDS))
        if unknown:
            raise self.fail(f"[columns] {unknown[0]!r} is not a statement field "
                            f"(fields: {', '.join(FIELDS)})")
        for field in REQUIRED_FIELDS:
            if field not in table:
                raise self.fail(f"[columns] has no {field!r}: which column holds it?")
        columns = {field: tuple(self.strings(f"[columns] {field}", value))
                   for field, value in table.items()}
        for field, names in columns.items():
            if len(names) > 1 and field != "occurred_at":
                raise self.fail(f"[columns] {field} must be one column name "
                                "(only occurred_at may list several, first filled wins)")
        return columns

    def spellings(self, table_name: str, meanings: Mapping[str, object]) -> dict:
        table = self.data.get(table_name, {})
        if not isinstance(table, dict):
            raise self.fail(f"[{table_name}] must be a table of meaning = [spellings]")
        result: dict[str, object] = {}
        for meaning, spellings in table.items():
            if meaning not in meanings:
                raise self.fail(f"[{table_name}] {meaning!r} is not one of {', '.join(meanings)}")
            for spelling in self.strings(f"[{table_name}] {meaning}", spellings):
                key = value_key(spelling)
                if not key:
                    raise self.fail(f"[{table_name}] {spelling!r} has no letters or digits")
                if result.get(key, meanings[meaning]) != meanings[meaning]:
                    raise self.fail(f"[{table_name}] {spelling!r} is listed under two meanings")
                result[key] = meanings[meaning]
        return result

    def payouts(self) -> tuple[str | None, frozenset[str], frozenset[str]]:
        table = self.data.get("payouts")
        if table is None:
            return None, frozenset(), frozenset()
        if not isinstance(table, dict) or not {"column", "values"} <= set(table) <= {
                "column", "values", "collections"}:
            raise self.fail("[payouts] needs exactly column = \"...\" and values = [...] "
                            "(and may list collections = [...])")
        column = self.strings("[payouts] column", table["column"])
        if len(column) != 1:
            raise self.fail("[payouts] column must be one column name")
        values = frozenset(value_key(v) for v in self.strings("[payouts] values", table["values"]))
        collections = frozenset(value_key(v) for v in self.strings(
            "[payouts] collections", table["collections"])) if "collections" in table else frozenset()
        if values & collections:
            raise self.fail("[payouts] a spelling is listed as both a payout and a collection")
        return column[0], values, collections

    def date_formats(self) -> tuple[str, ...]:
        formats = self.strings("date_formats", self.data.get("date_formats", list(EXTRA_FORMATS)))
        for fmt in formats:
            if "%" not in fmt:
                raise self.fail(f"date_formats: {fmt!r} has no %-codes (e.g. \"%d/%m/%Y %H:%M\")")
        return tuple(formats)

    def delimiter(self) -> str:
        value = self.data.get("delimiter", ",")
        if not isinstance(value, str) or len(value) != 1 or value in "\"\r\n":
            raise self.fail(f"delimiter must be one character such as \",\" or \";\", got {value!r}")
        return value

    def encoding(self) -> str:
        name = self.text("encoding", self.data.get("encoding", "utf-8-sig"))
        try:
            "".encode(name)
        except LookupError:
            raise self.fail(f"encoding {name!r} is not one Python knows (e.g. utf-8-sig, cp1252)") from None
        return name

    def header_row(self) -> int:
        value = self.data.get("header_row", 1)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 50:
            raise self.fail(f"header_row must be a row number from 1 to 50, got {value!r}")
        return value
