"""Who actually sends an SMS. Chosen by AMU_SMS_BACKEND."""
from __future__ import annotations

import itertools
import logging
from dataclasses import dataclass
from typing import Protocol

from gateway.phones import masked

log = logging.getLogger("amu.sms")


@dataclass(frozen=True)
class SendResult:
    provider_message_id: str | None
    accepted: bool
    detail: str


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> SendResult: ...


class LogSender:
    """The embedded default: the SMS is written to the log instead of being sent. The
    number is masked and the text (names, AMU numbers) left out unless
    `show_personal_data` (AMU_LOG_PERSONAL_DATA=1, development only); `amu members show`
    prints every SMS a member was sent."""

    def __init__(self, show_personal_data: bool = False):
        self._ids = itertools.count(1)
        self.sent: list[tuple[str, str]] = []
        self.show_personal_data = show_personal_data

    def send(self, phone: str, text: str) -> SendResult:
        self.sent.append((phone, text))
        if self.show_personal_data:
            log.info("SMS to %s: %s", phone, text)
        else:
            log.info("SMS to %s, %s characters (AMU_LOG_PERSONAL_DATA=1 shows it)", masked(phone), len(text))
        return SendResult(provider_message_id=f"log-{next(self._ids)}", accepted=True, detail="logged")


class SmsSendError(Exception):
    """Sending failed in a way worth retrying (network, 5xx)."""


# Africa's Talking recipient statusCode: 100 Processed, 101 Sent, 102 Queued are accepted;
# 401-407 are final refusals (risk hold, bad sender id, bad number, blacklisted...).
AT_ACCEPTED = {100, 101, 102}


class AfricasTalkingSender:
    """Africa's Talking through its SDK's SMSService, built here so that it gets our
    timeout and credentials instead of the SDK's module-level globals."""

    def __init__(self, username: str, api_key: str, sender_id: str = "", timeout: float = 10.0, base_url: str = ""):
        from africastalking.SMS import SMSService

        self._service = SMSService(username, api_key)
        if base_url:
            self._service._baseUrl = base_url.rstrip("/") + "/version1"
        self._sender_id = sender_id or None
        self._timeout = (3.05, timeout)

    def send(self, phone: str, text: str) -> SendResult:
        from africastalking.Service import AfricasTalkingException
        import requests

        try:
            reply = self._service.send(text, [phone], sender_id=self._sender_id, timeout=self._timeout)
        except (requests.RequestException, AfricasTalkingException) as exc:
            raise SmsSendError(str(exc)[:300]) from exc
        recipients = (reply or {}).get("SMSMessageData", {}).get("Recipients", []) if isinstance(reply, dict) else []
        if not recipients:
            raise SmsSendError(f"no recipient in Africa's Talking reply: {str(reply)[:300]}")
        first = recipients[0]
        code = int(first.get("statusCode", 0))
        if code in AT_ACCEPTED:
            return SendResult(first.get("messageId"), True, first.get("status", ""))
        if code >= 500:
            raise SmsSendError(f"Africa's Talking {code} {first.get('status')}")
        return SendResult(first.get("messageId"), False, f"{code} {first.get('status')}")


def build_sender(settings) -> SmsSender:
    if settings.sms_backend == "africastalking":
        return AfricasTalkingSender(
            settings.at_username,
            settings.at_api_key,
            settings.at_sender_id,
            settings.http_timeout,
            settings.raw.get("AT_BASE_URL", ""),
        )
    return LogSender(settings.log_personal_data)
