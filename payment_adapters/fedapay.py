"""FedaPay: Togo's Moov (Flooz) and Mixx by Yas (Togocom) wallets, signed webhooks.

Settings
    ``AMU_FEDAPAY_SECRET_KEY`` (required)      API secret key, sent as ``Authorization: Bearer``.
    ``AMU_FEDAPAY_WEBHOOK_SECRET`` (required)  the webhook endpoint's signing secret.
    ``AMU_FEDAPAY_ENVIRONMENT``                ``live`` (default) or ``sandbox``: the default base URL.
    ``AMU_FEDAPAY_BASE_URL``                   default ``https://api.fedapay.com``
                                               (sandbox ``https://sandbox-api.fedapay.com``).
    ``AMU_FEDAPAY_SIGNATURE_TOLERANCE``        seconds, default 300 (0 turns the clock check off).
    ``AMU_FEDAPAY_CONNECT_TIMEOUT`` / ``AMU_FEDAPAY_READ_TIMEOUT``  else ``AMU_HTTP_*``.

A collection is three calls, following FedaPay's "Gestion des collectes" guide
(payment without redirection) and its official SDKs:

1. ``POST /v1/transactions`` {description, amount, currency {iso: XOF}, callback_url,
   custom_metadata {reference}} -> ``{"v1/transaction": {id, reference, status, ...}}``.
   Our reference travels in ``custom_metadata.reference``; FedaPay's ``id`` is the
   provider reference. (``callback_url`` is where FedaPay sends a browser after a
   hosted payment; webhooks are configured in the dashboard.)
2. ``POST /v1/transactions/{id}/token`` -> {token, url}.
3. ``POST /v1/{mode}`` {token, phone_number {number, country}} pushes the PIN prompt;
   the Togo modes are ``moov_tg`` (Moov) and ``togocel`` (Mixx by Yas). The API
   reference's OpenAPI page writes this path ``/transactions/{mode}``, but its own code
   sample and the SDKs' ``sendNowWithToken`` post to ``/{mode}``: we follow the SDKs.

Status: ``GET /v1/transactions/{id}``. Paid statuses (as the SDKs' ``wasPaid``):
approved, transferred, refunded and the partially refunded ones; failed: declined,
canceled; pending: pending. Any other status is reported as unreadable, not guessed.

Webhooks carry ``X-FEDAPAY-SIGNATURE: t=<unix>,s=<hex>``, HMAC-SHA256 over
``"<t>.<raw body>"`` with the endpoint secret, checked in constant time with a
timestamp tolerance (see `payment_adapters.signing`). The body is an event
``{"name": "transaction.approved", "entity": {...transaction...}}``; events that are
not about transactions raise `CallbackIgnored`.

Statement: ``fetch_statement`` pages through ``GET /v1/transactions/search`` (see
`payment_adapters.fedapay_statement`); ``import_statement`` reads dashboard exports (CSV or
XLSX) through ``statement_formats/fedapay.toml``, whose column names are ours: FedaPay
does not document its export. See `payment_adapters.settings` for the mapping, retry and
page-size settings (``AMU_FEDAPAY_STATEMENT_*``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator, Mapping, Sequence

import requests

from .base import (CallbackEvent, Clock, CollectionRequest, CollectionResult,
                   InboundCallback, PaymentAdapter, PaymentStatus, StatusResult)
from .errors import (AdapterConfigError, CallbackIgnored, CallbackRejected,
                     ProviderRefused, ProviderUnavailable)
from .fedapay_fields import (MODES, NETWORK_OF_MODE, TRANSACTION_STATUSES, our_reference,
                             phone_of, unwrap)
from .fedapay_statement import fetch_fedapay_statement
from .http import JsonHttpClient
from .money import reported_amount
from .phones import local_number
from .settings import Settings
from .signing import CallbackVerifier
from .statement_lines import StatementLine
from .timestamps import parse_optional_timestamp, utc_window

BASE_URLS = {"live": "https://api.fedapay.com", "sandbox": "https://sandbox-api.fedapay.com"}
SIGNATURE_HEADER = "X-FEDAPAY-SIGNATURE"


class FedaPayAdapter(PaymentAdapter):
    name = "fedapay"
    signed_callbacks = True

    def __init__(self, settings: Mapping[str, str], *,
                 session: requests.Session | None = None, clock: Clock | None = None):
        config = Settings(settings, "AMU_FEDAPAY")
        environment = config.text("AMU_FEDAPAY_ENVIRONMENT", "live")
        if environment not in BASE_URLS:
            raise AdapterConfigError(
                f"AMU_FEDAPAY_ENVIRONMENT must be live or sandbox, got {environment!r}")
        self.callbacks = CallbackVerifier(config, SIGNATURE_HEADER, clock=clock)
        self.configure_statements(config)
        self.http = JsonHttpClient(
            "fedapay", config.base_url(BASE_URLS[environment]), config.timeouts(), session,
            headers={"Authorization": f"Bearer {config.text('AMU_FEDAPAY_SECRET_KEY')}"})

    def initiate(self, request: CollectionRequest) -> CollectionResult:
        created = self.http.post("/v1/transactions", {
            "description": request.description,
            "amount": request.amount,
            "currency": {"iso": "XOF"},
            "callback_url": request.callback_url,
            "custom_metadata": {"reference": request.reference},
        })
        transaction = unwrap(self.http.answer(created, "transaction creation"), "transaction")
        if transaction.get("id") in (None, ""):
            raise ProviderUnavailable("fedapay: transaction created without an id")
        transaction_id = str(transaction["id"])
        try:
            token = self.http.answer(
                self.http.post(f"/v1/transactions/{transaction_id}/token", {}), "token request")
            if not token.get("token"):
                raise ProviderUnavailable("fedapay: token answer without a token")
            sent = self.http.answer(self.http.post(f"/v1/{MODES[request.network]}", {
                "token": token["token"],
                "phone_number": {"number": local_number(request.phone), "country": "tg"},
            }), "mobile money push")
        except (ProviderUnavailable, ProviderRefused) as exc:
            exc.provider_reference = transaction_id  # the transaction exists: keep its id
            raise
        raw = {"transaction": transaction, "token": token, "send": sent}
        return CollectionResult(request.reference, transaction_id, PaymentStatus.PENDING, raw)

    def parse_callback(self, callback: InboundCallback) -> CallbackEvent:
        event = self.callbacks.json_object(callback)
        name = str(event.get("name") or event.get("type") or "")
        if not name.startswith("transaction."):
            raise CallbackIgnored(f"not a transaction event: {name or 'unnamed'}")
        entity = event.get("entity")
        if not isinstance(entity, dict) or entity.get("id") in (None, ""):
            raise CallbackRejected("malformed: event without a transaction entity")
        status = TRANSACTION_STATUSES.get(str(entity.get("status")))
        if status is None:
            raise CallbackIgnored(
                f"transaction status {entity.get('status')!r} is not one we act on")
        amount = reported_amount(entity.get("amount"), CallbackRejected, "malformed: ")
        return CallbackEvent(
            reference=our_reference(entity),
            provider_reference=str(entity["id"]),
            status=status,
            amount=amount,
            phone=phone_of(entity),
            network=NETWORK_OF_MODE.get(str(entity.get("mode"))),
            occurred_at=parse_optional_timestamp(
                entity.get("approved_at") or entity.get("declined_at")
                or entity.get("canceled_at") or entity.get("updated_at")),
            authenticated=True,
            raw=event,
        )

    def fetch_status(self, reference: str | None,
                     provider_reference: str | None = None) -> StatusResult:
        if not provider_reference:
            raise ValueError("FedaPay looks transactions up by its own id: "
                             "pass provider_reference (FedaPay's transaction id)")
        reply = self.http.get(f"/v1/transactions/{provider_reference}")
        if reply.status == 404:
            return StatusResult(reference, provider_reference, PaymentStatus.UNKNOWN, None,
                                reply.body or {})
        transaction = unwrap(self.http.answer(reply, "status request"), "transaction")
        status = TRANSACTION_STATUSES.get(str(transaction.get("status")))
        if status is None:
            raise ProviderUnavailable(
                f"fedapay: unrecognised transaction status {transaction.get('status')!r}")
        amount = reported_amount(transaction.get("amount"), ProviderUnavailable,
                                 "fedapay: status answer has ")
        return StatusResult(
            reference=our_reference(transaction) or reference,
            provider_reference=provider_reference,
            status=status,
            amount=amount,
            raw=transaction,
        )

    def fetch_statement(self, start: datetime, end: datetime, *,
                        references: Sequence[str] = (),
                        progress: Callable[[int], None] | None = None) -> Iterator[StatementLine]:
        """Every transaction of [start, end) from ``GET /v1/transactions/search``."""
        return fetch_fedapay_statement(self, *utc_window(start, end), progress)

