"""The one statement reader behind every provider's declarative column mapping."""
from __future__ import annotations

import io

import pytest

from payment_adapters import StatementError, StatementStatus
from payment_adapters.statements import StatementFormat, read_statement

FORMAT = StatementFormat(provider_reference="ref", amount="amount", occurred_at="when",
                         reference="ours", status="state",
                         status_values={"OK": StatementStatus.SUCCEEDED,
                                        "KO": StatementStatus.FAILED})


def read(text: str, fmt: StatementFormat = FORMAT):
    return list(read_statement(io.StringIO(text), fmt))


def test_rows_become_lines_and_optional_columns_default():
    [line] = read("ref,ours,amount,when,state\nP1,AMU-1,1 000,2025-03-14 08:00:00,ok\n")
    assert (line.provider_reference, line.reference, line.amount, line.fee, line.phone,
            line.network, line.status) == ("P1", "AMU-1", 1000, 0, None, None,
                                           StatementStatus.SUCCEEDED)
    assert line.raw["ours"] == "AMU-1"


def test_headers_match_without_case_spaces_or_a_byte_order_mark():
    text = "\ufeffREF , Ours,AMOUNT,When,State\nP1,,500,2025-03-14,KO\n"
    [line] = read(text)
    assert (line.reference, line.status) == (None, StatementStatus.FAILED)


def test_a_file_without_a_status_column_is_money_received():
    fmt = StatementFormat(provider_reference="ref", amount="amount", occurred_at="when")
    [line] = read("ref,amount,when\nP1,500,2025-03-14\n", fmt)
    assert line.status is StatementStatus.SUCCEEDED


def test_blank_lines_are_skipped_and_do_not_shift_line_numbers():
    text = "ref,ours,amount,when,state\nP1,A,1,2025-03-14,OK\n\nP2,B,x,2025-03-14,OK\n"
    with pytest.raises(StatementError, match=r"^line 4: column 'amount'"):
        read(text)


@pytest.mark.parametrize("text, message", [
    ("", "line 1: empty file"),
    ("ref,amount,when,state\n", "line 1: missing column 'ours'"),
    ("ref,ours,amount,when,state\nP1,A,1,2025-03-14,OK,extra\n", "line 2: 6 fields, expected 5"),
    ("ref,ours,amount,when,state\nP1,A,1\n", "line 2: 3 fields, expected 5"),
    ("ref,ours,amount,when,state\n,A,1,2025-03-14,OK\n", "line 2: empty 'ref'"),
    ("ref,ours,amount,when,state\nP1,A,1,2025-03-14,MAYBE\n",
     "line 2: column 'state': unknown status"),
    ("ref,ours,amount,when,state\nP1,A,1,,OK\n", "line 2: empty 'when'"),
])
def test_a_bad_file_gets_a_one_line_reason_with_its_line(text, message):
    with pytest.raises(StatementError) as error:
        read(text)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)


def test_a_quoted_field_over_two_lines_is_counted_by_physical_line():
    text = 'ref,ours,amount,when,state\n"P\n1",A,1,2025-03-14,OK\nP2,B,2.5,2025-03-14,OK\n'
    with pytest.raises(StatementError, match=r"^line 4:"):
        read(text)


def test_a_file_that_is_not_utf8_is_refused():
    binary = io.BytesIO("ref,ours,amount,when,state\nP1,é,1,2025-03-14,OK\n".encode("latin-1"))
    with pytest.raises(StatementError, match="not UTF-8"):
        list(read_statement(binary, FORMAT))


def test_a_missing_file_is_a_statement_error(tmp_path):
    with pytest.raises(StatementError, match="cannot open"):
        list(read_statement(tmp_path / "nope.csv", FORMAT))
