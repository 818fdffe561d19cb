"""Payment adapters: one provider-neutral interface to the mobile-money aggregators.

The gateway speaks only these dataclasses (`payment_adapters.base`)::

    adapter = build_adapter("paygate", os.environ)      # or "fedapay", "fake"
    result = adapter.initiate(CollectionRequest(...))   # -> CollectionResult (pending)
    event = adapter.parse_callback(InboundCallback(...))  # -> CallbackEvent
    if not event.authenticated:                         # PayGate: a hint only
        truth = adapter.fetch_status(event.reference, event.provider_reference)
    for line in adapter.read_statement("statement.csv"):  # -> StatementLine
        ...

Adapters never touch the database, never log secrets, and every HTTP call has an
explicit (connect, read) timeout. Errors and what to do with them are listed in
`payment_adapters.errors`. Money is whole francs (int) everywhere; fractions are
refused where they enter.

Adapters: ``fake`` (our own provider over HTTP, `payment_adapters.fake`),
``paygate`` (PayGate Global, unsigned callbacks), ``fedapay`` (FedaPay, signed
webhooks). Each module's docstring lists its settings.

How to add a provider
---------------------
1. Write ``payment_adapters/<name>.py`` with a `PaymentAdapter` subclass: set
   ``name``, ``signed_callbacks`` and a declarative ``statement_format``; build a
   `JsonHttpClient` from `Settings(settings, "AMU_<NAME>")` (base URL and timeouts);
   implement ``initiate``, ``parse_callback`` (read the body with
   `signing.CallbackVerifier` if the provider signs, else `InboundCallback.json_object`)
   and ``fetch_status`` (`JsonHttpClient.answer` maps 4xx to `ProviderRefused`; read
   amounts with `money.reported_amount`). Map every documented provider code
   explicitly; anything unrecognised raises rather than guesses.
2. List the settings and the provider's documentation in the module docstring.
3. Add it to ``_BUILT_IN`` in `payment_adapters.registry`.
4. Record the provider's documented payloads under
   ``tests/payment_adapters/payloads/<name>/`` (with their source in the README there)
   and test against them with the local stand-in server (``tests/payment_adapters/stubs.py``).
"""
from __future__ import annotations

from .base import (CallbackEvent, CollectionRequest, CollectionResult, InboundCallback,
                   PaymentAdapter, PaymentStatus, StatusResult)
from .errors import (AdapterConfigError, CallbackIgnored, CallbackRejected,
                     CallbackUnauthenticated, DuplicateReference, PaymentAdapterError, ProviderRefused,
                     ProviderUnavailable, StatementError)
from .registry import available_adapters, build_adapter, register
from .statement_lines import LineKind, StatementLine, StatementStatus

__all__ = [
    "AdapterConfigError", "CallbackEvent", "CallbackIgnored", "CallbackRejected", "CallbackUnauthenticated",
    "CollectionRequest", "CollectionResult", "DuplicateReference", "InboundCallback",
    "PaymentAdapter", "PaymentAdapterError", "PaymentStatus", "ProviderRefused",
    "ProviderUnavailable", "StatementError", "StatementLine", "StatementStatus", "LineKind",
    "StatusResult",
    "available_adapters", "build_adapter", "register",
]
