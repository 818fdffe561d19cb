"""The fake provider's statement tells what it really did, scripted misbehaviour
included, so a whole month end can be shown on the embedded default: a declined
payment is a failed line, a callback sent twice is still one line, a dropped callback
is a paid line, "1 F less" is a line at the confirmed amount, a 503 leaves no line;
fees are charged; payouts to the bank are lines too."""
from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests

from payment_adapters import (LineKind, ProviderUnavailable, StatementStatus, build_adapter)
from payment_adapters.fake import FakeProvider, delayed, serve_in_thread

from .stubs import collection_request, pay


@pytest.fixture
def magic(receiver):
    """A fake provider with its magic amounts and a 1 % fee, over HTTP."""
    provider = FakeProvider(settle_delay=0.0, magic_amounts=True, fee_rate=0.01)
    base_url, stop = serve_in_thread(provider=provider)
    adapter = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url,
                                     "AMU_FAKE_STATEMENT_PAGE_SIZE": "2"})
    yield provider, adapter
    stop()


def now() -> datetime:
    return datetime.now(timezone.utc)


def test_the_statement_reflects_every_scripted_ending(magic, receiver):
    provider, fake = magic
    start = now()
    pay(fake, receiver, reference="AMU-OK", amount=10000)
    pay(fake, receiver, reference="AMU-DECLINED", amount=2501, network="moov")
    pay(fake, receiver, reference="AMU-TWICE", amount=2502)
    pay(fake, receiver, reference="AMU-DROPPED", amount=2503)
    pay(fake, receiver, reference="AMU-LESS", amount=2504)
    with pytest.raises(ProviderUnavailable):
        pay(fake, receiver, reference="AMU-503", amount=2509)
    provider.wait_idle()
    assert len(receiver.wait_for(5)) == 5  # 1 + 1 + 2 + 0 + 1 callbacks

    arrived: list[int] = []
    lines = list(fake.fetch_statement(start, now() + timedelta(seconds=1), progress=arrived.append))

    assert sorted((l.reference, l.status, l.amount, l.fee) for l in lines) == [
        ("AMU-DECLINED", StatementStatus.FAILED, 2501, 0),
        ("AMU-DROPPED", StatementStatus.SUCCEEDED, 2503, 25),
        ("AMU-LESS", StatementStatus.SUCCEEDED, 2503, 25),
        ("AMU-OK", StatementStatus.SUCCEEDED, 10000, 100),
        ("AMU-TWICE", StatementStatus.SUCCEEDED, 2502, 25),
    ]
    assert arrived == [2, 2, 1]  # pages of two
    assert all(l.provider_reference.startswith("FK") and l.phone == "+22890000001" for l in lines)
    assert {l.operator_reference[:4] for l in lines if l.status is StatementStatus.SUCCEEDED} == {"MIXX"}


def test_the_csv_export_is_importable_and_says_the_same(magic, receiver):
    provider, fake = magic
    for n, amount in enumerate((1000, 2501, 2504)):
        pay(fake, receiver, reference=f"AMU-{n}", amount=amount)
    provider.wait_idle()
    provider.pay_out(1500)

    exported = list(fake.import_statement(io.StringIO(fake.download_statement())))
    listed = list(fake.fetch_statement(now() - timedelta(hours=1), now() + timedelta(hours=1)))

    strip = lambda line: (line.provider_reference, line.reference, line.amount, line.fee,  # noqa: E731
                          line.status, line.kind, line.occurred_at, line.operator_reference)
    assert [strip(l) for l in exported] == [strip(l) for l in listed]
    assert [l.line_number for l in exported] == [2, 3, 4, 5]
    [payout] = [l for l in listed if l.kind is LineKind.PAYOUT]
    assert (payout.amount, payout.fee, payout.reference, payout.phone) == (1500, 0, None, None)


def test_a_pending_collection_is_a_pending_line_until_it_settles(receiver):
    provider = FakeProvider(settle_delay=0.3)
    base_url, stop = serve_in_thread(provider=provider)
    try:
        fake = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
        pay(fake, receiver, reference="AMU-SLOW", amount=1000)
        window = (now() - timedelta(minutes=1), now() + timedelta(minutes=1))
        [line] = fake.fetch_statement(*window)
        assert (line.status, line.fee, line.operator_reference) == (StatementStatus.PENDING, 0, None)
        provider.wait_idle()
        [line] = fake.fetch_statement(*window)
        assert line.status is StatementStatus.SUCCEEDED
    finally:
        stop()


