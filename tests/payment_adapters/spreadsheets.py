"""Statement files as a provider's dashboard would save them as XLSX, for tests:
numbers as numbers, dates as dates, text as text (openpyxl)."""
from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path
from typing import IO, Iterable, Sequence

import openpyxl

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]00:00)?$")


def typed(text: str):
    """A CSV field as the cell a spreadsheet would hold."""
    if text.isdigit() and len(text) < 16 and not text.startswith("0"):
        return int(text)
    if _ISO.match(text):
        return datetime.fromisoformat(text.replace("Z", "").replace("T", " ")[:26].split("+")[0])
    return text or None


def write_xlsx(target: str | Path | IO[bytes], rows: Iterable[Sequence[object]],
               title: str = "Transactions") -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    book.properties.creator = "AMU tests"
    book.properties.created = book.properties.modified = datetime(2025, 4, 1, 8, 0)
    book.save(target)


def csv_rows(path: Path, *, typed_cells: bool = True) -> list[list[object]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return [[typed(cell) for cell in row] for row in rows] if typed_cells else rows
