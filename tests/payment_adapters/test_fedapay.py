"""FedaPay against its recorded payloads, served from 127.0.0.1."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timezone

import pytest

from payment_adapters import (CallbackIgnored, CallbackRejected, InboundCallback,
                              PaymentStatus, ProviderRefused, ProviderUnavailable,
                              build_adapter)
from payment_adapters.fedapay import TRANSACTION_STATUSES
from payment_adapters.signing import signature_header

from .stubs import collection_request, payload, payload_bytes

SECRET_KEY = "sk_sandbox_test-secret-not-real"
WEBHOOK_SECRET = "wh_sandbox_test-webhook-secret-not-real"
NOW = 1_741_947_750  # 2025-03-14T10:22:30Z, when the recorded approval was sent


def fedapay(base_url: str = "http://127.0.0.1:9", now: float = NOW, **extra: str):
    settings = {"AMU_FEDAPAY_SECRET_KEY": SECRET_KEY,
                "AMU_FEDAPAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "AMU_FEDAPAY_BASE_URL": base_url, **extra}
    return build_adapter("fedapay", settings, clock=lambda: now)


def answer_collection_flow(stub, mode: str = "togocel") -> None:
    stub.answer("POST", "/v1/transactions", 201, payload("fedapay/transaction_created.json"))
    stub.answer("POST", "/v1/transactions/104101/token", 200, payload("fedapay/token.json"))
    stub.answer("POST", f"/v1/{mode}", 200, payload("fedapay/send_now.json"))


def signed(body: bytes, *, secret: str = WEBHOOK_SECRET, at: int = NOW) -> InboundCallback:
    return InboundCallback(headers={"Content-Type": "application/json",
                                    "X-FEDAPAY-SIGNATURE": signature_header(secret, body, at)},
                           body=body)


# -- initiate -----------------------------------------------------------------------

@pytest.mark.parametrize("network, mode", [("yas", "togocel"), ("moov", "moov_tg")])
def test_a_collection_creates_a_transaction_then_pushes_to_the_wallet(stub, network, mode):
    answer_collection_flow(stub, mode)

    result = fedapay(stub.url).initiate(collection_request(network=network))

    assert result.status is PaymentStatus.PENDING
    assert result.provider_reference == "104101"
    assert [(s.method, s.path) for s in stub.seen] == [
        ("POST", "/v1/transactions"),
        ("POST", "/v1/transactions/104101/token"),
        ("POST", f"/v1/{mode}"),
    ]
    created = stub.seen[0].json
    assert created["amount"] == 2500
    assert created["currency"] == {"iso": "XOF"}
    assert created["custom_metadata"] == {"reference": "AMU-PAY-000123"}
    assert stub.seen[2].json == {"token": "tok-not-real-0001",
                                 "phone_number": {"number": "90000001", "country": "tg"}}
    assert all(s.headers["Authorization"] == f"Bearer {SECRET_KEY}" for s in stub.seen)


def test_a_bad_api_key_is_refused(stub):
    stub.answer("POST", "/v1/transactions", 401, payload("fedapay/auth_error.json"))

    with pytest.raises(ProviderRefused) as refused:
        fedapay(stub.url).initiate(collection_request())

    assert refused.value.code == "http_401"
    assert "authentification" in refused.value.message
    assert refused.value.provider_reference is None


def test_an_invalid_request_is_refused_with_the_field_errors(stub):
    stub.answer("POST", "/v1/transactions", 422, payload("fedapay/validation_error.json"))

    with pytest.raises(ProviderRefused, match="amount") as refused:
        fedapay(stub.url).initiate(collection_request())

    assert refused.value.http_status == 422


def test_a_push_failure_after_creation_keeps_the_transaction_id(stub):
    stub.answer("POST", "/v1/transactions", 201, payload("fedapay/transaction_created.json"))
    stub.answer("POST", "/v1/transactions/104101/token", 200, payload("fedapay/token.json"))
    stub.answer("POST", "/v1/togocel", 503, {"message": "Service indisponible"})

    with pytest.raises(ProviderUnavailable) as unavailable:
        fedapay(stub.url).initiate(collection_request())

    assert unavailable.value.provider_reference == "104101"


def test_a_slow_creation_times_out_as_unavailable(stub):
    stub.answer("POST", "/v1/transactions", 201, payload("fedapay/transaction_created.json"),
                delay=0.5)

    with pytest.raises(ProviderUnavailable, match="timed out"):
        fedapay(stub.url, AMU_FEDAPAY_READ_TIMEOUT="0.1").initiate(collection_request())


def test_a_server_error_at_creation_is_unavailable(stub):
    stub.answer("POST", "/v1/transactions", 500, {"message": "Erreur serveur"})

    with pytest.raises(ProviderUnavailable, match="500"):
        fedapay(stub.url).initiate(collection_request())


# -- webhooks -----------------------------------------------------------------------

def test_a_signed_approval_is_authenticated():
    body = payload_bytes("fedapay/webhook_transaction_approved.json")

    event = fedapay().parse_callback(signed(body))

    assert event.authenticated is True
    assert event.status is PaymentStatus.SUCCEEDED
    assert event.reference == "AMU-PAY-000123"
    assert event.provider_reference == "104101"
    assert event.amount == 2500
    assert event.phone == "+22890000001"
    assert event.network == "yas"
    assert event.occurred_at == datetime(2025, 3, 14, 10, 22, 30, tzinfo=timezone.utc)


def test_a_signed_decline_is_a_failure():
    body = payload_bytes("fedapay/webhook_transaction_declined.json")

    event = fedapay().parse_callback(signed(body))

    assert (event.status, event.reference, event.network) == (
        PaymentStatus.FAILED, "AMU-PAY-000124", "moov")


def test_a_signature_made_with_another_secret_is_rejected():
    body = payload_bytes("fedapay/webhook_transaction_approved.json")

    with pytest.raises(CallbackRejected, match="bad signature"):
        fedapay().parse_callback(signed(body, secret="wh_someone_else"))


def test_a_tampered_body_is_rejected():
    body = payload_bytes("fedapay/webhook_transaction_approved.json")
    callback = signed(body)
    tampered = InboundCallback(headers=callback.headers, body=body.replace(b"2500", b"25000"))

    with pytest.raises(CallbackRejected, match="bad signature"):
        fedapay().parse_callback(tampered)


@pytest.mark.parametrize("age", [301, -301])
def test_a_signature_outside_the_tolerance_is_stale(age):
    body = payload_bytes("fedapay/webhook_transaction_approved.json")

    with pytest.raises(CallbackRejected, match="stale"):
        fedapay().parse_callback(signed(body, at=NOW - age))


def test_a_signature_inside_the_tolerance_is_accepted():
    body = payload_bytes("fedapay/webhook_transaction_approved.json")

    assert fedapay().parse_callback(signed(body, at=NOW - 299)).authenticated


def test_the_tolerance_is_a_setting():
    body = payload_bytes("fedapay/webhook_transaction_approved.json")
    adapter = fedapay(AMU_FEDAPAY_SIGNATURE_TOLERANCE="30")

    with pytest.raises(CallbackRejected, match="stale"):
        adapter.parse_callback(signed(body, at=NOW - 31))


@pytest.mark.parametrize("header, reason", [
    (None, "missing signature header"),
    ("garbage", "malformed signature header"),
    ("t=abc,s=00", "malformed signature header"),
    (f"t={NOW}", "malformed signature header"),
    ("t=\u00b2,s=00", "malformed signature header"),
    (f"t={NOW},s=\u00e9", "malformed signature header"),
])
def test_a_missing_or_malformed_signature_header_is_rejected(header, reason):
    headers = {} if header is None else {"x-fedapay-signature": header}
    callback = InboundCallback(headers=headers,
                               body=payload_bytes("fedapay/webhook_transaction_approved.json"))

    with pytest.raises(CallbackRejected, match=reason):
        fedapay().parse_callback(callback)


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "not JSON"),
    (json.dumps({"name": "transaction.approved"}).encode(), "without a transaction entity"),
    (json.dumps({"name": "transaction.approved",
                 "entity": {"id": 1, "status": "approved", "amount": 99.5}}).encode(),
     "fractional"),
    (b'{"name": "transaction.approved", "entity": {"id": 1, "status": "approved", '
     b'"amount": 1000.00000000000000001}}', "fractional"),
    (json.dumps({"name": "transaction.approved",
                 "entity": {"id": 1, "status": "approved", "amount": -100}}).encode(),
     "positive"),
    (json.dumps({"name": "transaction.approved",
                 "entity": {"id": 1, "status": "approved", "amount": 0}}).encode(),
     "positive"),
])
def test_a_well_signed_but_malformed_event_is_rejected(body, reason):
    with pytest.raises(CallbackRejected, match=reason):
        fedapay().parse_callback(signed(body))


def test_an_event_about_something_else_is_ignored():
    body = payload_bytes("fedapay/webhook_customer_created.json")

    with pytest.raises(CallbackIgnored, match="customer.created"):
        fedapay().parse_callback(signed(body))


# -- status -------------------------------------------------------------------------

@pytest.mark.parametrize("fedapay_status, expected", sorted(TRANSACTION_STATUSES.items()))
def test_every_transaction_status_is_mapped(stub, fedapay_status, expected):
    recorded = copy.deepcopy(payload("fedapay/transaction.json"))
    recorded["v1/transaction"]["status"] = fedapay_status
    stub.answer("GET", "/v1/transactions/104101", 200, recorded)

    result = fedapay(stub.url).fetch_status("AMU-PAY-000123", "104101")

    assert result.status is expected
    assert (result.reference, result.provider_reference, result.amount) == (
        "AMU-PAY-000123", "104101", 2500)


def test_the_expected_statuses_are_the_documented_ones():
    assert {s: v.value for s, v in TRANSACTION_STATUSES.items()} == {
        "pending": "pending", "approved": "succeeded", "transferred": "succeeded",
        "refunded": "succeeded", "approved_partially_refunded": "succeeded",
        "transferred_partially_refunded": "succeeded", "declined": "failed",
        "canceled": "failed",
    }


def test_an_unknown_transaction_is_unknown(stub):
    stub.answer("GET", "/v1/transactions/999", 404, {"message": "Transaction introuvable"})

    assert fedapay(stub.url).fetch_status("AMU-PAY-1", "999").status is PaymentStatus.UNKNOWN


def test_an_undocumented_transaction_status_is_not_guessed(stub):
    recorded = copy.deepcopy(payload("fedapay/transaction.json"))
    recorded["v1/transaction"]["status"] = "mystery"
    stub.answer("GET", "/v1/transactions/104101", 200, recorded)

    with pytest.raises(ProviderUnavailable, match="mystery"):
        fedapay(stub.url).fetch_status("AMU-PAY-000123", "104101")


@pytest.mark.parametrize("amount, reason", [
    ("-2500", "positive"), ("0", "positive"), ("1000.00000000000000001", "fractional"),
])
def test_a_status_answer_with_a_bad_amount_is_unavailable(stub, amount, reason):
    recorded = json.dumps(payload("fedapay/transaction.json"))
    assert '"amount": 2500' in recorded
    # raw JSON text: json.dumps would round 1000.00000000000000001 to 1000.0
    stub.answer("GET", "/v1/transactions/104101", 200,
                text=recorded.replace('"amount": 2500', f'"amount": {amount}'))

    with pytest.raises(ProviderUnavailable, match=f"fedapay: status answer has .*{reason}"):
        fedapay(stub.url).fetch_status("AMU-PAY-000123", "104101")


def test_status_needs_fedapays_own_id():
    with pytest.raises(ValueError, match="provider_reference"):
        fedapay().fetch_status("AMU-PAY-000123")


# -- settings ---------------------------------------------------------

def test_the_environment_picks_the_default_base_url():
    def base(env: str) -> str:
        return build_adapter("fedapay", {"AMU_FEDAPAY_SECRET_KEY": SECRET_KEY,
                                         "AMU_FEDAPAY_WEBHOOK_SECRET": WEBHOOK_SECRET,
                                         "AMU_FEDAPAY_ENVIRONMENT": env}).http.base_url

    assert base("live") == "https://api.fedapay.com"
    assert base("sandbox") == "https://sandbox-api.fedapay.com"
