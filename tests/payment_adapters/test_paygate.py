"""PayGate Global against its recorded payloads, served from 127.0.0.1."""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from payment_adapters import (CallbackRejected, DuplicateReference, InboundCallback,
                              PaymentStatus, ProviderRefused, ProviderUnavailable,
                              build_adapter)

from .stubs import collection_request, payload, payload_bytes

TOKEN = "test-token-not-real"


def paygate(base_url: str, **extra: str):
    return build_adapter("paygate", {"AMU_PAYGATE_AUTH_TOKEN": TOKEN,
                                     "AMU_PAYGATE_BASE_URL": base_url, **extra})


# -- initiate -----------------------------------------------------------------------

@pytest.mark.parametrize("network, code", [("yas", "TMONEY"), ("moov", "FLOOZ")])
def test_a_registered_payment_is_pending_under_paygates_tx_reference(stub, network, code):
    stub.answer("POST", "/api/v1/pay", 200, payload("paygate/pay_registered.json"))

    result = paygate(stub.url).initiate(collection_request(network=network))

    assert result.status is PaymentStatus.PENDING
    assert result.provider_reference == "PGT-000245198"
    assert result.reference == "AMU-PAY-000123"
    assert stub.seen[0].json == {
        "auth_token": TOKEN, "phone_number": "90000001", "amount": 2500,
        "description": "Cotisation AMU", "identifier": "AMU-PAY-000123", "network": code,
    }


@pytest.mark.parametrize("fixture, code", [
    ("pay_invalid_token.json", "2"),
    ("pay_invalid_parameters.json", "4"),
])
def test_a_refused_payment_request_says_why(stub, fixture, code):
    stub.answer("POST", "/api/v1/pay", 200, payload(f"paygate/{fixture}"))

    with pytest.raises(ProviderRefused) as refused:
        paygate(stub.url).initiate(collection_request())

    assert refused.value.code == code
    assert not isinstance(refused.value, DuplicateReference)


def test_a_duplicate_identifier_is_reported_as_such(stub):
    stub.answer("POST", "/api/v1/pay", 200, payload("paygate/pay_duplicate.json"))

    with pytest.raises(DuplicateReference) as duplicate:
        paygate(stub.url).initiate(collection_request())

    assert duplicate.value.code == "6"


def test_a_slow_provider_times_out_as_unavailable(stub):
    stub.answer("POST", "/api/v1/pay", 200, payload("paygate/pay_registered.json"), delay=0.5)
    adapter = paygate(stub.url, AMU_PAYGATE_READ_TIMEOUT="0.1")

    started = time.monotonic()
    with pytest.raises(ProviderUnavailable, match="timed out"):
        adapter.initiate(collection_request())
    assert time.monotonic() - started < 0.45


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_unavailable(stub, status):
    stub.answer("POST", "/api/v1/pay", status, {"error": "boom"})

    with pytest.raises(ProviderUnavailable, match=str(status)):
        paygate(stub.url).initiate(collection_request())


def test_an_unreachable_provider_is_unavailable(closed_port_url):
    with pytest.raises(ProviderUnavailable, match="failed"):
        paygate(closed_port_url).initiate(collection_request())


def test_an_unreadable_answer_is_unavailable_not_refused(stub):
    stub.answer("POST", "/api/v1/pay", 200, text="<html>maintenance</html>")

    with pytest.raises(ProviderUnavailable, match="unexpected answer"):
        paygate(stub.url).initiate(collection_request())


# -- callbacks ----------------------------------------------------------------------

def test_a_callback_is_read_but_only_as_a_hint():
    callback = InboundCallback(headers={"Content-Type": "application/json"},
                               body=payload_bytes("paygate/callback_paid.json"))

    event = paygate("http://127.0.0.1:9").parse_callback(callback)

    assert event.authenticated is False
    assert event.status is PaymentStatus.SUCCEEDED
    assert event.reference == "AMU-PAY-000123"
    assert event.provider_reference == "PGT-000245198"
    assert event.amount == 2500
    assert event.phone == "+22890000001"
    assert event.network == "yas"
    assert event.occurred_at == datetime(2025, 3, 14, 10, 21, 7, tzinfo=timezone.utc)


def test_a_form_encoded_callback_is_read_too():
    body = b"tx_reference=PGT-1&identifier=AMU-PAY-9&amount=1000&payment_method=FLOOZ"
    callback = InboundCallback(
        headers={"content-type": "application/x-www-form-urlencoded"}, body=body)

    event = paygate("http://127.0.0.1:9").parse_callback(callback)

    assert (event.reference, event.amount, event.network) == ("AMU-PAY-9", 1000, "moov")


