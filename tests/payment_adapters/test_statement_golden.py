"""Every statement source against its golden files (tests/payment_adapters/statements/
<source>/<case>/): a good month per source, and each kind of bad file refused whole
with the line named. Rewrite the expected files with AMU_REGEN_GOLDEN=1 and review the diff."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from payment_adapters import StatementError, build_adapter

from .golden import cases, check
from .stubs import StubProvider

ADAPTER_SETTINGS = {
    "fake": {"AMU_FAKE_BASE_URL": "http://127.0.0.1:9"},
    "fedapay": {"AMU_FEDAPAY_SECRET_KEY": "sk_test_not_real",
                "AMU_FEDAPAY_WEBHOOK_SECRET": "wh_test_not_real"},
    "paygate": {"AMU_PAYGATE_AUTH_TOKEN": "test-token-not-real"},
}
FILE_SOURCES = ("fake_csv", "fedapay_csv", "fedapay_xlsx", "paygate_csv", "paygate_xlsx")
API_SOURCES = ("fake_api", "fedapay_api", "paygate_api")


def adapter_for(source: str, base_url: str | None = None):
    provider = source.split("_")[0]
    settings = dict(ADAPTER_SETTINGS[provider])
    if base_url:
        settings[f"AMU_{provider.upper()}_BASE_URL"] = base_url
    settings[f"AMU_{provider.upper()}_STATEMENT_BACKOFF"] = "0"
    return build_adapter(provider, settings)


def _ids(paths: list[Path]) -> list[str]:
    return [f"{path.parent.name}/{path.name}" for path in paths]


FILE_CASES = [case for source in FILE_SOURCES for case in cases(source)]
API_CASES = [case for source in API_SOURCES for case in cases(source)]


@pytest.mark.parametrize("case", FILE_CASES, ids=_ids(FILE_CASES))
def test_a_statement_file_gives_its_golden_lines_or_refusal(case: Path):
    [source_file] = case.glob("statement.*")
    adapter = adapter_for(case.parent.name)
    lines, error = None, None
    try:
        lines = list(adapter.import_statement(source_file))
    except StatementError as exc:
        error = str(exc)
    check(case, lines, error)


@pytest.mark.parametrize("case", API_CASES, ids=_ids(API_CASES))
def test_an_api_statement_gives_its_golden_lines(case: Path):
    request = json.loads((case / "request.json").read_text())
    stub = StubProvider()
    try:
        provider = case.parent.name.split("_")[0]
        if provider == "paygate":
            for answer in json.loads((case / "answers.json").read_text()):
                stub.answer("POST", "/api/v2/status", json_body=answer)
        else:
            path = "/v1/transactions/search" if provider == "fedapay" else "/v1/statement"
            for page in sorted(case.glob("page_*.json")):
                stub.answer("GET", path, json_body=json.loads(page.read_text()))
        adapter = adapter_for(case.parent.name, stub.url)
        lines = list(adapter.fetch_statement(datetime.fromisoformat(request["start"]),
                                             datetime.fromisoformat(request["end"]),
                                             references=request.get("references", ())))
    finally:
        stub.stop()
    check(case, lines, None)


def test_the_xlsx_good_month_says_what_the_csv_good_month_says():
    for provider in ("fedapay", "paygate"):
        read = adapter_for(f"{provider}_csv").import_statement
        base = Path(__file__).parent / "statements"
        from_csv = list(read(base / f"{provider}_csv/good_month/statement.csv"))
        from_xlsx = list(read(base / f"{provider}_xlsx/good_month/statement.xlsx"))
        assert from_xlsx == from_csv and len(from_csv) >= 9


def test_every_file_source_has_a_good_month_and_every_bad_file():
    wanted = {"good_month", "empty_file", "wrong_header", "missing_header", "amount_fraction",
              "amount_negative", "amount_zero", "amount_above_bigint",
              "amount_thousands_of_digits", "unreadable_date", "wrong_field_count"}
    for source in ("fake_csv", "fedapay_csv", "paygate_csv"):
        assert {case.name for case in cases(source)} == wanted
    for source in ("fedapay_xlsx", "paygate_xlsx"):
        assert {case.name for case in cases(source)} == {"good_month", "truncated"}
