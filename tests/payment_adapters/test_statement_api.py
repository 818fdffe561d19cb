"""Statements pulled through the providers' APIs: FedaPay's transaction search page by
page, PayGate's statuses asked again, with bounded timeouts and retries, progress as
entries arrive, and a clear stop when the provider cannot answer."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from payment_adapters import (ProviderRefused, ProviderUnavailable, StatementError,
                              StatementStatus, build_adapter)

from .stubs import payload
from .test_statement_golden import ADAPTER_SETTINGS

MARCH = (datetime(2025, 3, 1, tzinfo=timezone.utc), datetime(2025, 4, 1, tzinfo=timezone.utc))
GOLDEN = Path(__file__).parent / "statements"
FEDAPAY_PAGES = [json.loads((GOLDEN / f"fedapay_api/good_month/page_{n}.json").read_text())
                 for n in (1, 2)]


def adapter(provider: str, url: str, **settings):
    slept: list[float] = []
    built = build_adapter(provider, {**ADAPTER_SETTINGS[provider],
                                     f"AMU_{provider.upper()}_BASE_URL": url, **settings})
    built.statement_retry = dataclasses.replace(built.statement_retry, sleep=slept.append)
    return built, slept


def transaction(**fields) -> dict:
    return {**FEDAPAY_PAGES[0]["v1/transactions"][0], **fields}


# -- FedaPay ------------------------------------------------------------------------

def test_fedapay_is_paged_through_with_the_sdks_parameters(stub):
    for page in FEDAPAY_PAGES:
        stub.answer("GET", "/v1/transactions/search", json_body=page)
    fedapay, _ = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_PAGE_SIZE="4")
    arrived: list[int] = []

    lines = list(fedapay.fetch_statement(*MARCH, progress=arrived.append))

    assert [seen.query for seen in stub.seen] == [
        {"search": "*", "page": "1", "per_page": "4"},
        {"search": "*", "page": "2", "per_page": "4"}]
    assert all(seen.headers["Authorization"] == "Bearer sk_test_not_real" for seen in stub.seen)
    assert arrived == [3, 4]  # entries received, page by page (one of them is February's)
    assert [line.provider_reference for line in lines] == [
        "104301", "104302", "104303", "104304", "104306", "104307"]


def test_fedapays_documented_search_answer_becomes_a_line(stub):
    stub.answer("GET", "/v1/transactions/search", json_body=payload("fedapay/transactions_search.json"))
    fedapay, _ = adapter("fedapay", stub.url)

    [line] = fedapay.fetch_statement(*MARCH)

    assert (line.provider_reference, line.reference, line.amount, line.fee, line.network,
            line.status, line.line_number) == ("104301", "AMU0K4M7Q2X9B", 5000, 75, "yas",
                                               StatementStatus.SUCCEEDED, 1)
    assert line.occurred_at == datetime(2025, 3, 3, 8, 14, 40, tzinfo=timezone.utc)
    assert line.raw["transferred_at"] == "2025-03-04T06:00:00.000Z"  # kept, not a payout line


@pytest.mark.parametrize("fields, fee", [
    # FedaPay's `commission` is a rate ("0.018"), never francs; `fees` are francs, paid on
    # top by the payer (amount_debited = amount + fees) or kept from our amount.
    ({"status": "approved", "commission": "0.018", "fees": 90, "amount_debited": 5000,
      "amount_transferred": 4910}, 90),
    ({"status": "approved", "commission": "0.018", "fees": 90, "amount_debited": 5090,
      "amount_transferred": 5000}, 0),
    ({"status": "approved", "commission": "0.018", "fees": 90, "amount_debited": 5000,
      "amount_transferred": None}, 90),
    ({"status": "approved", "commission": "0.018", "fees": 90, "amount_debited": 5090,
      "amount_transferred": None}, 0),
    ({"status": "declined", "commission": "0.018", "fees": 90, "amount_transferred": None}, 0),
    ({"status": "pending", "commission": "0.018", "fees": None, "amount_transferred": None}, 0),
])
def test_fedapays_fee_is_what_it_kept_of_the_amount_in_francs(stub, fields, fee):
    stub.answer("GET", "/v1/transactions/search",
                json_body={"v1/transactions": [transaction(**fields)], "meta": {"next_page": None}})
    fedapay, _ = adapter("fedapay", stub.url)
    [line] = fedapay.fetch_statement(*MARCH)
    assert (line.amount, line.fee) == (5000, fee)


def test_fedapays_fee_unknown_for_money_taken_is_refused_not_guessed(stub):
    unknown = transaction(status="approved", fees=90, amount_debited=None, amount_transferred=None)
    stub.answer("GET", "/v1/transactions/search",
                json_body={"v1/transactions": [unknown], "meta": {"next_page": None}})
    fedapay, _ = adapter("fedapay", stub.url)
    with pytest.raises(StatementError, match="^entry 1: .*amount_debited"):
        list(fedapay.fetch_statement(*MARCH))


def test_fedapay_answering_a_bare_list_is_paged_until_a_short_page(stub):
    first = [transaction(id=n) for n in (1, 2)]
    stub.answer("GET", "/v1/transactions/search", json_body=first)
    stub.answer("GET", "/v1/transactions/search", json_body=[transaction(id=3)])
    fedapay, _ = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_PAGE_SIZE="2")

    assert [l.provider_reference for l in fedapay.fetch_statement(*MARCH)] == ["1", "2", "3"]
    assert len(stub.seen) == 2


def test_fedapay_paging_that_does_not_advance_is_a_fault_not_an_endless_pull(stub):
    stub.answer("GET", "/v1/transactions/search",
                json_body={"v1/transactions": [transaction()], "meta": {"next_page": 1}})
    fedapay, _ = adapter("fedapay", stub.url)
    with pytest.raises(ProviderUnavailable, match="paging does not advance"):
        list(fedapay.fetch_statement(*MARCH))


def test_fedapay_unavailable_is_retried_with_a_doubling_backoff(stub):
    stub.answer("GET", "/v1/transactions/search", 503, {"message": "busy"})
    stub.answer("GET", "/v1/transactions/search", 502, {"message": "busy"})
    stub.answer("GET", "/v1/transactions/search", json_body=FEDAPAY_PAGES[1] | {"meta": {}})
    fedapay, slept = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_BACKOFF="0.5")

    assert len(list(fedapay.fetch_statement(*MARCH))) == 3
    assert slept == [0.5, 1.0]


def test_fedapay_still_unavailable_stops_the_pull(stub):
    stub.answer("GET", "/v1/transactions/search", 503, {"message": "busy"})
    fedapay, slept = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_ATTEMPTS="3")
    with pytest.raises(ProviderUnavailable, match="answered HTTP 503"):
        list(fedapay.fetch_statement(*MARCH))
    assert len(stub.seen) == 3 and slept == [1.0, 2.0]


def test_fedapay_unavailable_midway_says_how_far_the_pull_got(stub):
    stub.answer("GET", "/v1/transactions/search", json_body=FEDAPAY_PAGES[0])
    stub.answer("GET", "/v1/transactions/search", 503, {"message": "busy"})
    fedapay, _ = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_ATTEMPTS="2")
    with pytest.raises(ProviderUnavailable) as error:
        list(fedapay.fetch_statement(*MARCH))
    assert str(error.value).startswith("fedapay: the statement stopped at page 2, after 3 entries")
    assert "answered HTTP 503" in str(error.value) and "pull again later" in str(error.value)


def test_many_attempts_wait_at_most_a_minute_between_two(closed_port_url):
    fedapay, slept = adapter("fedapay", closed_port_url, AMU_FEDAPAY_STATEMENT_ATTEMPTS="12")
    with pytest.raises(ProviderUnavailable):
        list(fedapay.fetch_statement(*MARCH))
    assert slept == [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0, 60.0, 60.0]


def test_fedapay_too_slow_is_cut_by_the_timeout_then_retried(stub):
    stub.answer("GET", "/v1/transactions/search", json_body=FEDAPAY_PAGES[1], delay=0.5)
    fedapay, _ = adapter("fedapay", stub.url, AMU_FEDAPAY_READ_TIMEOUT="0.1",
                         AMU_FEDAPAY_STATEMENT_ATTEMPTS="2")
    with pytest.raises(ProviderUnavailable, match="timed out"):
        list(fedapay.fetch_statement(*MARCH))
    assert len(stub.seen) == 2


def test_fedapay_refusing_the_key_is_not_retried(stub):
    stub.answer("GET", "/v1/transactions/search", 401, payload("fedapay/auth_error.json"))
    fedapay, slept = adapter("fedapay", stub.url)
    with pytest.raises(ProviderRefused):
        list(fedapay.fetch_statement(*MARCH))
    assert len(stub.seen) == 1 and slept == []


@pytest.mark.parametrize("fields, problem", [
    ({"amount": 2500.5}, "column 'amount': fractional"),
    ({"amount": -2500}, "negative amount"),
    ({"status": "on_hold"}, "unknown FedaPay status 'on_hold'"),
    ({"approved_at": "yesterday"}, "approved_at: unreadable date 'yesterday'"),
    ({"approved_at": None, "created_at": None}, "no date"),
    ({"amount_transferred": 6000}, "amount_transferred 6000 is more than the amount 5000"),
])
def test_a_fedapay_entry_that_cannot_be_read_names_its_position(stub, fields, problem):
    entries = [transaction(id=1), transaction(id=2, **fields)]
    stub.answer("GET", "/v1/transactions/search",
                text=json.dumps({"v1/transactions": entries, "meta": {"next_page": None}}))
    fedapay, _ = adapter("fedapay", stub.url)
    with pytest.raises(StatementError, match=f"^entry 2: .*{problem}"):
        list(fedapay.fetch_statement(*MARCH))


def test_an_unreadable_page_is_the_provider_being_unavailable(stub):
    stub.answer("GET", "/v1/transactions/search", text="<html>maintenance</html>")
    fedapay, _ = adapter("fedapay", stub.url, AMU_FEDAPAY_STATEMENT_ATTEMPTS="1")
    with pytest.raises(ProviderUnavailable, match="unreadable answer to statement page 1"):
        list(fedapay.fetch_statement(*MARCH))


def test_a_window_must_be_aware_and_not_empty():
    fedapay, _ = adapter("fedapay", "http://127.0.0.1:9")
    with pytest.raises(ValueError, match="aware datetime"):
        fedapay.fetch_statement(datetime(2025, 3, 1), MARCH[1])
    with pytest.raises(ValueError, match="window is empty"):
        fedapay.fetch_statement(MARCH[1], MARCH[0])


# -- PayGate ------------------------------------------------------------------------

def test_only_paygate_needs_references_for_its_statement():
    assert build_adapter("paygate", ADAPTER_SETTINGS["paygate"]).statement_needs_references
    assert not build_adapter("fedapay", ADAPTER_SETTINGS["fedapay"]).statement_needs_references
    assert not build_adapter("fake", ADAPTER_SETTINGS["fake"]).statement_needs_references


def test_paygate_is_asked_again_for_each_reference_by_our_identifier(stub):
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_paid.json"))
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_not_found.json"))
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_cancelled.json"))
    paygate, _ = adapter("paygate", stub.url)
    asked: list[int] = []

    lines = list(paygate.fetch_statement(*MARCH, references=["AMU-1", "AMU-2", "AMU-3"],
                                         progress=asked.append))

    assert [seen.json for seen in stub.seen] == [
        {"auth_token": "test-token-not-real", "identifier": ref} for ref in ("AMU-1", "AMU-2", "AMU-3")]
    assert asked == [1, 1, 1]
    assert [(l.line_number, l.reference, l.status, l.operator_reference, l.network)
            for l in lines] == [
        (1, "AMU-1", StatementStatus.SUCCEEDED, "FLZ-REF-NOT-REAL-01", "moov"),
        (3, "AMU-3", StatementStatus.FAILED, None, "moov")]


def test_paygate_without_references_gives_an_empty_statement(stub):
    paygate, _ = adapter("paygate", stub.url)
    assert list(paygate.fetch_statement(*MARCH)) == [] and stub.seen == []


def test_paygate_unavailable_is_retried_then_says_how_far_it_got(stub):
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_paid.json"))
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_paid.json"))
    stub.answer("POST", "/api/v2/status", 503, {"message": "maintenance"})
    paygate, slept = adapter("paygate", stub.url, AMU_PAYGATE_STATEMENT_ATTEMPTS="3")

    with pytest.raises(ProviderUnavailable) as error:
        list(paygate.fetch_statement(*MARCH, references=[f"AMU-{n}" for n in range(1, 6)]))

    assert str(error.value).startswith(
        "paygate: status checks stopped after 2 of 5 references, at AMU-3")
    assert len(stub.seen) == 5 and slept == [1.0, 2.0]


def test_paygate_unavailable_once_is_retried_and_the_pull_goes_on(stub):
    stub.answer("POST", "/api/v2/status", 503, {"message": "maintenance"})
    stub.answer("POST", "/api/v2/status", json_body=payload("paygate/status_pending.json"))
    paygate, slept = adapter("paygate", stub.url)
    [line] = paygate.fetch_statement(*MARCH, references=["AMU-1"])
    assert line.status is StatementStatus.PENDING and slept == [1.0]


@pytest.mark.parametrize("change, problem", [
    ({"amount": None}, "gives no amount"),
    ({"datetime": "soon"}, "no readable datetime"),
])
def test_a_paygate_answer_that_cannot_make_a_line_names_its_reference(stub, change, problem):
    stub.answer("POST", "/api/v2/status", json_body={**payload("paygate/status_paid.json"), **change})
    paygate, _ = adapter("paygate", stub.url)
    with pytest.raises(StatementError, match=f"^entry 1: AMU-1: .*{problem}"):
        list(paygate.fetch_statement(*MARCH, references=["AMU-1"]))
