"""Payment adapters: one provider-neutral interface to the mobile-money aggregators.

The gateway speaks only these dataclasses (`payment_adapters.base`)::

    adapter = build_adapter("paygate", os.environ)      # or "fedapay", "fake"
    result = adapter.initiate(CollectionRequest(...))   # -> CollectionResult (pending)
    event = adapter.parse_callback(InboundCallback(...))  # -> CallbackEvent
    if not event.authenticated:                         # PayGate: a hint only
        truth = adapter.fetch_status(event.reference, event.provider_reference)
    for line in adapter.import_statement("export.xlsx"):  # StatementLine, one at a time
        store(line)                                     # in ONE transaction (see below)
    lines = adapter.fetch_statement(start, end, references=ours, progress=bar.advance)

Statements: `import_statement` reads a dashboard export (CSV or XLSX, picked by the
importers in `statement_importers`) through the provider's column mapping, data in
``payment_adapters/statement_formats/<name>.toml`` that ``AMU_<NAME>_STATEMENT_MAPPING``
can replace; `fetch_statement` asks the provider's API for [start, end) (a provider
without a statement listing, ``statement_needs_references``, is asked about each of
our references instead). Both give `StatementLine`s or raise `StatementError`
naming the file line, sheet row or listing entry. Both are lazy: the lines before a
bad one have already been given when it raises, so all or nothing is the caller's:
store the lines inside one database transaction and roll it back on any error.
``list()`` only a small statement: a line held in memory costs about 1.2 KB (a
million-line export would take over a gigabyte); streamed, the import stays flat.

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
   ``name`` and ``signed_callbacks`` (and ``statement_needs_references`` if the
   provider cannot list its transactions); build a `JsonHttpClient` from
   `Settings(settings, "AMU_<NAME>")` (base URL and timeouts) and call
   ``self.configure_statements(config)``; implement ``initiate``, ``parse_callback``
   (read the body with `signing.CallbackVerifier` if the provider signs, else
   `InboundCallback.json_object`), ``fetch_status`` (`JsonHttpClient.answer` maps 4xx
   to `ProviderRefused`; read amounts with `money.reported_amount`) and
   ``fetch_statement`` (page through a listing with `listing.page_through`). Map every
   documented provider code explicitly; anything unrecognised raises rather than guesses.
   Write ``statement_formats/<name>.toml``, the column mapping of its dashboard export
   (copy a shipped one: every key is explained there).
2. List the settings and the provider's documentation in the module docstring.
3. Add it to ``_BUILT_IN`` in `payment_adapters.registry`.
4. Record the provider's documented payloads under
   ``tests/payment_adapters/payloads/<name>/`` (with their source in the README there)
   and test against them with the local stand-in server (``tests/payment_adapters/stubs.py``);
   add golden statement cases under ``tests/payment_adapters/statements/<name>_csv/`` etc.
"""
from __future__ import annotations

from .base import (CallbackEvent, CollectionRequest, CollectionResult, InboundCallback,
                   PaymentAdapter, PaymentStatus, StatusResult)
from .errors import (AdapterConfigError, CallbackIgnored, CallbackRejected,
                     CallbackUnauthenticated, DuplicateReference, PaymentAdapterError, ProviderRefused,
                     ProviderUnavailable, StatementError)
from .registry import available_adapters, build_adapter, register
from .statement_lines import LineKind, StatementImporter, StatementLine, StatementStatus

__all__ = [
    "AdapterConfigError", "CallbackEvent", "CallbackIgnored", "CallbackRejected", "CallbackUnauthenticated",
    "CollectionRequest", "CollectionResult", "DuplicateReference", "InboundCallback",
    "PaymentAdapter", "PaymentAdapterError", "PaymentStatus", "ProviderRefused",
    "ProviderUnavailable", "StatementError", "StatementImporter", "StatementLine",
    "StatementStatus", "LineKind",
    "StatusResult",
    "available_adapters", "build_adapter", "register",
]
