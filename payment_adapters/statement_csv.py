"""A provider's statement exported as CSV, read through its `StatementMapping`.

Line numbers are the file's physical lines (the header is line `header_row`, 1 by
default), so a clerk can open the file and look. Blank lines, and lines whose fields
are all empty (spreadsheets save those), are skipped without shifting the numbers.
"""
from __future__ import annotations

import csv
from typing import Iterator

from .errors import StatementError
from .statement_lines import StatementLine, StatementSource
from .statement_rows import RowReader
from .statement_sources import FileImporter, is_zip, text_lines


class CsvImporter(FileImporter):
    kind = "csv"

    def wrong_kind(self, head: bytes | str) -> str | None:
        return "it is a spreadsheet (XLSX), not CSV text" if is_zip(head) else None

    def read_header(self, source: StatementSource) -> None:
        with text_lines(source, self.mapping.encoding) as lines:
            self._header(csv.reader(lines, delimiter=self.mapping.delimiter))

    def extract(self, source: StatementSource) -> Iterator[StatementLine]:
        with text_lines(source, self.mapping.encoding) as lines:
            reader = csv.reader(lines, delimiter=self.mapping.delimiter)
            rows = self._header(reader)
            start = reader.line_num + 1
            try:
                for fields in reader:
                    if any(fields):
                        problem = None
                        if len(fields) != rows.fields:
                            problem = f"{len(fields)} fields, expected {rows.fields} as in the header"
                        else:
                            try:
                                yield rows.line(fields, start)
                            except ValueError as exc:
                                problem = str(exc)
                        # a line of spaces and delimiters is an empty line, not a bad one
                        if problem and any(field.strip() for field in fields):
                            raise StatementError(problem, line=start)
                    start = reader.line_num + 1
            except (csv.Error, UnicodeDecodeError) as exc:
                raise _unreadable(exc, reader) from None

    def _header(self, reader) -> RowReader:
        wanted = self.mapping.header_row
        header = None
        try:
            for fields in reader:
                if reader.line_num >= wanted:
                    header = fields
                    break
        except (csv.Error, UnicodeDecodeError) as exc:
            raise _unreadable(exc, reader) from None
        if header is None:
            raise StatementError("no header row", line=wanted)
        try:
            return RowReader(self.mapping, header, text_cells=True)
        except ValueError as exc:
            raise StatementError(str(exc), line=reader.line_num) from None


def _unreadable(exc: Exception, reader) -> StatementError:
    if isinstance(exc, UnicodeDecodeError):  # a UTF-16/32 file decoded by chunks: the line is a guess
        return StatementError(f"not {exc.encoding} text; set encoding in the statement mapping",
                              line=reader.line_num + 1)
    return StatementError(f"unreadable CSV ({exc})", line=reader.line_num)
