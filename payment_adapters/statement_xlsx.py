"""A provider's statement exported as an Excel workbook (XLSX), read with openpyxl in
read-only mode: rows stream from the zip archive one at a time, so a million-row
export does not sit in memory.

Row numbers are the sheet's (the header is row `header_row`, 1 by default), as Excel
shows them. Empty rows are skipped without shifting the numbers. Cells may hold text,
numbers or dates; a formula's last computed value is read, never the formula.
"""
from __future__ import annotations

import zipfile
import zlib
from contextlib import contextmanager
from typing import Iterator
from xml.etree.ElementTree import ParseError

from .errors import StatementError
from .statement_lines import StatementLine, StatementSource
from .statement_rows import RowReader, cell_text
from .statement_sources import FileImporter, binary, is_zip

# What a damaged or truncated workbook raises, from the zip layer up to the XML parser
# (openpyxl's InvalidFileException is added where openpyxl is imported: only when needed).
_BROKEN = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ParseError, OSError)
DAMAGED = "the XLSX file is damaged or cut short; ask for the export again"


class XlsxImporter(FileImporter):
    kind = "xlsx"

    def wrong_kind(self, head: bytes | str) -> str | None:
        return None if is_zip(head) else "it is not a spreadsheet (XLSX)"

    def read_header(self, source: StatementSource) -> None:
        with self._sheet(source) as (title, rows):
            self._header(title, rows)

    def extract(self, source: StatementSource) -> Iterator[StatementLine]:
        with self._sheet(source) as (title, numbered):
            reader = self._header(title, numbered)
            for number, cells in numbered:
                if all(cell is None or cell_text(cell) == "" for cell in cells):
                    continue
                extra = next((i for i in range(reader.width, len(cells))
                              if cell_text(cells[i])), None)
                if extra is not None:
                    from openpyxl.utils import get_column_letter

                    raise StatementError(
                        f"a value in column {get_column_letter(extra + 1)}, which has no name "
                        "in the header", line=number, place="row")
                try:
                    yield reader.line(cells, number)
                except ValueError as exc:
                    raise StatementError(str(exc), line=number, place="row") from None

    def _header(self, title: str, numbered) -> RowReader:
        wanted = self.mapping.header_row
        for number, cells in numbered:
            if number == wanted:
                try:
                    return RowReader(self.mapping, cells)
                except ValueError as exc:
                    raise StatementError(str(exc), line=number,
                                         place=f"sheet {title!r}, row") from None
        raise StatementError(f"sheet {title!r} has no header row", line=wanted, place="row")

    @contextmanager
    def _sheet(self, source: StatementSource):
        """(sheet title, iterator of (row number, cells)) of the mapping's sheet; errors
        of a damaged archive, even while rows stream, become one StatementError."""
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        with binary(source) as handle:
            try:
                book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
            except (*_BROKEN, InvalidFileException) as exc:
                raise StatementError(f"{DAMAGED} ({_detail(exc)})") from None
            try:
                sheet = self._pick(book)
                # Read rows as they are, not as the file's recorded dimensions say: some
                # exporters record them wrong (rows would be missed), and without them
                # openpyxl does not scan the whole sheet first.
                sheet.reset_dimensions()
                yield sheet.title, _guarded(enumerate(sheet.iter_rows(min_row=1, values_only=True),
                                                      start=1))
            finally:
                book.close()

    def _pick(self, book):
        if self.mapping.sheet is None:
            return book.worksheets[0]
        if self.mapping.sheet not in book.sheetnames:
            raise StatementError(f"no sheet named {self.mapping.sheet!r} "
                                 f"(sheets: {', '.join(book.sheetnames)})")
        return book[self.mapping.sheet]


def _guarded(rows) -> Iterator[tuple[int, tuple]]:
    number = 0
    try:
        for number, cells in rows:
            yield number, cells
    except _BROKEN as exc:
        raise StatementError(f"{DAMAGED} ({_detail(exc)})", line=number + 1,
                             place="row") from None


def _detail(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
