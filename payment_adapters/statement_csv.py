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
from .statement_mapping import StatementMapping
from .statement_rows import RowReader
from .statement_sources import is_zip, peek, text_lines


class CsvImporter:
    def __init__(self, mapping: StatementMapping):
        self.mapping = mapping
        self.name = f"{mapping.provider}-csv"

    def why_not(self, source: StatementSource) -> str | None:
        """None when `source` is this provider's CSV export; else why not, in a clerk's words."""
        head = peek(source)
        if not head:
            return "the file is empty (0 bytes)"
        if is_zip(head):
            return "it is a spreadsheet (XLSX), not CSV text"
        try:
            with text_lines(source, self.mapping.encoding) as lines:
                self._header(csv.reader(lines, delimiter=self.mapping.delimiter))
        except StatementError as exc:
            return str(exc)
        return None

    def identify(self, source: StatementSource) -> bool:
        return self.why_not(source) is None

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
