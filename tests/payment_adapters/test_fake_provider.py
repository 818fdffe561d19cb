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

from .stubs import pay


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
