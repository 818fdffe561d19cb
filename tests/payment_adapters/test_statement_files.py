"""Statement files as clerks hand them over: CSV or XLSX, a path or an open file, saved
by a spreadsheet (blank rows, byte-order mark, numbers and dates as cells), sometimes
damaged. A file is recognised or refused before any line is read, and a bad line
stops the reading with its file line (CSV) or sheet row (XLSX) named."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from payment_adapters import StatementError, StatementStatus

from .spreadsheets import csv_rows, write_xlsx
from .test_statement_golden import adapter_for

STATEMENTS = Path(__file__).parent / "statements"
GOOD_CSV = STATEMENTS / "fedapay_csv/good_month/statement.csv"
GOOD_XLSX = STATEMENTS / "fedapay_xlsx/good_month/statement.xlsx"
HEADER = ("id,reference,merchant_reference,amount,commission,status,mode,phone,"
          "operator_reference,created_at,approved_at")
ROW = "104201,trx_1,AMU0K4M7Q2X9B,5000,75,approved,togocel,90000001,,2025-03-03T08:14:02Z,"


def fedapay():
    return adapter_for("fedapay_csv")


def read(source):
    return list(fedapay().import_statement(source))


def xlsx(rows, title: str = "Transactions") -> io.BytesIO:
    buffer = io.BytesIO()
    write_xlsx(buffer, rows, title)
    buffer.seek(0)
    return buffer


# -- CSV ----------------------------------------------------------------------------

def test_an_open_file_is_read_and_left_open_for_its_owner():
    with open(GOOD_CSV, "rb") as binary:
        assert len(read(binary)) == 9
        assert not binary.closed
    text = io.StringIO(GOOD_CSV.read_text(encoding="utf-8"))
    assert read(text) == read(GOOD_CSV)


def test_a_file_that_cannot_rewind_is_read_too():
    class Pipe(io.RawIOBase):
        def __init__(self, data: bytes):
            self.data = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            chunk = self.data.read(len(buffer))
            buffer[:len(chunk)] = chunk
            return len(chunk)

    assert len(read(Pipe(GOOD_CSV.read_bytes()))) == 9


def test_blank_and_empty_lines_are_skipped_without_shifting_line_numbers():
    text = f"\ufeff{HEADER}\n{ROW}\n\n,,,,,,,,,,\n{ROW.replace('5000', '12.5')}\n"
    with pytest.raises(StatementError, match=r"^line 5: column 'amount': fractional"):
        read(io.StringIO(text))


def test_a_quoted_field_over_two_lines_keeps_the_next_lines_numbered_by_the_file():
    quoted = ROW.replace("trx_1", '"trx\n1"')
    text = f"{HEADER}\n{quoted}\n{ROW.replace('approved', 'maybe')}\n"
    with pytest.raises(StatementError, match=r"^line 4: column 'status': unknown status 'maybe'"):
        read(io.StringIO(text))


def test_a_byte_that_is_not_utf8_is_named_on_its_own_line():
    data = f"{HEADER}\n{ROW}\n{ROW}\n".encode() + ROW.replace("trx_1", "tr\xe9").encode("latin-1")
    with pytest.raises(StatementError, match=r"^line 4: not utf-8-sig text"):
        read(io.BytesIO(data))


def test_another_providers_export_is_not_ours():
    paygate_file = STATEMENTS / "paygate_csv/good_month/statement.csv"
    with pytest.raises(StatementError) as error:
        fedapay().import_statement(paygate_file)
    assert str(error.value).startswith(
        "not a fedapay statement: statement.csv: line 1: missing column 'id'")


def test_a_missing_file_is_named():
    with pytest.raises(StatementError, match=r"^cannot open nope.csv: No such file"):
        fedapay().import_statement(STATEMENTS / "nope.csv")


def test_a_bad_file_is_refused_before_any_line_and_a_bad_line_gives_nothing():
    lines = fedapay().import_statement(io.StringIO(f"{HEADER}\n{ROW}\n{ROW.replace('5000', '-1')}\n"))
    assert next(lines).amount == 5000  # lazy: all or nothing is the caller's transaction
    with pytest.raises(StatementError, match="^line 3: column 'amount': negative"):
        next(lines)
    with pytest.raises(StatementError, match="^line 3: "):  # a caller that list()s gets nothing
        list(fedapay().import_statement(io.StringIO(f"{HEADER}\n{ROW}\n{ROW.replace('5000', '-1')}\n")))


def test_importers_identify_their_own_kind_of_file():
    csv_importer, xlsx_importer = fedapay().statement_importers
    assert csv_importer.identify(GOOD_CSV) and not xlsx_importer.identify(GOOD_CSV)
    assert xlsx_importer.identify(GOOD_XLSX) and not csv_importer.identify(GOOD_XLSX)
    assert not csv_importer.identify(STATEMENTS / "fake_csv/good_month/statement.csv")


@pytest.mark.parametrize("fee, problem", [
    ("6000", "fee 6000 is more than the amount 5000"),
    ("-5", "negative amount -5"),
    ("7.5", "fractional"),
])
def test_a_fee_is_whole_francs_and_not_more_than_the_amount(fee, problem):
    text = f"{HEADER}\n{ROW.replace(',75,', f',{fee},')}\n"
    with pytest.raises(StatementError, match=f"^line 2: column 'commission': .*{problem}"):
        read(io.StringIO(text))


def test_a_line_without_a_date_says_which_columns_were_empty():
    with pytest.raises(StatementError, match=r"^line 2: no date in 'approved_at' or 'created_at'"):
        read(io.StringIO(f"{HEADER}\n{ROW.replace('2025-03-03T08:14:02Z', '')}\n"))


def test_a_column_named_twice_is_refused():
    with pytest.raises(StatementError, match="line 1: column 'Amount' appears twice"):
        fedapay().import_statement(io.StringIO(f"{HEADER},Amount\n{ROW},1\n"))


# -- XLSX ---------------------------------------------------------------------------

def test_a_workbook_is_read_row_by_row_with_its_cells_types():
    rows = [HEADER.split(","),
            [104201, "trx_1", "AMU0K4M7Q2X9B", 5000.0, 75, "approved", "togocel", 90000001,
             None, datetime(2025, 3, 3, 8, 14), None],
            [None] * 11,
            [104202, "trx_2", None, "2 500", 0, "Declined", "moov_tg", "+228 90 00 00 02",
             None, "03/03/2025 09:00", None]]
    lines = read(xlsx(rows))
    assert [(l.line_number, l.provider_reference, l.amount, l.phone, l.status,
             l.occurred_at.isoformat()) for l in lines] == [
        (2, "104201", 5000, "+22890000001", StatementStatus.SUCCEEDED, "2025-03-03T08:14:00+00:00"),
        (4, "104202", 2500, "+22890000002", StatementStatus.FAILED, "2025-03-03T09:00:00+00:00"),
    ]


# The CSV golden bad files, saved as workbooks: the same refusal, naming the sheet row.
XLSX_REFUSALS = {
    "amount_fraction": r"^row 3: column 'amount': fractional amount '2500.50'",
    "amount_negative": r"^row 3: column 'amount': negative amount -2500",
    "amount_zero": r"^row 3: column 'amount': amount is zero",
    "amount_above_bigint": r"^row 3: column 'amount': 9223372036854775808 is larger",
    "amount_thousands_of_digits": r"^row 3: column 'amount': 9{15}\.\.\. is not an amount \(3000",
    "unreadable_date": r"^row 3: column 'approved_at': unreadable date '31/02/2025 10:00'",
    "wrong_field_count": r"^row 3: a value in column L, which has no name in the header",
    "wrong_header": r"^not a fedapay statement: the file: sheet 'Transactions', row 1: missing column 'amount'",
    "missing_header": r"^not a fedapay statement: the file: sheet 'Transactions', row 1: no column names",
}


@pytest.mark.parametrize("case", sorted(XLSX_REFUSALS))
def test_a_bad_workbook_is_refused_with_its_row(case):
    rows = csv_rows(STATEMENTS / "fedapay_csv" / case / "statement.csv")
    with pytest.raises(StatementError, match=XLSX_REFUSALS[case]):
        read(xlsx(rows))


def test_an_empty_xlsx_file_is_refused(tmp_path):
    empty = tmp_path / "releve.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(StatementError, match=r"^not a fedapay statement: releve.xlsx: the file is empty"):
        read(empty)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.95])
def test_a_workbook_cut_anywhere_is_refused_whole(tmp_path, keep):
    data = GOOD_XLSX.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(StatementError, match=r"^not a fedapay statement: cut.xlsx: the XLSX file "
                                             r"is damaged or cut short; ask for the export again"):
        read(cut)


def test_a_workbook_whose_sheet_is_damaged_inside_is_refused_while_reading(tmp_path):
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(GOOD_XLSX) as good, zipfile.ZipFile(damaged, "w") as bad:
        for item in good.infolist():
            data = good.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[:len(data) * 2 // 3]  # the sheet's XML stops mid-row
            bad.writestr(item, data)
    with pytest.raises(StatementError, match=r"^row \d+: the XLSX file is damaged or cut short"):
        read(damaged)


def test_the_mapping_can_name_the_sheet_to_read(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Résumé"
    book.active.append(["Total", 5000])
    data = book.create_sheet("Transactions")
    for row in csv_rows(GOOD_CSV)[:2]:
        data.append(row)
    path = tmp_path / "two-sheets.xlsx"
    book.save(path)
    with pytest.raises(StatementError, match="two-sheets.xlsx: sheet 'Résumé', row 1: no column names"):
        read(path)

    mapping = tmp_path / "fedapay.toml"
    shipped = (Path(fedapay().statement_mapping.origin)).read_text(encoding="utf-8")
    mapping.write_text(shipped.replace('sheet = ""', 'sheet = "Transactions"'), encoding="utf-8")
    adapter = adapter_for("fedapay_csv")
    adapter._mapping_path = str(mapping)
    assert [line.provider_reference for line in adapter.import_statement(path)] == ["104201"]

    mapping.write_text(shipped.replace('sheet = ""', 'sheet = "Mars"'), encoding="utf-8")
    adapter = adapter_for("fedapay_csv")
    adapter._mapping_path = str(mapping)
    with pytest.raises(StatementError, match=r"no sheet named 'Mars' \(sheets: Résumé, Transactions\)"):
        adapter.import_statement(path)


# -- what kind of line ---------------------------------------------------------------

PAYGATE_HEADER = ("tx_reference,identifier,payment_reference,amount,fee,payment_method,"
                  "phone_number,datetime,status,type")


@pytest.mark.parametrize("kind", ["remboursement", "Retrait partiel", ""])
def test_a_line_of_a_kind_the_mapping_does_not_list_is_refused_not_taken_for_a_payment(kind):
    # Money going out that the mapping does not name must not become money collected.
    text = (f"{PAYGATE_HEADER}\n"
            "PGT-1,AMU1,TMN-1,5000,150,T-Money,90000001,2025-03-03 08:14:40,0,paiement\n"
            f"PGT-2,AMU2,TMN-2,5000,150,T-Money,90000001,2025-03-03 08:15:40,0,{kind}\n")
    with pytest.raises(StatementError, match=r"^line 3: column 'type'"):
        list(adapter_for("paygate_csv").import_statement(io.StringIO(text)))


def test_payouts_and_collections_are_told_apart_by_the_mapping():
    text = (f"{PAYGATE_HEADER}\n"
            "PGT-1,AMU1,TMN-1,5000,150,T-Money,90000001,2025-03-03 08:14:40,0,Paiement\n"
            "PGT-W-1,,,14000,0,,,2025-03-31 17:00:00,0,RETRAIT\n")
    lines = list(adapter_for("paygate_csv").import_statement(io.StringIO(text)))
    assert [line.kind.value for line in lines] == ["collection", "payout"]


# -- a header that is not there -------------------------------------------------------

def test_a_file_without_its_header_is_refused_without_repeating_a_payers_phone():
    error = None
    try:
        read(io.StringIO(f"{ROW}\n{ROW}\n"))
    except StatementError as exc:
        error = str(exc)
    assert error is not None and "no column names where they belong" in error
    assert "90000001" not in error and "AMU0K4M7Q2X9B" not in error
    assert "header row missing" in error and "header_row" in error


def test_a_file_separated_by_semicolons_says_which_delimiter_to_set():
    text = f"{HEADER.replace(',', ';')}\n{ROW.replace(',', ';')}\n"
    with pytest.raises(StatementError, match=r"separated by ';'.*delimiter = \";\""):
        read(io.StringIO(text))
