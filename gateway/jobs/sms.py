from __future__ import annotations

import logging

from gateway.models import SmsMessage
from gateway.runtime import get_runtime
from gateway.sms.senders import SmsSendError

log = logging.getLogger("amu.sms")


def send_sms(message_id: int) -> None:
    """Send one stored SMS. Safe to run twice: the row lock and the status make a
    duplicate job a no-op. A retryable failure re-raises so the queue tries again."""
    runtime = get_runtime()
    with runtime.db() as session:
        message = session.get(SmsMessage, message_id, with_for_update={"key_share": True})
        if message is None or message.status != "queued":
            return
        message.attempts += 1
        try:
            result = runtime.sms_sender.send(message.phone, message.text)
        except SmsSendError as exc:
            message.last_error = str(exc)
            final = message.attempts > runtime.settings.job_retries
            if final:
                message.status = "failed"
            session.commit()
            if final:
                log.error("SMS #%s failed for good after %s attempts: %s", message_id, message.attempts, exc)
                return
            raise
        message.provider_message_id = result.provider_message_id
        message.status = "sent" if result.accepted else "failed"
        message.last_error = None if result.accepted else result.detail
        session.commit()
