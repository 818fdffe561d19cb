"""Provider callbacks: stored raw, read once on arrival, applied by a job."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gateway import clock
from gateway.models import ProviderCallback
from gateway.transactions import after_commit
from payment_adapters import (
    AdapterConfigError,
    CallbackEvent,
    CallbackIgnored,
    CallbackRejected,
    InboundCallback,
    PaymentStatus,
    available_adapters,
)


@dataclass(frozen=True)
class Verdict:
    http_status: int
    message: str


def store_callback(runtime, *, provider: str, headers: dict, query: dict, body: bytes, remote_addr: str) -> int:
    """Nothing is judged before this commit: even a forgery is kept."""
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


def judge_on_arrival(runtime, callback_id: int, refuse: str | None = None) -> Verdict:
    with runtime.db.begin() as session:
        row = session.get(ProviderCallback, callback_id, with_for_update={"key_share": True})
        if row.outcome != "received" or row.event is not None:
            return Verdict(200, f"{row.outcome}: read already")

        def close(outcome: str, detail: str, status: int) -> Verdict:
            row.outcome, row.detail, row.processed_at = outcome, detail, clock.now()
            return Verdict(status, f"{outcome}: {detail}")

        if refuse:
            return close("rejected", refuse, 403)
        if row.provider not in available_adapters():
            return close("rejected", f"unknown provider {row.provider!r}", 404)
        try:
            adapter = runtime.adapter(row.provider)
        except AdapterConfigError as exc:
            # Our configuration is wrong, not the callback: keep it `received` and ask
            # the provider to try again later.
            row.detail = f"adapter not configured: {exc}"
            return Verdict(503, f"received, not processed: {row.provider} is not configured here")
        try:
            event = adapter.parse_callback(InboundCallback(row.headers, row.body, row.query, row.remote_addr))
        except CallbackRejected as exc:
            return close("rejected", str(exc), 401 if "signature" in str(exc).lower() else 400)
        except CallbackIgnored as exc:
            return close("ignored", str(exc), 200)
        row.event = event_to_json(event)
        row.provider_reference = event.provider_reference
        from gateway.services.callback_application import queue_apply

        signed = event.authenticated
        after_commit(session, lambda: queue_apply(runtime, callback_id, signed))
        return Verdict(200, "accepted")
