"""Provider callbacks: stored raw, read once as of their arrival, applied by a job.

Reading a callback gives a `Verdict` of one `Reading` kind; the kind, never the wording
of an error, decides the stored outcome and the HTTP status the provider is answered.
A verdict is reached once: a callback read (accepted, ignored or rejected) is never read
again, and one that cannot be read is rejected with its reason, not retried.
"""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import DataError

from gateway import clock
from gateway.models import ProviderCallback
from gateway.transactions import after_commit
from payment_adapters import (
    AdapterConfigError,
    CallbackEvent,
    CallbackIgnored,
    CallbackRejected,
    CallbackUnauthenticated,
    InboundCallback,
    PaymentStatus,
    available_adapters,
    build_adapter,
)

log = logging.getLogger("amu.callbacks")


class Reading(enum.Enum):
    """What reading a stored callback concluded: (outcome stored, HTTP status answered)."""

    ACCEPTED = ("received", 200)  # read; a job confirms and applies it
    READ_ALREADY = (None, 200)  # read before: that verdict stands
    IGNORED = ("ignored", 200)  # authentic, but not about a collection
    UNKNOWN_PROVIDER = ("rejected", 404)
    UNAUTHENTICATED = ("rejected", 401)  # signature missing, wrong or stale
    MALFORMED = ("rejected", 400)  # cannot be read: not JSON, too deep, too long, out of range
    NOT_CONFIGURED = ("received", 202)  # our configuration, not the callback: kept, read by the sweep

    def __init__(self, outcome: str | None, http_status: int):
        self.outcome, self.http_status = outcome, http_status


@dataclass(frozen=True)
class Verdict:
    reading: Reading
    detail: str

    @property
    def http_status(self) -> int:
        return self.reading.http_status

    @property
    def message(self) -> str:
        """One line for the provider: 'accepted', 'rejected: bad signature', ..."""
        if self.reading is Reading.ACCEPTED:
            return "accepted"
        return f"{self.reading.outcome or 'read already'}: {self.detail}"


def store_callback(runtime, *, provider: str, headers: dict, query: dict, body: bytes, remote_addr: str) -> int:
    """Nothing is judged before this commit: even a forgery (with the right token) is kept."""
    with runtime.db.begin() as session:
        row = ProviderCallback(
            provider=provider, headers=headers, query=query, body=body, remote_addr=remote_addr[:64], outcome="received"
        )
        session.add(row)
        session.flush()
        return row.id


def event_to_json(event: CallbackEvent) -> dict:
    return {
        "reference": event.reference,
        "provider_reference": event.provider_reference,
        "status": event.status.value,
        "amount": event.amount,
        "phone": event.phone,
        "network": event.network,
        "occurred_at": event.occurred_at.isoformat() if event.occurred_at else None,
        "authenticated": event.authenticated,
    }


def event_from_json(data: dict) -> CallbackEvent:
    return CallbackEvent(
        reference=data["reference"],
        provider_reference=data["provider_reference"],
        status=PaymentStatus(data["status"]),
        amount=data["amount"],
        phone=data["phone"],
        network=data["network"],
        occurred_at=datetime.fromisoformat(data["occurred_at"]) if data["occurred_at"] else None,
        authenticated=data["authenticated"],
    )


def judge_on_arrival(runtime, callback_id: int) -> Verdict:
    """Read a stored callback as of the moment it arrived: a signature is judged against
    that moment, so a callback kept unread while its adapter was not configured is not
    refused as stale when it is read later."""
    try:
        return _judge(runtime, callback_id)
    except DataError as exc:
        # What the adapter read is a value the database refuses: reading it again would
        # fail again, so the callback ends here instead of looping in the sweep.
        with runtime.db.begin() as session:
            row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
            verdict = Verdict(Reading.MALFORMED, f"malformed: a value cannot be stored ({type(exc.orig).__name__})")
            if row.outcome == "received" and row.event is None:
                _close(row, verdict)
            return verdict


def _judge(runtime, callback_id: int) -> Verdict:
    with runtime.db.begin() as session:
        row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
        if row is None or row.outcome != "received" or row.event is not None:
            return Verdict(Reading.READ_ALREADY, row.outcome if row else "no such callback")
        if row.provider not in available_adapters():
            return _close(row, Verdict(Reading.UNKNOWN_PROVIDER, f"unknown provider {row.provider!r}"))
        arrived = row.received_at.timestamp()
        try:
            adapter = build_adapter(row.provider, runtime.adapter_settings, clock=lambda: arrived)
        except AdapterConfigError as exc:
            row.detail = f"adapter not configured: {exc}"
            return Verdict(Reading.NOT_CONFIGURED, f"{row.provider} is not configured here; kept, read later")
        verdict, event = _read(adapter, row)
        if event is None:
            return _close(row, verdict)
        row.event = event_to_json(event)
        row.provider_reference = event.provider_reference
        after_commit(session, lambda: runtime.queue.enqueue("gateway.jobs.callbacks.apply_callback", callback_id, retries=True))
        return verdict


def _read(adapter, row: ProviderCallback) -> tuple[Verdict, CallbackEvent | None]:
    try:
        event = adapter.parse_callback(InboundCallback(row.headers, row.body, row.query, row.remote_addr))
    except CallbackUnauthenticated as exc:
        return Verdict(Reading.UNAUTHENTICATED, exc.reason), None
    except CallbackRejected as exc:
        return Verdict(Reading.MALFORMED, exc.reason), None
    except CallbackIgnored as exc:
        return Verdict(Reading.IGNORED, exc.reason), None
    except RecursionError:
        return Verdict(Reading.MALFORMED, "malformed: nested too deep"), None
    except Exception as exc:  # noqa: BLE001 - what an adapter cannot read is refused, never a 500 or a retry
        log.exception("callback #%s: %s adapter failed to read it", row.id, row.provider)
        return Verdict(Reading.MALFORMED, f"malformed: unreadable ({type(exc).__name__})"), None
    return Verdict(Reading.ACCEPTED, "accepted"), event


def _close(row: ProviderCallback, verdict: Verdict) -> Verdict:
    row.outcome, row.detail, row.processed_at = verdict.reading.outcome, verdict.detail[:500], clock.now()
    return verdict
