"""The client for the fake provider: a real HTTP adapter with signed callbacks.

Settings
    ``AMU_FAKE_BASE_URL`` (required)      where the fake provider listens, e.g. the URL
                                          `serve_in_thread` returned.
    ``AMU_FAKE_API_KEY``                  default ``fake-api-key-not-secret``.
    ``AMU_FAKE_WEBHOOK_SECRET``           default ``fake-webhook-secret-not-secret``; must
                                          match the provider's ``webhook_secret``.
    ``AMU_FAKE_SIGNATURE_TOLERANCE``      seconds, default 300 (0 turns the clock check off).
    ``AMU_FAKE_CONNECT_TIMEOUT`` / ``AMU_FAKE_READ_TIMEOUT``  else ``AMU_HTTP_*``.

Statement: ``fetch_statement`` pages through the provider's JSON listing
(``GET /v1/statement``); ``import_statement`` reads its CSV export
(``GET /v1/statement.csv``, `download_statement`) through ``statement_formats/fake.toml``.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator, Mapping, Sequence

import requests

from ..base import (CallbackEvent, Clock, CollectionRequest, CollectionResult,
                    InboundCallback, PaymentAdapter, PaymentStatus, StatusResult)
from ..errors import CallbackRejected, DuplicateReference, ProviderUnavailable, StatementError
from ..http import JsonHttpClient
from ..listing import page_through
from ..money import reported_amount
from ..phones import NETWORKS, to_e164_tg
from ..settings import Settings
from ..signing import CallbackVerifier
from ..statement_lines import StatementLine
from ..statement_mapping import load_mapping
from ..statement_rows import RowReader
from ..timestamps import parse_optional_timestamp, utc_window
from .protocol import (DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER,
                       STATEMENT_COLUMNS, STATUSES)


class FakeAdapter(PaymentAdapter):
    name = "fake"
    signed_callbacks = True

    def __init__(self, settings: Mapping[str, str], *,
                 session: requests.Session | None = None, clock: Clock | None = None):
        config = Settings(settings, "AMU_FAKE")
        self.callbacks = CallbackVerifier(config, SIGNATURE_HEADER,
                                          default_secret=DEFAULT_WEBHOOK_SECRET, clock=clock)
        api_key = config.text("AMU_FAKE_API_KEY", DEFAULT_API_KEY)
        self.http = JsonHttpClient(
            "fake", config.text("AMU_FAKE_BASE_URL"), config.timeouts(), session,
            headers={"Authorization": f"Bearer {api_key}"})
        self.configure_statements(config)

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

    def fetch_statement(self, start: datetime, end: datetime, *,
                        references: Sequence[str] = (),
                        progress: Callable[[int], None] | None = None) -> Iterator[StatementLine]:
        """Everything the provider did in [start, end), from its JSON listing."""
        since, until = utc_window(start, end)
        return self._listing({"since": since.isoformat(), "until": until.isoformat()}, progress)

    def _listing(self, params: dict, progress) -> Iterator[StatementLine]:
        # The listing's lines have the export's columns, as shipped: a mapping finance adapted
        # to a saved export (AMU_FAKE_STATEMENT_MAPPING) does not change the wire format.
        rows = RowReader(load_mapping(self.name), STATEMENT_COLUMNS)
        entries = page_through(self.http, self.statement_retry, "/v1/statement", params,
                               ("lines",), self.statement_page_size, progress)
        for position, entry in entries:
            try:
                yield rows.line([entry.get(column) for column in STATEMENT_COLUMNS], position)
            except ValueError as exc:
                raise StatementError(str(exc), line=position, place="entry") from None

    def download_statement(self, since: datetime | None = None,
                           until: datetime | None = None) -> str:
        """The provider's CSV export, ready for `import_statement(io.StringIO(...))`."""
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
