"""The fake provider's wire format, shared by its server and its client adapter.

- ``POST /v1/collections`` JSON {reference, amount, phone, network, description,
  callback_url} -> 201 a collection, 409 duplicate reference (body carries the
  existing collection), 422 invalid request, 503 when scripted to be unavailable.
- ``GET /v1/collections/<reference or id>`` -> 200 a collection, 404 unknown.
- ``GET /v1/statement?since=ISO&until=ISO&page=N&per_page=M[&after=K]`` -> one page of
  the statement, in the order the provider recorded the lines: {"lines": [line, ...],
  "meta": {current_page, next_page, next_after, total_pages, total_count, per_page}}
  (per_page at most 500, default 100). ``after`` = the previous page's ``next_after``
  starts the page after that page's last line, so a line that settles (and moves in
  time) while the listing is read pushes no other line out of it. A line: {id, kind
  (collection | payout), reference, operator_reference, amount, fee, phone, network,
  occurred_at, status}; ``amount`` is what the provider confirmed (or was asked, for a
  failed or pending line), ``occurred_at`` when it settled (else when it was asked).
- ``GET /v1/statement.csv?since=ISO&until=ISO`` -> the same lines as the dashboard's
  CSV export (columns `STATEMENT_COLUMNS`).
- A collection: {id, reference, status, amount, requested_amount, phone, network,
  description, created_at, settled_at}; ``amount`` is what the provider confirms.
- Callbacks: POST JSON {event, id, reference, status, amount, phone, network,
  occurred_at} with ``X-Fake-Signature: t=<unix>,s=<hex>`` (see `payment_adapters.signing`).
- Every endpoint wants ``Authorization: Bearer <api key>`` when the provider has one.
"""
from __future__ import annotations

from ..base import PaymentStatus

SIGNATURE_HEADER = "X-Fake-Signature"
DEFAULT_API_KEY = "fake-api-key-not-secret"
DEFAULT_WEBHOOK_SECRET = "fake-webhook-secret-not-secret"

STATUSES = {
    "pending": PaymentStatus.PENDING,
    "succeeded": PaymentStatus.SUCCEEDED,
    "failed": PaymentStatus.FAILED,
}
STATEMENT_COLUMNS = ("id", "kind", "reference", "operator_reference", "amount", "fee", "phone",
                     "network", "occurred_at", "status")
STATEMENT_PAGE_SIZE = 100
STATEMENT_MAX_PAGE_SIZE = 500
