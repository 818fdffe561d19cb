"""Paying in tests: a member, a payment through the fake provider over real HTTP, and
ways to read the outcome back."""
from __future__ import annotations

from sqlalchemy import select

from gateway import ledger
from gateway.models import PaymentIntent, ProviderCallback, SmsMessage
from gateway.services.menu_facade import GatewayMenuServices
from gateway.services.payments import start_payment
from tests.gateway.factories import enrolment


def join(runtime, phone="+22890000001", **overrides):
    return GatewayMenuServices(runtime).enrol(enrolment(phone=phone, **overrides))


def pay(runtime, member_id: int, amount: int, payer="+22890000001", network="yas") -> tuple[str, bool]:
    with runtime.db.begin() as session:
        intent, reused = start_payment(
            session, runtime, member_id=member_id, payer_phone=payer, network=network, amount=amount
        )
        return intent.reference, reused


def settle(fake, run_jobs) -> None:
    """Let initiation, the provider's callbacks and their jobs all finish."""
    for _ in range(3):
        run_jobs()
        assert fake.wait_idle(10), "the fake provider did not finish"
    run_jobs()


def intent(runtime, reference: str) -> PaymentIntent:
    with runtime.db() as session:
        return session.scalar(select(PaymentIntent).where(PaymentIntent.reference == reference))


def outcomes(runtime) -> list[str]:
    with runtime.db() as session:
        return list(session.scalars(select(ProviderCallback.outcome).order_by(ProviderCallback.id)))


def credit(runtime, member_id: int) -> int:
    with runtime.db() as session:
        return ledger.member_credit(session, member_id)


def balance(runtime, code: str) -> int:
    with runtime.db() as session:
        return ledger.balance(session, code)


def texts(runtime, kind: str) -> list[str]:
    with runtime.db() as session:
        return list(session.scalars(select(SmsMessage.text).where(SmsMessage.kind == kind).order_by(SmsMessage.id)))
