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


def lome(day, hour: int = 10):
    """An aware moment on a Lomé day (UTC+0, no daylight saving)."""
    from datetime import datetime, time

    from gateway.clock import LOME

    return datetime.combine(day, time(hour), tzinfo=LOME)


def confirmed_payment(runtime, member_id: int, amount: int, day, payer=None, group_id=None, splits=None) -> str:
    """A payment the provider confirmed on `day`, credited through the same services as
    a real callback (no provider round trip): for worked examples and simulations."""
    from gateway import clock
    from gateway.models import Member
    from gateway.services.payments import settle

    with clock.travel_to(lome(day)):
        with runtime.db.begin() as session:
            phone = payer or session.get(Member, member_id).phone
            intent, _ = start_payment(session, runtime, member_id=member_id, payer_phone=phone, network="yas",
                                      amount=amount, channel="test", group_id=group_id, splits=splits)
            intent.provider_reference = f"test-{intent.reference}"
            settle(session, runtime.queue, intent, amount, "test")
            return intent.reference
