"""Applying a callback that buys a month costs a fixed handful of SQL statements, whatever
the member's history, none of them reading that history; callbacks that queue up share
one transaction's statements."""
from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from gateway import clock, ledger
from gateway.ledger_check import check_ledger
from gateway.models import CoveragePeriod, Member, PaymentIntent, ProviderCallback
from gateway.services.callback_application import apply_these
from gateway.services.payment_states import move
from tests.gateway.sql_statements import statements
from tests.gateway.payment_helpers import join

HISTORY = re.compile(r"FROM (coverage_periods|ledger_legs|membership_events|payment_events)\b")


def pending_payment(runtime, member_id: int, amount: int, payer: str | None = None) -> PaymentIntent:
    """A payment started and taken by the provider; by the member's own phone unless `payer`."""
    with runtime.db.begin() as session:
        number = session.scalar(select(PaymentIntent.id).order_by(PaymentIntent.id.desc()).limit(1)) or 0
        payer = payer or session.scalar(select(Member.phone).where(Member.id == member_id))
        intent = PaymentIntent(reference=f"AMUSTMT{number + 1:06d}", member_id=member_id, payer_phone=payer,
                               network="yas", provider="fake", amount=amount, status="created",
                               provider_reference=f"fk_s{number + 1}")
        session.add(intent)
        session.flush()
        move(session, intent, "pending", "test")
        return intent


def signed_callback(runtime, intent: PaymentIntent) -> int:
    """A callback as the arrival leaves it once its signature is checked: waiting for a job."""
    with runtime.db.begin() as session:
        row = ProviderCallback(provider="fake", headers={}, query={}, body=b"{}", remote_addr="127.0.0.1", event={
            "reference": intent.reference, "provider_reference": intent.provider_reference, "status": "succeeded",
            "amount": intent.amount, "phone": "+22890000001", "network": "yas",
            "occurred_at": clock.now().isoformat(), "authenticated": True})
        session.add(row)
        session.flush()
        return row.id


@contextmanager
def jobs_only_queued(runtime, monkeypatch):
    """Receipts are queued by the commit, as with Redis; the in-test queue would send them at once."""
    queued: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(runtime.queue, "enqueue", lambda path, *args, **kwargs: queued.append(path))
        patch.setattr(runtime.queue, "enqueue_many", lambda path, calls, **kwargs: queued.extend([path] * len(calls)))
        yield queued


def month_bought_by_callback(runtime, monkeypatch, member_id: int) -> list[str]:
    """The statements of applying one callback of 10 000 F (a month) for the member."""
    callback = signed_callback(runtime, pending_payment(runtime, member_id, 10_000))
    with jobs_only_queued(runtime, monkeypatch) as queued, statements(runtime) as seen:
        apply_these(runtime, [callback])
    assert queued.count("gateway.jobs.sms.send_sms") == 1  # the member's receipt
    return seen


def test_a_callback_that_buys_a_month_costs_the_same_statements_after_3_or_30_payments(runtime, monkeypatch):
    newcomer = join(runtime, phone="+22890000101")
    regular = join(runtime, phone="+22890000102")
    for _ in range(27):
        apply_these(runtime, [signed_callback(runtime, pending_payment(runtime, regular.id, 10_000))])
    for _ in range(2):
        apply_these(runtime, [signed_callback(runtime, pending_payment(runtime, newcomer.id, 10_000))])
    short = month_bought_by_callback(runtime, monkeypatch, newcomer.id)
    long = month_bought_by_callback(runtime, monkeypatch, regular.id)
    assert len(short) == len(long) <= 16  # 39 before the running figures
    assert [s for s in long if HISTORY.search(s)] == []
    with runtime.db() as session:
        assert session.scalar(select(CoveragePeriod).where(CoveragePeriod.member_id == regular.id)
                              .order_by(CoveragePeriod.id.desc()).limit(1)).price == 10_000
        assert len(session.scalars(select(CoveragePeriod).where(CoveragePeriod.member_id == regular.id)).all()) == 28
        assert ledger.member_credit(session, regular.id) == 0
        assert check_ledger(session)[1] == []


def test_callbacks_that_queue_up_share_a_transaction(runtime, monkeypatch):
    members = [join(runtime, phone=f"+228900001{n:02d}") for n in range(10)]
    for member in members:  # each with some history
        apply_these(runtime, [signed_callback(runtime, pending_payment(runtime, member.id, 10_000))])
    lone = month_bought_by_callback(runtime, monkeypatch, members[0].id)
    postgresql = runtime.engine.dialect.name == "postgresql"
    # Each member paying for themselves, then relatives paying for them (each payer gets a
    # receipt too, in their language, naming the member: two more reads a payment).
    # PostgreSQL writes the rows of each table in one statement; SQLite one row at a time
    # where the row's new id is needed back.
    for payer, per_callback in ((None, 3 if postgresql else 10), ("+22890000001", 4 if postgresql else 12)):
        waiting = [signed_callback(runtime, pending_payment(runtime, m.id, 10_000, payer)) for m in members]
        with jobs_only_queued(runtime, monkeypatch), statements(runtime) as seen:
            assert apply_these(runtime, waiting) == 10
        assert len(seen) <= 10 * per_callback, payer
        assert len(seen) < 10 * len(lone)
        with runtime.db() as session:
            outcomes = session.scalars(select(ProviderCallback.outcome).where(ProviderCallback.id.in_(waiting))).all()
            assert outcomes == ["applied"] * 10
            assert check_ledger(session)[1] == []


def test_a_credit_the_ledger_refuses_is_kept_waiting_and_the_rest_of_the_batch_goes_through(runtime, monkeypatch):
    """The payment's collection entry is there already (booked outside the locks that
    should have made that impossible): the unique key refuses a second credit when the
    batch is written; the batch is applied again one callback at a time, the others are
    credited, and the refused one waits, `received`, with the job failing loudly."""
    members = [join(runtime, phone=f"+228900002{n:02d}") for n in range(3)]
    intents = [pending_payment(runtime, m.id, 10_000) for m in members]
    waiting = [signed_callback(runtime, intent) for intent in intents]
    with runtime.db.begin() as session:
        ledger.post(session, key=f"collection:{intents[1].id}", kind="collection", description="booked elsewhere",
                    booked_on=clock.local_date(),
                    legs=[ledger.Leg(ledger.clearing("fake", "yas"), 10_000), ledger.Leg(ledger.SUSPENSE, -10_000)])
    with pytest.raises(IntegrityError), jobs_only_queued(runtime, monkeypatch):
        apply_these(runtime, waiting)
    with runtime.db() as session:
        outcomes = session.scalars(select(ProviderCallback.outcome).order_by(ProviderCallback.id)).all()
        statuses = session.scalars(select(PaymentIntent.status).order_by(PaymentIntent.id)).all()
        assert (outcomes, statuses) == (["applied", "received", "applied"], ["succeeded", "pending", "succeeded"])
        assert [ledger.member_credit(session, m.id) for m in members] == [0, 0, 0]
        assert ledger.balance(session, ledger.PREMIUMS) == -20_000
