"""Store an SMS, then queue its sending once the transaction that made it commits."""
from __future__ import annotations

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
    session.add(message)
    session.flush()
    message_id = message.id
    after_commit(session, lambda: queue.enqueue("gateway.jobs.sms.send_sms", message_id, retries=True))
    return message
