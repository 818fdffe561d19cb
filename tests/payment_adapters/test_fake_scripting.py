"""The fake provider's knobs: statements, scripting over HTTP, magic amounts, seeds,
and the embedded default."""
from __future__ import annotations

import io
import random

import pytest
import requests

from payment_adapters import PaymentStatus, StatementStatus, ProviderUnavailable, build_adapter
from payment_adapters.fake import (DECLINE, Behaviour, FakeProvider, RandomProfile, altered,
                                   serve_in_thread, start_embedded_provider)

from .stubs import pay


def test_the_statement_lists_what_was_paid_at_the_confirmed_amounts(receiver):
    provider = FakeProvider(settle_delay=0.0, magic_amounts=False, fee_rate=0.01)
    base_url, stop = serve_in_thread(provider=provider)
    adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
    provider.script_next(Behaviour(), DECLINE, altered(900))
    pay(adapter, receiver, reference="AMU-PAY-1", amount=2500)
    pay(adapter, receiver, reference="AMU-PAY-2", amount=3000, network="moov")
    pay(adapter, receiver, reference="AMU-PAY-3", amount=1000, network="moov")
    provider.wait_idle()

    lines = list(adapter.import_statement(io.StringIO(adapter.download_statement())))
    stop()

    assert sorted((l.reference, l.amount, l.fee, l.network, l.status) for l in lines) == [
        ("AMU-PAY-1", 2500, 25, "yas", StatementStatus.SUCCEEDED),
        ("AMU-PAY-2", 3000, 0, "moov", StatementStatus.FAILED),
        ("AMU-PAY-3", 900, 9, "moov", StatementStatus.SUCCEEDED),
    ]
    assert all(l.occurred_at.tzinfo is not None for l in lines)


def test_it_can_be_scripted_over_http(fake, provider, receiver):
    auth = {"Authorization": f"Bearer {provider.api_key}"}
    base = fake.http.base_url
    assert requests.post(f"{base}/_admin/script", headers=auth, timeout=5,
                         json={"next": [{"approve": False}]}).status_code == 200
    assert requests.post(f"{base}/_admin/script", headers=auth, timeout=5,
                         json={"next": [{"colour": "red"}]}).status_code == 400

    pay(fake, receiver)
    [callback] = receiver.wait_for(1)

    assert fake.parse_callback(callback).status is PaymentStatus.FAILED
    listed = requests.get(f"{base}/_admin/collections", headers=auth, timeout=5).json()
    assert [c["status"] for c in listed["collections"]] == ["failed"]


@pytest.mark.parametrize("amount, expected", [
    (2500, ("succeeded", 2500, 1)),
    (2501, ("failed", 2501, 1)),
    (2502, ("succeeded", 2502, 2)),
    (2503, ("succeeded", 2503, 0)),
    (2504, ("succeeded", 2503, 1)),
])
def test_magic_amounts_script_manual_sessions(receiver, amount, expected):
    provider = FakeProvider(settle_delay=0.0)
    base_url, stop = serve_in_thread(provider=provider)
    adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
    pay(adapter, receiver, amount=amount)
    provider.wait_idle()
    status = adapter.fetch_status("AMU-PAY-1")
    stop()

    assert (status.raw["status"], status.amount, len(receiver.received)) == expected


def test_a_magic_amount_ending_in_09_answers_503(receiver):
    provider = FakeProvider(settle_delay=0.0)
    base_url, stop = serve_in_thread(provider=provider)
    try:
        with pytest.raises(ProviderUnavailable, match="503"):
            pay(build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url}), receiver, amount=2509)
    finally:
        stop()


def test_a_random_profile_is_reproducible_from_its_seed():
    profile = RandomProfile(decline=0.3, duplicate=0.2, drop=0.2, alter=0.1, unavailable=0.1,
                            delay=(0.0, 1.0))

    assert _draws(profile, seed=3) == _draws(profile, seed=3)
    assert _draws(profile, seed=3) != _draws(profile, seed=4)
    assert len(set(_draws(profile, seed=3))) > 10
    assert RandomProfile(decline=1.0).draw(random.Random(0), 2500).approve is False
    assert RandomProfile(drop=1.0).draw(random.Random(0), 2500).callbacks == 0
    assert RandomProfile(duplicate=1.0).draw(random.Random(0), 2500).callbacks == 2
    assert RandomProfile(alter=1.0).draw(random.Random(0), 2500).confirmed_amount == 2499
    assert RandomProfile(unavailable=1.0).draw(random.Random(0), 2500).unavailable is True


def _draws(profile: RandomProfile, seed: int, count: int = 50) -> list[Behaviour]:
    rng = random.Random(seed)
    return [profile.draw(rng, 2500) for _ in range(count)]


def test_the_embedded_default_starts_from_settings(receiver, tmp_path):
    fake = start_embedded_provider({"AMU_FAKE_SETTLE_DELAY": "0", "AMU_FAKE_SEED": "1",
                                    "AMU_FAKE_MAGIC_AMOUNTS": "0",
                                    "AMU_FAKE_STATE": str(tmp_path / "fake.sqlite3")})
    try:
        adapter = build_adapter("fake", fake.settings)
        pay(adapter, receiver, amount=2501)  # magic amounts are off: approved
        [callback] = receiver.wait_for(1)
        assert adapter.parse_callback(callback).status is PaymentStatus.SUCCEEDED
        assert fake.settings["AMU_FAKE_BASE_URL"] == fake.base_url
    finally:
        fake.stop()


def test_the_provider_follows_its_random_profile(receiver):
    provider = FakeProvider(settle_delay=0.0, magic_amounts=False, seed=5,
                            profile=RandomProfile(decline=1.0))
    base_url, stop = serve_in_thread(provider=provider)
    try:
        adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
        pay(adapter, receiver)
        [callback] = receiver.wait_for(1)
        assert adapter.parse_callback(callback).status is PaymentStatus.FAILED
    finally:
        stop()
