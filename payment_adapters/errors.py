"""What can go wrong when talking to a payment provider, and what the caller should do.

| error | meaning | what the gateway does |
|---|---|---|
| `ProviderUnavailable` | timeout, connection error, 5xx, unreadable answer | ask `fetch_status` later, then retry if the provider does not know the reference |
| `ProviderRefused` | the provider said no (4xx or a business code) | mark the attempt failed; show `code`/`message` to staff |
| `DuplicateReference` | the provider already has a collection with our reference | ask `fetch_status`: the earlier attempt is the truth |
| `CallbackRejected` | a callback is malformed, badly signed or stale | store it, answer 4xx, never credit it |
| `CallbackUnauthenticated` | (a `CallbackRejected`) its signature is missing, wrong or stale | as above, answer 401 |
| `CallbackIgnored` | an authentic callback about something that is not a collection | store it, answer 200, do nothing |
| `StatementError` | a statement (file or API listing) cannot be read; `str()` is one line naming the file line, sheet row or listing entry | show `str()` to whoever supplied the file; import none of it |
| `AdapterConfigError` | a required setting is missing or wrong | refuse to start |
"""
from __future__ import annotations


class PaymentAdapterError(Exception):
    """Base class of every error raised by an adapter."""


class AdapterConfigError(PaymentAdapterError, ValueError):
    """A setting is missing or malformed."""


class ProviderUnavailable(PaymentAdapterError):
    """The provider could not be reached or gave no usable answer.

    Safe to retry after asking the status: the provider may or may not have
    recorded the request. `provider_reference` is set when part of a multi-step
    initiation succeeded (e.g. FedaPay created the transaction, then the push failed).
    """

    def __init__(self, message: str, *, provider_reference: str | None = None):
        super().__init__(message)
        self.provider_reference = provider_reference


class ProviderRefused(PaymentAdapterError):
    """The provider understood the request and said no."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        http_status: int | None = None,
        provider_reference: str | None = None,
        raw: dict | None = None,
    ):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.http_status = http_status
        self.provider_reference = provider_reference
        self.raw = raw or {}


class DuplicateReference(ProviderRefused):
    """The provider already holds a collection under this reference (idempotency key)."""


class CallbackRejected(PaymentAdapterError):
    """A callback that must not be trusted: malformed, bad signature, stale timestamp."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CallbackUnauthenticated(CallbackRejected):
    """A signed provider's callback whose signature is missing, wrong or stale."""


class CallbackIgnored(PaymentAdapterError):
    """An authentic callback that is not about a collection (e.g. ``customer.created``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class StatementError(PaymentAdapterError):
    """A statement cannot be read. The message is one line: ``line N: reason`` for a CSV
    file, ``row N: reason`` for an XLSX sheet, ``entry N: reason`` for an API listing
    (`place`), or the reason alone when it is about the whole file."""

    def __init__(self, reason: str, *, line: int | None = None, place: str = "line"):
        super().__init__(f"{place} {line}: {reason}" if line is not None else reason)
        self.reason = reason
        self.line = line
        self.place = place
