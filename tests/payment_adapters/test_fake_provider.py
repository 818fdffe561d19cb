"""The fake provider, end to end: real HTTP, real callbacks to a local receiver."""
from __future__ import annotations

import time

import pytest
import requests

from payment_adapters import (CallbackRejected, DuplicateReference, InboundCallback,
                              PaymentStatus, ProviderRefused, ProviderUnavailable,
                              build_adapter)
from payment_adapters.fake import (DECLINE, DROP, DUPLICATE, HOLD, UNAVAILABLE, Behaviour,
                                   FakeProvider, altered, delayed, serve_in_thread)
from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
from payment_adapters.signing import signature_header

from .stubs import collection_request, pay


def test_a_collection_is_pending_then_approved_with_a_signed_callback(fake, provider, receiver):
    provider.script("AMU-PAY-1", delayed(0.2))
    started = time.monotonic()
    result = pay(fake, receiver)

    assert result.status is PaymentStatus.PENDING
    assert result.provider_reference.startswith("FK")
    assert fake.fetch_status("AMU-PAY-1").status is PaymentStatus.PENDING

    [callback] = receiver.wait_for(1)
    assert time.monotonic() - started >= 0.2
    event = fake.parse_callback(callback)
    assert event.authenticated is True
    assert (event.reference, event.provider_reference) == ("AMU-PAY-1", result.provider_reference)
    assert (event.status, event.amount, event.phone, event.network) == (
        PaymentStatus.SUCCEEDED, 2500, "+22890000001", "yas")
    status = fake.fetch_status("AMU-PAY-1")
    assert (status.status, status.amount) == (PaymentStatus.SUCCEEDED, 2500)


def test_a_declined_collection_calls_back_a_failure(fake, provider, receiver):
    provider.script("AMU-PAY-1", DECLINE)
    pay(fake, receiver)

    [callback] = receiver.wait_for(1)

    assert fake.parse_callback(callback).status is PaymentStatus.FAILED
    assert fake.fetch_status("AMU-PAY-1").status is PaymentStatus.FAILED


def test_a_duplicated_callback_arrives_twice_with_the_same_body(fake, provider, receiver):
    provider.script_next(DUPLICATE)
    pay(fake, receiver)

    first, second = receiver.wait_for(2)

    assert first.body == second.body
    assert fake.parse_callback(first) == fake.parse_callback(second)


def test_a_dropped_callback_never_arrives_but_the_status_api_knows(fake, provider, receiver):
    provider.script_next(DROP)
    pay(fake, receiver)

    assert provider.wait_idle()
    assert receiver.received == []
    assert fake.fetch_status("AMU-PAY-1").status is PaymentStatus.SUCCEEDED


def test_an_altered_amount_is_what_the_provider_confirms(fake, provider, receiver):
    provider.script_next(altered(2400))
    pay(fake, receiver, amount=2500)

    [callback] = receiver.wait_for(1)

    assert fake.parse_callback(callback).amount == 2400
    status = fake.fetch_status("AMU-PAY-1")
    assert status.amount == 2400
    assert status.raw["requested_amount"] == 2500


def test_held_callbacks_are_released_in_another_order(fake, provider, receiver):
    provider.script_next(HOLD, HOLD, HOLD)
    for ref in ("AMU-PAY-A", "AMU-PAY-B", "AMU-PAY-C"):
        pay(fake, receiver, reference=ref)
    assert provider.wait_idle()
    assert receiver.received == []

    provider.release_held(["AMU-PAY-C", "AMU-PAY-A", "AMU-PAY-B"])

    arrived = [fake.parse_callback(c).reference for c in receiver.wait_for(3)]
    assert arrived == ["AMU-PAY-C", "AMU-PAY-A", "AMU-PAY-B"]


def test_later_collections_can_call_back_first(fake, provider, receiver):
    provider.script_next(Behaviour(delay=0.3), Behaviour(delay=0.0))
    pay(fake, receiver, reference="AMU-PAY-SLOW")
    pay(fake, receiver, reference="AMU-PAY-FAST")

    arrived = [fake.parse_callback(c).reference for c in receiver.wait_for(2)]

    assert arrived == ["AMU-PAY-FAST", "AMU-PAY-SLOW"]


def test_a_seeded_shuffle_replays_the_same_order(receiver):
    orders = []
    for _ in range(2):
        provider = FakeProvider(settle_delay=0.0, magic_amounts=False, seed=42)
        base_url, stop = serve_in_thread(provider=provider)
        adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
        provider.script_next(*[HOLD] * 5)
        for n in range(5):
            pay(adapter, receiver, reference=f"AMU-PAY-{n}")
        provider.wait_idle()
        orders.append(provider.release_held())
        stop()

    assert orders[0] == orders[1]
    assert sorted(orders[0]) == [f"AMU-PAY-{n}" for n in range(5)]


def test_a_503_at_initiation_records_nothing_and_a_retry_works(fake, provider, receiver):
    provider.script_next(UNAVAILABLE)

    with pytest.raises(ProviderUnavailable, match="503"):
        pay(fake, receiver)
    assert fake.fetch_status("AMU-PAY-1").status is PaymentStatus.UNKNOWN

    assert pay(fake, receiver).status is PaymentStatus.PENDING


def test_the_same_reference_twice_is_a_duplicate(fake, receiver):
    first = pay(fake, receiver)

    with pytest.raises(DuplicateReference) as duplicate:
        pay(fake, receiver)

    assert duplicate.value.provider_reference == first.provider_reference


