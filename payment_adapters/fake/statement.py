"""The fake provider's statement, from its journal: every collection it recorded (a
declined one as a failed line, one sent back twice or never still as one line, at the
amount it confirmed, with its fee) and every payout to the merchant's bank. A request
refused with HTTP 503 was never recorded, so it has no line.

Two faces, like a real provider: the dashboard export (CSV, read by
``statement_formats/fake.toml``) and the JSON listing, page by page.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from .journal import Collection
from .protocol import STATEMENT_COLUMNS


def statement_csv(entries: Sequence[Collection]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, STATEMENT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow(entry.statement_view())
    return out.getvalue()


def statement_page(entries: Sequence[Collection], total: int, page: int, per_page: int,
                   more: bool) -> dict:
    """A page of the listing; `more` when entries follow it. ``next_after`` is where the
    next page starts (the last entry's number), whatever moved in the meantime."""
    return {
        "lines": [entry.statement_view() for entry in entries],
        "meta": {"current_page": page, "next_page": page + 1 if more else None,
                 "next_after": entries[-1].seq if more else None,
                 "total_pages": max(1, -(-total // per_page)), "total_count": total,
                 "per_page": per_page},
    }
