"""PayGate Global (Togo): Flooz (Moov Africa) and T-Money / Mixx by Yas (Togocom).

Settings
    ``AMU_PAYGATE_AUTH_TOKEN`` (required)   the merchant API key, sent as ``auth_token``.
    ``AMU_PAYGATE_BASE_URL``                default ``https://paygateglobal.com``.
    ``AMU_PAYGATE_CONNECT_TIMEOUT`` / ``AMU_PAYGATE_READ_TIMEOUT``
                                            else ``AMU_HTTP_*``, else 5 s / 15 s.

The API, as PayGate's public documentation describes it ("Demander un paiement -
Méthode 1", "Vérifier l'état d'un Paiement"; JSON over HTTP POST):

- ``/api/v1/pay`` {auth_token, phone_number, amount, description, identifier, network}
  answers {tx_reference, status}: 0 registered, 2 invalid token, 4 invalid
  parameters, 6 duplicate (a transaction with this identifier exists).
- ``/api/v2/status`` {auth_token, identifier} and ``/api/v1/status`` {auth_token,
  tx_reference} answer {tx_reference, payment_reference, status, datetime,
  payment_method}; the payment status is 0 paid, 2 in progress, 4 expired,
  6 cancelled (the same codes for v1 and v2). An unknown transaction answers
  ``{"error_code": 403, "error_message": "Transaction non trouvée."}``: seen in public
  integrations, not in the documentation.
- The callback: once a payment is made, PayGate POSTs JSON {tx_reference,
  identifier, payment_reference, amount, datetime, payment_method, phone_number} to
  the callback URL set in the merchant dashboard (``/api/v1/pay`` takes no callback
  URL, so `CollectionRequest.callback_url` is not sent). It is NOT signed:
  `parse_callback` returns ``authenticated=False`` and the gateway must confirm with
  `fetch_status` before crediting.

Our reference is PayGate's ``identifier``; ``tx_reference`` is the provider reference.

Statement: PayGate has no statement API. ``fetch_statement`` re-asks ``/api/v2/status``
for each of our references it is given (``statement_needs_references``) and makes a line
of each answer PayGate knows (see `payment_adapters.paygate_statement`). Dashboard
exports (CSV or XLSX) are read through ``statement_formats/paygate.toml``, whose column
names are ours: PayGate does not document its export.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable, Iterator, Mapping, Sequence
from urllib.parse import parse_qsl

import requests

from .base import (CallbackEvent, Clock, CollectionRequest, CollectionResult,
                   InboundCallback, PaymentAdapter, PaymentStatus, StatusResult)
from .errors import (CallbackRejected, DuplicateReference, ProviderRefused,
                     ProviderUnavailable)
from .http import JsonHttpClient
from .money import reported_amount
from .phones import local_number, to_e164_tg
from .paygate_statement import restatement
from .settings import Settings
from .statement_lines import StatementLine
from .statement_mapping import value_key
from .timestamps import parse_optional_timestamp, utc_window

NETWORK_CODES = {"yas": "TMONEY", "moov": "FLOOZ"}
PAYMENT_METHODS = {value_key(method): network
                   for method, network in {"FLOOZ": "moov", "TMONEY": "yas", "T-Money": "yas"}.items()}

PAY_REFUSALS = {2: "invalid authentication token", 4: "invalid parameters"}
PAY_DUPLICATE = 6
PAYMENT_STATUSES = {
    0: PaymentStatus.SUCCEEDED,  # paiement réussi avec succès
    2: PaymentStatus.PENDING,  # en cours
    4: PaymentStatus.FAILED,  # expiré
    6: PaymentStatus.FAILED,  # annulé
}
NOT_FOUND_ERROR_CODE = 403


class PayGateAdapter(PaymentAdapter):
    name = "paygate"
    signed_callbacks = False
    statement_needs_references = True

    def __init__(self, settings: Mapping[str, str], *,
                 session: requests.Session | None = None, clock: Clock | None = None):
        config = Settings(settings, "AMU_PAYGATE")
        self.auth_token = config.text("AMU_PAYGATE_AUTH_TOKEN")
        self.http = JsonHttpClient(
            "paygate", config.base_url("https://paygateglobal.com"), config.timeouts(), session)
        self.configure_statements(config)

    def initiate(self, request: CollectionRequest) -> CollectionResult:
        reply = self.http.post("/api/v1/pay", {
            "auth_token": self.auth_token,
            "phone_number": local_number(request.phone),
            "amount": request.amount,
            "description": request.description,
            "identifier": request.reference,
            "network": NETWORK_CODES[request.network],
        })
        body = reply.body or {}
        code = _code(body.get("status"))
        tx_reference = _text(body.get("tx_reference"))
        if code == 0:
            return CollectionResult(request.reference, tx_reference, PaymentStatus.PENDING, body)
        if code == PAY_DUPLICATE:
            raise DuplicateReference(
                "6", "a transaction with this identifier already exists",
                http_status=reply.status, provider_reference=tx_reference, raw=body)
        if code in PAY_REFUSALS:
            raise ProviderRefused(str(code), PAY_REFUSALS[code], http_status=reply.status, raw=body)
        raise self.http.unexpected(reply, "payment request")

    def parse_callback(self, callback: InboundCallback) -> CallbackEvent:
        body = _callback_fields(callback)
        reference = _text(body.get("identifier"))
        tx_reference = _text(body.get("tx_reference"))
        if reference is None and tx_reference is None:
            raise CallbackRejected("malformed: neither identifier nor tx_reference")
        amount = reported_amount(body.get("amount"), CallbackRejected, "malformed: ",
                                 optional=True)
        method = _text(body.get("payment_method"))
        return CallbackEvent(
            reference=reference,
            provider_reference=tx_reference,
            status=PaymentStatus.SUCCEEDED,  # PayGate calls back only once a payment is made
            amount=amount,
            phone=to_e164_tg(body.get("phone_number")),
            network=self.network_of(method),
            occurred_at=parse_optional_timestamp(body.get("datetime")),
            authenticated=False,
            raw=body,
        )

    def fetch_status(self, reference: str | None,
                     provider_reference: str | None = None) -> StatusResult:
        if reference:
            reply = self.http.post("/api/v2/status",
                                   {"auth_token": self.auth_token, "identifier": reference})
        elif provider_reference:
            reply = self.http.post("/api/v1/status", {"auth_token": self.auth_token,
                                                      "tx_reference": provider_reference})
        else:
            raise ValueError("fetch_status needs a reference or a provider_reference")
        body = reply.body or {}
        error_code = _code(body.get("error_code"))
        if error_code == NOT_FOUND_ERROR_CODE or reply.status == 404:
            return StatusResult(reference, provider_reference, PaymentStatus.UNKNOWN, None, body)
        if error_code is not None:
            raise ProviderRefused(str(error_code), str(body.get("error_message", "")),
                                  http_status=reply.status, raw=body)
        status = PAYMENT_STATUSES.get(_code(body.get("status")))
        if status is None:
            raise self.http.unexpected(reply, "status request")
        amount = reported_amount(body.get("amount"), ProviderUnavailable,
                                 "paygate: status answer has ", optional=True)
        return StatusResult(
            reference=reference or _text(body.get("identifier")),
            provider_reference=_text(body.get("tx_reference")) or provider_reference,
            status=status,
            amount=amount,
            raw=body,
        )

    def fetch_statement(self, start: datetime, end: datetime, *,
                        references: Sequence[str] = (),
                        progress: Callable[[int], None] | None = None) -> Iterator[StatementLine]:
        """A line for each of `references` PayGate knows, from its v2 status answer.
        The references are the window: [start, end) is checked, not used to filter."""
        utc_window(start, end)
        return restatement(self, list(references), progress)

    def network_of(self, method: str | None) -> str | None:
        """The network a ``payment_method`` names; None when unknown (a callback is
        only a hint, the status answer is what counts)."""
        return PAYMENT_METHODS.get(value_key(method)) if method else None


def _callback_fields(callback: InboundCallback) -> dict:
    content_type = (callback.header("Content-Type") or "").lower()
    if "application/x-www-form-urlencoded" not in content_type:
        return callback.json_object()
    try:
        return dict(parse_qsl(callback.body.decode("utf-8"), keep_blank_values=True))
    except ValueError:  # UnicodeDecodeError
        raise CallbackRejected("malformed: body is not JSON") from None


def _code(value: object) -> int | None:
    try:
        return int(value)  # PayGate sends numbers; tolerate "0"
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
