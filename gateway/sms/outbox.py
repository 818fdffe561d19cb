"""Store an SMS, then queue its sending once the transaction that made it commits (the
SMS of one transaction, e.g. the receipts of a batch of payments, queued together)."""
from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from gateway.jobs.queue import JobQueue
from gateway.models import SmsMessage
from gateway.sms.texts import render_sms
from gateway.transactions import after_commit


def queue_sms(
    session: Session, queue: JobQueue, *, phone: str, kind: str, language: str, member_id: int | None = None,
    template: str | None = None, **params
) -> SmsMessage:
    """`template`: the text (``sms.<template>``) when the kind has several (a receipt's head)."""
    message = SmsMessage(
        phone=phone, member_id=member_id, kind=kind, text=render_sms(template or kind, language, **params),
        status="queued",
    )
    session.add(message)  # written with the rest of the transaction (its id is known after the flush)
    waiting = session.info.get(_WAITING)
    if waiting is None:
        waiting = session.info[_WAITING] = []

        def send_them() -> None:  # those a rolled-back savepoint took away are not in the session
            queue.enqueue_many("gateway.jobs.sms.send_sms", [(m.id,) for m in waiting if m in session], retries=True)

        after_commit(session, send_them)
    waiting.append(message)
    return message


_WAITING = "sms_to_queue"


@event.listens_for(Session, "after_transaction_end")
def _forget_waiting(session: Session, transaction) -> None:
    if transaction.parent is None:  # committed (queued just before) or rolled back
        session.info.pop(_WAITING, None)
