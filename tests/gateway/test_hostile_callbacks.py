"""Payment callbacks as an attacker and a broken provider send them: a callback that
cannot be read ends `rejected` with its reason, once; the token is checked before
anything is stored; a callback is verified once, as of the moment it arrived."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from config.settings import Settings
from gateway import clock
from gateway.jobs.sweep import sweep
from gateway.models import LedgerEntry, ProviderCallback
from payment_adapters.fake.protocol import DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER
from payment_adapters.signing import signature_header
from tests.gateway.payment_helpers import outcomes

TOKEN = "callback-token-not-real"


def fake_body(**changes) -> bytes:
    fields = {"event": "collection.succeeded", "id": "fk_hostile", "reference": "AMUNOSUCHREF9", "status": "succeeded",
              "amount": 2_000, "phone": "+22890000031", "network": "yas", "occurred_at": clock.now().isoformat()}
    fields.update(changes)
    return json.dumps(fields).encode()


def signed(body: bytes, secret: str = DEFAULT_WEBHOOK_SECRET, at: int | None = None) -> dict:
    return {SIGNATURE_HEADER: signature_header(secret, body, at), "Content-Type": "application/json"}


def stored(runtime) -> list[ProviderCallback]:
    with runtime.db() as session:
        return list(session.scalars(select(ProviderCallback).order_by(ProviderCallback.id)))


def nothing_left_for_the_sweep(runtime) -> bool:
    counts = sweep(stale=timedelta(0))
    return counts["callbacks"] == 0 and counts["unread callbacks"] == 0


@pytest.fixture
def fake_configured(runtime):
    runtime.adapter_settings["AMU_FAKE_BASE_URL"] = "http://127.0.0.1:9"  # signed: reading calls no provider
    return runtime


UNREADABLE = {
    "JSON nested 20 000 deep": (b"[" * 20_000 + b"]" * 20_000, "malformed"),
    "a provider reference of 81 characters": (fake_body(id="f" * 81), "reference"),
    "a reference with a NUL byte": (fake_body(reference="AMU\u0000NOSUCH"), "reference"),
    "an amount of 5 000 digits": (fake_body(amount="9" * 5_000), "amount"),
    "an amount of 10^30 francs": (fake_body(amount=10**30), "amount"),
}


@pytest.mark.parametrize("case", UNREADABLE, ids=list(UNREADABLE))
def test_a_callback_that_cannot_be_read_is_rejected_once_with_its_reason(fake_configured, client, run_jobs, case):
    body, reason = UNREADABLE[case]
    response = client.post("/payments/fake/callback", data=body, headers=signed(body))
    run_jobs()

    assert response.status_code == 400, response.get_data(as_text=True)
    (row,) = stored(fake_configured)
    assert row.outcome == "rejected" and reason in row.detail
    assert row.event is None and row.processed_at is not None
    assert nothing_left_for_the_sweep(fake_configured)  # never read again
    with fake_configured.db() as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_a_callback_without_the_token_is_refused_before_anything_is_stored(runtime, client, monkeypatch):
    monkeypatch.setattr(runtime, "settings", Settings.from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": TOKEN}))
    body = b"x" * 60_000

    answers = [client.post(url, data=body).status_code
               for url in ("/payments/fake/callback", "/payments/fake/callback?token=guess",
                           "/payments/nosuchprovider/callback", "/sms/africastalking/delivery?token=guess")]

    assert answers == [403, 403, 403, 403]
    assert stored(runtime) == []


def test_the_token_is_not_kept_with_the_stored_callback(fake_configured, client, monkeypatch):
    runtime = fake_configured
    monkeypatch.setattr(runtime, "settings", Settings.from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": TOKEN}))
    body = fake_body()

    response = client.post(f"/payments/fake/callback?token={TOKEN}&attempt=2", data=body, headers=signed(body))

    assert response.status_code == 200
    (row,) = stored(runtime)
    assert row.query == {"attempt": "2"}
    assert TOKEN not in json.dumps(row.headers)


def test_credentials_in_the_callback_headers_are_not_kept(fake_configured, client, monkeypatch):
    """A proxy that repeats the original URL in a header (Envoy's x-envoy-original-path,
    X-Original-URI) carries the token there; a provider's or a proxy's credentials too."""
    runtime = fake_configured
    monkeypatch.setattr(runtime, "settings", Settings.from_env({**runtime.settings.raw, "AMU_CALLBACK_TOKEN": TOKEN}))
    body = fake_body()
    headers = {**signed(body), "X-Envoy-Original-Path": f"/payments/fake/callback?token={TOKEN}",
               "Authorization": "Basic cHJvdmlkZXI6bm90LXJlYWw=", "Cookie": "session=not-real-cookie"}

    response = client.post(f"/payments/fake/callback?token={TOKEN}", data=body, headers=headers)

    assert response.status_code == 200  # the signature header is kept as it came: it was verified
    (row,) = stored(runtime)
    kept = json.dumps(row.headers)
    assert row.headers["X-Envoy-Original-Path"] == "/payments/fake/callback?token=***"
    for secret in (TOKEN, "cHJvdmlkZXI6bm90LXJlYWw=", "not-real-cookie"):
        assert secret not in kept


def test_production_refuses_to_start_without_a_callback_token():
    production = {"AMU_ENV": "production", "DATABASE_URL": "postgresql://u@db/amu", "REDIS_URL": "redis://r:6379/0",
                  "AMU_USSD_TOKEN": "ussd-token-not-real"}
    with pytest.raises(ValueError, match="AMU_CALLBACK_TOKEN"):
        Settings.from_env(production)
    assert Settings.from_env({**production, "AMU_CALLBACK_TOKEN": TOKEN}).callback_token == TOKEN


FEDAPAY_SECRETS = {"AMU_FEDAPAY_SECRET_KEY": "sk_not_real", "AMU_FEDAPAY_WEBHOOK_SECRET": "wh_not_real",
                   "AMU_FEDAPAY_BASE_URL": "http://127.0.0.1:9"}


def fedapay_approved(reference: str) -> bytes:
    return json.dumps({
        "id": 880001, "name": "transaction.approved", "object": "transaction",
        "entity": {"klass": "v1/transaction", "id": 104101, "amount": 2500, "status": "approved", "mode": "togocel",
                   "custom_metadata": {"reference": reference},
                   "payment_method": {"brand": "togocel", "country": "tg", "number": "90000031"}},
    }).encode()


def test_a_parked_fedapay_callback_is_verified_as_of_its_arrival_not_rejected_as_stale(runtime, client, run_jobs):
    """FedaPay was not configured when its genuine callback came: the callback is kept,
    unread. Ten minutes later FedaPay is configured and the sweep reads it: its signature
    was fresh when it arrived, so the money is placed, not refused as 'stale'."""
    arrived = int(time.time()) - 600
    body = fedapay_approved("AMUNOSUCHREF7")
    headers = {"X-FEDAPAY-SIGNATURE": signature_header("wh_not_real", body, arrived), "Content-Type": "application/json"}
    with clock.travel_to(datetime.fromtimestamp(arrived + 1, timezone.utc)):
        parked = client.post("/payments/fedapay/callback", data=body, headers=headers)
    assert parked.status_code == 202  # kept: nothing for the provider to send again
    assert [(row.outcome, row.event) for row in stored(runtime)] == [("received", None)]

    runtime.adapter_settings.update(FEDAPAY_SECRETS)
    assert sweep(stale=timedelta(0))["unread callbacks"] == 1
    run_jobs()

    (row,) = stored(runtime)
    assert (row.outcome, row.event["authenticated"]) == ("suspense", True), row.detail
    assert nothing_left_for_the_sweep(runtime)


def test_a_callback_read_at_arrival_is_not_judged_again_when_applied_later(fake_configured, client, run_jobs):
    """Its apply job was lost; the sweep applies it an hour later. The verdict of arrival
    (signature fresh then) is trusted: nothing is refused for its age."""
    runtime = fake_configured
    body = fake_body()
    queue, runtime.queue = runtime.queue, type("Lost", (), {"enqueue": lambda *a, **k: None})()
    try:
        assert client.post("/payments/fake/callback", data=body, headers=signed(body)).status_code == 200
    finally:
        runtime.queue = queue
    with runtime.db.begin() as session:
        session.execute(update(ProviderCallback).values(received_at=clock.now() - timedelta(hours=1)))
    assert sweep()["callbacks"] == 1
    run_jobs()
    assert outcomes(runtime) == ["suspense"]


@pytest.mark.parametrize("headers, status", [
    ({SIGNATURE_HEADER: "t=1,s=00"}, 401),
    ({}, 401),
    ({SIGNATURE_HEADER: signature_header("forger", b"{}")}, 401),
    ({SIGNATURE_HEADER: "t=" + "9" * 5_000 + ",s=00"}, 401),  # int() refuses 5 000 digits: not a 400 and a traceback
])
def test_an_unauthenticated_callback_is_refused_401_and_kept(fake_configured, client, headers, status):
    assert client.post("/payments/fake/callback", data=b"{}", headers=headers).status_code == status
    assert [row.outcome for row in stored(fake_configured)] == ["rejected"]


def test_a_callback_kept_for_a_provider_not_configured_is_read_again_only_once_it_is(runtime, client, run_jobs):
    """Not read again every minute while nothing has changed: callbacks of a provider
    whose settings were removed would otherwise cost one job each, every minute, forever."""
    body = fedapay_approved("AMUNOSUCHREF8")
    headers = {"X-FEDAPAY-SIGNATURE": signature_header("wh_not_real", body), "Content-Type": "application/json"}
    assert client.post("/payments/fedapay/callback", data=body, headers=headers).status_code == 202

    assert [sweep(stale=timedelta(0))["unread callbacks"] for _ in range(3)] == [0, 0, 0]
    run_jobs()
    assert [(row.outcome, row.event) for row in stored(runtime)] == [("received", None)]  # kept, unread

    runtime.adapter_settings.update(FEDAPAY_SECRETS)
    assert sweep(stale=timedelta(0))["unread callbacks"] == 1
    run_jobs()
    assert [row.outcome for row in stored(runtime)] == ["suspense"]