def test_a_collection_settling_during_a_pull_pushes_no_other_line_out(receiver):
    provider = FakeProvider(settle_delay=0.0)
    base_url, stop = serve_in_thread(provider=provider)
    try:
        fake = build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url,
                                      "AMU_FAKE_STATEMENT_PAGE_SIZE": "2"})
        provider.script("AMU-SLOW", delayed(0.5))
        start = now()
        for reference in ("AMU-SLOW", "AMU-B", "AMU-C"):
            pay(fake, receiver, reference=reference, amount=1000)
        receiver.wait_for(2)

        lines = fake.fetch_statement(start, now() + timedelta(minutes=1))
        first_page = [next(lines), next(lines)]
        assert provider.wait_idle() and first_page[0].status is StatementStatus.PENDING
        rest = list(lines)  # AMU-SLOW settled between the two pages

        assert sorted(line.reference for line in first_page + rest) == ["AMU-B", "AMU-C", "AMU-SLOW"]
    finally:
        stop()


def test_the_window_is_by_when_each_line_happened(magic, receiver):
    provider, fake = magic
    pay(fake, receiver, reference="AMU-EARLY", amount=1000)
    provider.wait_idle()
    middle = now()
    pay(fake, receiver, reference="AMU-LATE", amount=1000)
    provider.wait_idle()

    before = [l.reference for l in fake.fetch_statement(middle - timedelta(hours=1), middle)]
    after = [l.reference for l in fake.fetch_statement(middle, middle + timedelta(hours=1))]
    assert (before, after) == (["AMU-EARLY"], ["AMU-LATE"])


def test_finances_own_export_mapping_does_not_change_how_the_listing_is_read(magic, receiver,
                                                                            tmp_path):
    provider, fake = magic
    pay(fake, receiver, reference="AMU-OK", amount=1000)
    provider.wait_idle()
    mapping = tmp_path / "fake.toml"
    shipped = Path(fake.statement_mapping.origin).read_text(encoding="utf-8")
    mapping.write_text(shipped.replace('amount = "amount"', 'amount = "Montant"'), encoding="utf-8")
    adapted = build_adapter("fake", {"AMU_FAKE_BASE_URL": fake.http.base_url,
                                     "AMU_FAKE_STATEMENT_MAPPING": str(mapping)})
    [line] = adapted.fetch_statement(now() - timedelta(hours=1), now() + timedelta(hours=1))
    assert (line.reference, line.amount) == ("AMU-OK", 1000)


def test_payouts_and_listing_pages_are_checked_over_http(magic):
    provider, fake = magic
    base, auth = fake.http.base_url, {"Authorization": f"Bearer {provider.api_key}"}
    made = requests.post(f"{base}/_admin/payouts", json={"amount": 50000}, headers=auth, timeout=5)
    assert made.status_code == 201 and made.json()["id"].startswith("PO")
    for bad in ({"amount": 0}, {"amount": "50000"}, {}):
        assert requests.post(f"{base}/_admin/payouts", json=bad, headers=auth,
                             timeout=5).status_code == 400
    for query in ("per_page=501", "page=0", "page=²", "since=yesterday", "after=-1"):
        assert requests.get(f"{base}/v1/statement?{query}", headers=auth,
                            timeout=5).status_code == 422
    page = requests.get(f"{base}/v1/statement", headers=auth, timeout=5).json()
    assert page["meta"] == {"current_page": 1, "next_page": None, "next_after": None,
                            "total_pages": 1, "total_count": 1, "per_page": 100}


def test_a_collection_request_made_twice_is_one_collection(magic, receiver):
    provider, fake = magic
    request = collection_request(reference="AMU-ONCE", callback_url=receiver.url)
    fake.initiate(request)
    with pytest.raises(Exception, match="duplicate"):
        fake.initiate(request)
    provider.wait_idle()
    assert [l.reference for l in fake.fetch_statement(now() - timedelta(hours=1),
                                                      now() + timedelta(hours=1))] == ["AMU-ONCE"]
