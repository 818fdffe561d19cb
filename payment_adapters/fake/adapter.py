"""The client for the fake provider: a real HTTP adapter with signed callbacks.

Settings
    ``AMU_FAKE_BASE_URL`` (required)      where the fake provider listens, e.g. the URL
                                          `serve_in_thread` returned.
    ``AMU_FAKE_API_KEY``                  default ``fake-api-key-not-secret``.
    ``AMU_FAKE_WEBHOOK_SECRET``           default ``fake-webhook-secret-not-secret``; must
                                          match the provider's ``webhook_secret``.
    ``AMU_FAKE_SIGNATURE_TOLERANCE``      seconds, default 300 (0 turns the clock check off).
    ``AMU_FAKE_CONNECT_TIMEOUT`` / ``AMU_FAKE_READ_TIMEOUT``  else ``AMU_HTTP_*``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Mapping

import requests

from ..base import (CallbackEvent, Clock, CollectionRequest, CollectionResult,
                    InboundCallback, PaymentAdapter, PaymentStatus, StatusResult)
from ..errors import CallbackRejected, DuplicateReference, ProviderUnavailable
from ..http import JsonHttpClient
from ..money import reported_amount
from ..phones import NETWORKS, to_e164_tg
from ..settings import Settings
from ..signing import CallbackVerifier
from ..statement_lines import StatementStatus
from ..statements import StatementFormat
from ..timestamps import parse_optional_timestamp
from .protocol import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER, STATUSES


class FakeAdapter(PaymentAdapter):
    name = "fake"
    signed_callbacks = True
    statement_format = StatementFormat(
        provider_reference="id",
        reference="reference",
        amount="amount",
        fee="fee",
        phone="phone",
        network="network",
        occurred_at="occurred_at",
        status="status",
        status_values={name: StatementStatus(status.value) for name, status in STATUSES.items()},
        network_values={network: network for network in NETWORKS},
    )

    def __init__(self, settings: Mapping[str, str], *,
                 session: requests.Session | None = None, clock: Clock | None = None):
        config = Settings(settings, "AMU_FAKE")
        self.callbacks = CallbackVerifier(config, SIGNATURE_HEADER,
                                          default_secret=DEFAULT_WEBHOOK_SECRET, clock=clock)
        api_key = config.text("AMU_FAKE_API_KEY", DEFAULT_API_KEY)
        self.http = JsonHttpClient(
            "fake", config.text("AMU_FAKE_BASE_URL"), config.timeouts(), session,
            headers={"Authorization": f"Bearer {api_key}"})

    def initiate(self, request: CollectionRequest) -> CollectionResult:
        reply = self.http.post("/v1/collections", {
            "reference": request.reference,
            "amount": request.amount,
            "phone": request.phone,
            "network": request.network,
            "description": request.description,
            "callback_url": request.callback_url,
        })
        if reply.status == 409:
            body = reply.body or {}
            existing = body.get("collection") or {}
            raise DuplicateReference(
                "duplicate_reference", str(body.get("message", "")), http_status=409,
                provider_reference=existing.get("id"), raw=body)
        body = self.http.answer(reply, "collection request")
        return CollectionResult(request.reference, body.get("id"),
                                _status(body.get("status")), body)

    def parse_callback(self, callback: InboundCallback) -> CallbackEvent:
        body = self.callbacks.json_object(callback)
        if not body.get("reference") or not body.get("id"):
            raise CallbackRejected("malformed: reference and id are required")
        status = STATUSES.get(str(body.get("status")))
        if status is None:
            raise CallbackRejected(f"malformed: unknown status {body.get('status')!r}")
        amount = reported_amount(body.get("amount"), CallbackRejected, "malformed: ")
        network = body.get("network")
        return CallbackEvent(
            reference=str(body["reference"]),
            provider_reference=str(body["id"]),
            status=status,
            amount=amount,
            phone=to_e164_tg(body.get("phone")),
            network=network if network in NETWORKS else None,
            occurred_at=parse_optional_timestamp(body.get("occurred_at")),
            authenticated=True,
            raw=body,
        )

    def fetch_status(self, reference: str | None,
                     provider_reference: str | None = None) -> StatusResult:
        key = reference or provider_reference
        if not key:
            raise ValueError("fetch_status needs a reference or a provider_reference")
        reply = self.http.get(f"/v1/collections/{key}")
        if reply.status == 404:
            return StatusResult(reference, provider_reference, PaymentStatus.UNKNOWN, None,
                                reply.body or {})
        body = self.http.answer(reply, "status request")
        amount = reported_amount(body.get("amount"), ProviderUnavailable,
                                 "fake: status answer has ")
        return StatusResult(body.get("reference", reference), body.get("id", provider_reference),
                            _status(body.get("status")), amount, body)

    def download_statement(self, since: datetime | None = None,
                           until: datetime | None = None) -> str:
        """The provider's statement CSV text, ready for `read_statement(io.StringIO(...))`."""
        params = {key: value.isoformat()
                  for key, value in (("since", since), ("until", until)) if value}
        reply = self.http.get("/v1/statement.csv", params=params)
        if not reply.ok:
            raise self.http.unexpected(reply, "statement download")
        return reply.text


def _status(value: object) -> PaymentStatus:
    status = STATUSES.get(str(value))
    if status is None:
        raise ProviderUnavailable(f"fake: unknown status {value!r}")
    return status
