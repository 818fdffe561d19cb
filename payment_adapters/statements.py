"""Statement files, in the spirit of beangulp importers: each provider's dashboard
exports (CSV and XLSX) are `StatementImporter`s built from its column mapping (data:
`payment_adapters/statement_formats/<provider>.toml`); `import_statement` picks the
importer that recognises a file and reads it.

A file no importer recognises is refused before any line is read, with the reason;
then lines are read one at a time and the first bad one raises `StatementError` naming
the file line (CSV) or sheet row (XLSX). All or nothing is the caller's: keep the lines
in one transaction and roll back on the error (``list()`` only small files).
"""
from __future__ import annotations

from typing import Iterator, Sequence

from .errors import StatementError
from .statement_csv import CsvImporter
from .statement_lines import StatementImporter, StatementLine, StatementSource
from .statement_mapping import StatementMapping
from .statement_sources import describe, is_zip, peek, rewindable
from .statement_xlsx import XlsxImporter


def file_importers(mapping: StatementMapping) -> tuple[StatementImporter, ...]:
    """The file formats a provider's dashboard exports, read through `mapping`."""
    return CsvImporter(mapping), XlsxImporter(mapping)


def import_statement(provider: str, importers: Sequence[StatementImporter],
                     source: StatementSource) -> Iterator[StatementLine]:
    """The lines of `source`, read by the first importer that identifies it.

    Raises StatementError at once ("not a <provider> statement: <why>") when none does;
    the returned iterator raises StatementError at the first bad line.
    """
    source = rewindable(source)
    head = peek(source)
    for importer in importers:
        if importer.identify(source):
            return importer.extract(source)
    raise StatementError(f"not a {provider} statement: {describe(source)}: "
                         f"{_why_not(importers, source, head)}")


def _why_not(importers: Sequence[StatementImporter], source: StatementSource,
             head: bytes | str) -> str:
    """The reason given by the importer for this kind of file (a spreadsheet's reason for
    a zip archive, a CSV reader's for text), else by the first that gives one."""
    if not head:
        return "the file is empty (0 bytes)"
    wanted = "xlsx" if is_zip(head) else "csv"
    reasons = [(importer.name.endswith(wanted), importer.why_not(source))
               for importer in importers if hasattr(importer, "why_not")]
    reasons.sort(key=lambda pair: not pair[0])
    for _, reason in reasons:
        if reason:
            return reason
    return "no importer recognises it"