def test_a_wrong_api_key_is_refused(provider, receiver):
    base_url, stop = serve_in_thread(provider=provider)
    try:
        adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url,
                                         "AMU_FAKE_API_KEY": "wrong-key"})
        with pytest.raises(ProviderRefused) as refused:
            pay(adapter, receiver)
    finally:
        stop()
    assert (refused.value.code, refused.value.http_status) == ("unauthorized", 401)


def test_a_fractional_amount_is_refused_at_the_provider(fake, provider):
    response = requests.post(
        f"{fake.http.base_url}/v1/collections", timeout=5,
        headers={"Authorization": f"Bearer {provider.api_key}"},
        json={"reference": "AMU-PAY-1", "amount": 2500.5, "phone": "+22890000001",
              "network": "yas", "callback_url": "http://127.0.0.1:9/cb"})

    assert response.status_code == 422
    assert "whole francs" in response.json()["message"]


def test_a_callback_not_delivered_is_recorded(fake, provider, receiver):
    receiver.status = 500
    pay(fake, receiver)

    assert provider.wait_idle()

    assert [d.status_code for d in provider.deliveries] == [500]
    assert fake.fetch_status("AMU-PAY-1").status is PaymentStatus.SUCCEEDED


# -- signature verification by the fake adapter ----------------------------------------

def test_the_fake_adapter_rejects_tampered_forged_and_stale_callbacks(fake, receiver):
    pay(fake, receiver)
    [callback] = receiver.wait_for(1)
    tampered = InboundCallback(headers=callback.headers,
                               body=callback.body.replace(b"2500", b"9500"))
    unsigned = InboundCallback(headers={"Content-Type": "application/json"}, body=callback.body)
    other_secret = build_adapter("fake", {"AMU_FAKE_BASE_URL": "http://127.0.0.1:9",
                                          "AMU_FAKE_WEBHOOK_SECRET": "another-secret"})
    later = build_adapter("fake", {"AMU_FAKE_BASE_URL": "http://127.0.0.1:9"},
                          clock=lambda: time.time() + 301)

    with pytest.raises(CallbackRejected, match="bad signature"):
        fake.parse_callback(tampered)
    with pytest.raises(CallbackRejected, match="missing"):
        fake.parse_callback(unsigned)
    with pytest.raises(CallbackRejected, match="bad signature"):
        other_secret.parse_callback(callback)
    with pytest.raises(CallbackRejected, match="stale"):
        later.parse_callback(callback)


# -- the fake adapter against a stand-in that misbehaves -----------------------------------

NOW = 1_741_947_750


def signed_fake(body: bytes) -> InboundCallback:
    return InboundCallback(headers={SIGNATURE_HEADER: signature_header(
        DEFAULT_WEBHOOK_SECRET, body, NOW)}, body=body)


def fake_at(base_url: str = "http://127.0.0.1:9"):
    return build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url}, clock=lambda: NOW)


@pytest.mark.parametrize("status", [400, 401, 403, 422])
def test_a_4xx_without_a_json_body_is_refused_not_unavailable(stub, status):
    stub.answer("POST", "/v1/collections", status, text="<html>Access denied</html>")

    with pytest.raises(ProviderRefused) as refused:
        fake_at(stub.url).initiate(collection_request())

    assert (refused.value.code, refused.value.http_status) == (f"http_{status}", status)
    assert refused.value.message == "<html>Access denied</html>"


def test_a_4xx_to_a_status_request_is_refused_too(stub):
    stub.answer("GET", "/v1/collections/AMU-PAY-1", 403, text="Forbidden")

    with pytest.raises(ProviderRefused, match="http_403"):
        fake_at(stub.url).fetch_status("AMU-PAY-1")


def test_a_2xx_without_a_json_body_is_still_unavailable(stub):
    stub.answer("POST", "/v1/collections", 201, text="<html>maintenance</html>")

    with pytest.raises(ProviderUnavailable, match="unreadable answer"):
        fake_at(stub.url).initiate(collection_request())


@pytest.mark.parametrize("amount, reason", [
    (b"-100", "positive"), (b"0", "positive"), (b"1000.00000000000000001", "fractional"),
])
def test_a_signed_callback_with_a_bad_amount_is_rejected(amount, reason):
    body = (b'{"id": "FK1", "reference": "AMU-PAY-1", "status": "succeeded", "amount": '
            + amount + b"}")

    with pytest.raises(CallbackRejected, match=f"malformed: .*{reason}"):
        fake_at().parse_callback(signed_fake(body))


def test_a_signed_callback_that_is_not_a_json_object_is_rejected():
    with pytest.raises(CallbackRejected, match="not a JSON object"):
        fake_at().parse_callback(signed_fake(b"[1, 2]"))


@pytest.mark.parametrize("amount, reason", [
    ("-2500", "positive"), ("0", "positive"), ("2500.00000000000000001", "fractional"),
])
def test_a_status_answer_with_a_bad_amount_is_unavailable(stub, amount, reason):
    stub.answer("GET", "/v1/collections/AMU-PAY-1", 200,
                text=f'{{"id": "FK1", "reference": "AMU-PAY-1", "status": "succeeded", '
                     f'"amount": {amount}}}')

    with pytest.raises(ProviderUnavailable, match=f"fake: status answer has .*{reason}"):
        fake_at(stub.url).fetch_status("AMU-PAY-1")
