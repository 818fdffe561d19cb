"""PayGate does not sign its callbacks: the gateway credits only what PayGate's status
API confirms. The provider is a local stand-in answering PayGate's documented payloads."""
import json

import pytest

from gateway import clock
from gateway.models import PaymentIntent
from gateway.services.payment_states import move
from tests.gateway.payment_helpers import balance, credit, intent, join, outcomes
from tests.payment_adapters.stubs import StubProvider, payload


@pytest.fixture
def paygate(runtime):
    stub = StubProvider()
    runtime.adapter_settings.update(AMU_PAYGATE_AUTH_TOKEN="test-token-not-real", AMU_PAYGATE_BASE_URL=stub.url)
    yield stub
    stub.stop()


def pending_paygate_payment(runtime, member_id: int, reference: str = "AMUPAYGATE001") -> str:
    with runtime.db.begin() as session:
        row = PaymentIntent(reference=reference, member_id=member_id, payer_phone="+22890000001", network="yas",
                            provider="paygate", amount=2_500, status="created", created_at=clock.now())
        session.add(row)
        session.flush()
        move(session, row, "pending", "test")
    return reference


def paygate_callback(client, reference: str):
    body = {**payload("paygate/callback_paid.json"), "identifier": reference}
    return client.post("/payments/paygate/callback", data=json.dumps(body), content_type="application/json")


def test_a_callback_confirmed_by_the_status_api_is_credited(runtime, client, paygate, run_jobs):
    member = join(runtime)
    reference = pending_paygate_payment(runtime, member.id)
    paygate.answer("POST", "/api/v2/status", json_body={**payload("paygate/status_paid.json"), "identifier": reference})
    assert paygate_callback(client, reference).status_code == 200
    run_jobs()
    assert intent(runtime, reference).status == "succeeded"
    assert outcomes(runtime) == ["applied"]
    assert credit(runtime, member.id) == 2_500
    assert [s.path for s in paygate.seen] == ["/api/v2/status"]


def test_a_callback_the_status_api_does_not_confirm_credits_nothing(runtime, client, paygate, run_jobs):
    member = join(runtime)
    reference = pending_paygate_payment(runtime, member.id)
    paygate.answer("POST", "/api/v2/status", json_body={**payload("paygate/status_pending.json"), "identifier": reference})
    assert paygate_callback(client, reference).status_code == 200  # stored; judged by the job
    run_jobs()
    assert outcomes(runtime) == ["rejected"]
    assert intent(runtime, reference).status == "pending"
    assert credit(runtime, member.id) == 0 and balance(runtime, "clearing:paygate:yas") == 0


def test_confirmed_money_for_an_unknown_identifier_goes_to_suspense(runtime, client, paygate, run_jobs):
    paygate.answer("POST", "/api/v2/status", json_body={**payload("paygate/status_paid.json"), "identifier": "AMUNOTOURS00"})
    assert paygate_callback(client, "AMUNOTOURS00").status_code == 200
    run_jobs()
    assert outcomes(runtime) == ["suspense"]
    assert balance(runtime, "suspense") == -2_500
