"""Statement exports read per second: a CSV and an XLSX export of N lines (PayGate's
columns, made here) through `adapter.import_statement`, each beside a ceiling measured
in the same run on the same file: the bare parser alone (`csv.reader`, openpyxl's
read-only rows), so the ratio says what the mapping, checks and `StatementLine`s cost
whatever the machine's load. CPU seconds, and the process's peak memory after each.

    python bench/statement_import.py [--lines 1000000] [--xlsx-lines 100000]
"""
from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADER = ["tx_reference", "identifier", "payment_reference", "amount", "fee", "payment_method",
          "phone_number", "datetime", "status", "type"]


def row(n: int) -> list:
    return [f"PGT-{n:09d}", f"AMU{n:010d}", f"TMN-{n}", 1000 + n % 5000, n % 30, "T-Money",
            f"9000{n % 10000:04d}", f"2025-03-{1 + n % 28:02d} 10:{n % 60:02d}:07", 0, "paiement"]


def with_dimension(workbook: Path, rows: int, columns: int) -> None:
    """Record the sheet's size as Excel does (openpyxl's write-only mode leaves it out,
    which makes every reader scan the whole sheet first)."""
    from openpyxl.utils import get_column_letter

    sheet = "xl/worksheets/sheet1.xml"
    copy = workbook.with_suffix(".tmp")
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == sheet:
                ref = f'<dimension ref="A1:{get_column_letter(columns)}{rows}"/>'
                data = data.replace(b"<sheetViews>", ref.encode() + b"<sheetViews>", 1)
            target.writestr(item, data)
    copy.replace(workbook)


def cpu(action) -> tuple[float, int]:
    start = time.process_time()
    count = action()
    return time.process_time() - start, count


def report(what: str, lines: int, seconds: float, ceiling: float) -> None:
    print(f"{what}: {lines:,} lines in {seconds:.1f} s CPU ({lines / seconds:,.0f} lines/s, "
          f"{seconds / lines * 1e6:.1f} us a line); bare parser {ceiling:.1f} s; "
          f"ratio {seconds / ceiling:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--xlsx-lines", type=int, default=100_000)
    args = parser.parse_args()

    import openpyxl

    from payment_adapters import build_adapter

    adapter = build_adapter("paygate", {"AMU_PAYGATE_AUTH_TOKEN": "bench-not-secret"})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "statement.csv"
        with open(path, "w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows(row(n) for n in range(args.lines))
        def bare_lines() -> int:
            with open(path, newline="") as handle:
                return sum(1 for _ in csv.reader(handle))

        ceiling, _ = cpu(bare_lines)
        seconds, count = cpu(lambda: sum(1 for _ in adapter.import_statement(path)))
        report("CSV", count, seconds, ceiling)
        print(f"peak memory after the CSV import {peak_mb():.0f} MB")

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("Transactions")
        sheet.append(HEADER)
        for n in range(args.xlsx_lines):
            sheet.append(row(n))
        workbook = Path(folder) / "statement.xlsx"
        book.save(workbook)
        with_dimension(workbook, args.xlsx_lines + 1, len(HEADER))

        def bare_rows() -> int:
            read = openpyxl.load_workbook(workbook, read_only=True)
            sheet = read.worksheets[0]
            sheet.reset_dimensions()
            total = sum(1 for _ in sheet.iter_rows(values_only=True))
            read.close()
            return total

        ceiling, _ = cpu(bare_rows)
        seconds, count = cpu(lambda: sum(1 for _ in adapter.import_statement(workbook)))
        report("XLSX", count, seconds, ceiling)
    print(f"peak memory after the XLSX import (writing the workbook included) {peak_mb():.0f} MB")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