@pytest.mark.parametrize("body, reason", [
    (b"not json at all", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (json.dumps({"amount": 2500}).encode(), "neither identifier nor tx_reference"),
    (json.dumps({"identifier": "AMU-PAY-1", "amount": "2500.5"}).encode(), "fractional"),
    (b'{"identifier": "AMU-PAY-1", "amount": 1000.00000000000000001}', "fractional"),
    (json.dumps({"identifier": "AMU-PAY-1", "amount": -100}).encode(), "positive"),
    (json.dumps({"identifier": "AMU-PAY-1", "amount": "0"}).encode(), "positive"),
])
def test_a_malformed_callback_is_rejected(body, reason):
    callback = InboundCallback(headers={"Content-Type": "application/json"}, body=body)

    with pytest.raises(CallbackRejected, match=reason):
        paygate("http://127.0.0.1:9").parse_callback(callback)


def test_a_form_encoded_callback_with_a_negative_amount_is_rejected():
    callback = InboundCallback(headers={"content-type": "application/x-www-form-urlencoded"},
                               body=b"tx_reference=PGT-1&identifier=AMU-PAY-9&amount=-1000")

    with pytest.raises(CallbackRejected, match="positive"):
        paygate("http://127.0.0.1:9").parse_callback(callback)


@pytest.mark.parametrize("method, network", [
    ("TMONEY", "yas"), ("t-money", "yas"), ("Flooz", "moov"), ("MTN", None), ("", None),
])
def test_the_callbacks_payment_method_names_the_network(method, network):
    body = json.dumps({"identifier": "AMU-PAY-1", "amount": 1000, "payment_method": method})
    callback = InboundCallback(headers={"Content-Type": "application/json"}, body=body.encode())

    assert paygate("http://127.0.0.1:9").parse_callback(callback).network == network


# -- status -------------------------------------------------------------------------

@pytest.mark.parametrize("fixture, expected", [
    ("status_paid.json", PaymentStatus.SUCCEEDED),  # 0 paiement réussi
    ("status_pending.json", PaymentStatus.PENDING),  # 2 en cours
    ("status_expired.json", PaymentStatus.FAILED),  # 4 expiré
    ("status_cancelled.json", PaymentStatus.FAILED),  # 6 annulé
])
def test_every_documented_payment_status_is_mapped(stub, fixture, expected):
    stub.answer("POST", "/api/v2/status", 200, payload(f"paygate/{fixture}"))

    result = paygate(stub.url).fetch_status("AMU-PAY-000123")

    assert result.status is expected
    assert result.provider_reference == "PGT-000245198"
    assert result.amount == 2500
    assert stub.seen[0].json == {"auth_token": TOKEN, "identifier": "AMU-PAY-000123"}


def test_status_by_paygates_own_reference_uses_the_v1_endpoint(stub):
    stub.answer("POST", "/api/v1/status", 200, payload("paygate/status_v1_paid.json"))

    result = paygate(stub.url).fetch_status(None, "PGT-000245198")

    assert result.status is PaymentStatus.SUCCEEDED
    assert result.reference == "AMU-PAY-000123"
    assert stub.seen[0].json == {"auth_token": TOKEN, "tx_reference": "PGT-000245198"}


def test_an_unknown_transaction_is_unknown_not_failed(stub):
    stub.answer("POST", "/api/v2/status", 200, payload("paygate/status_not_found.json"))

    result = paygate(stub.url).fetch_status("AMU-PAY-404")

    assert result.status is PaymentStatus.UNKNOWN
    assert result.amount is None


def test_an_undocumented_status_code_is_not_guessed(stub):
    stub.answer("POST", "/api/v2/status", 200, {"tx_reference": "PGT-1", "status": 9})

    with pytest.raises(ProviderUnavailable, match="unexpected answer"):
        paygate(stub.url).fetch_status("AMU-PAY-000123")


@pytest.mark.parametrize("amount, reason", [
    ("0", "positive"), ("-2500", "positive"), ("2500.00000000000000001", "fractional"),
])
def test_a_status_answer_with_a_bad_amount_is_unavailable(stub, amount, reason):
    # raw JSON text: json.dumps would round 2500.00000000000000001 to 2500.0
    stub.answer("POST", "/api/v2/status", 200,
                text=f'{{"tx_reference": "PGT-1", "status": 0, "amount": {amount}}}')

    with pytest.raises(ProviderUnavailable, match=f"paygate: status answer has .*{reason}"):
        paygate(stub.url).fetch_status("AMU-PAY-000123")


def test_a_status_answer_without_an_amount_has_none(stub):
    stub.answer("POST", "/api/v2/status", 200, {"tx_reference": "PGT-1", "status": 2})

    assert paygate(stub.url).fetch_status("AMU-PAY-000123").amount is None


@pytest.mark.parametrize("answer", [
    {"text": "<html>Forbidden</html>"},
    {"json_body": {"message": "Accès refusé"}},
])
def test_a_4xx_answer_is_refused_not_unavailable(stub, answer):
    stub.answer("POST", "/api/v1/pay", 403, **answer)

    with pytest.raises(ProviderRefused) as refused:
        paygate(stub.url).initiate(collection_request())

    assert (refused.value.code, refused.value.http_status) == ("http_403", 403)
    assert refused.value.message in ("<html>Forbidden</html>", "Accès refusé")


def test_a_status_request_that_times_out_is_unavailable(stub):
    stub.answer("POST", "/api/v2/status", 200, payload("paygate/status_paid.json"), delay=0.5)

    with pytest.raises(ProviderUnavailable):
        paygate(stub.url, AMU_PAYGATE_READ_TIMEOUT="0.1").fetch_status("AMU-PAY-000123")


def test_default_timeouts_and_base_url():
    adapter = paygate("https://paygateglobal.com")
    overridden = paygate("https://paygateglobal.com", AMU_HTTP_CONNECT_TIMEOUT="2",
                         AMU_PAYGATE_READ_TIMEOUT="7")

    assert adapter.http.timeout == (5.0, 15.0)
    assert overridden.http.timeout == (2.0, 7.0)
    assert build_adapter("paygate", {"AMU_PAYGATE_AUTH_TOKEN": TOKEN}).http.base_url == \
        "https://paygateglobal.com"
