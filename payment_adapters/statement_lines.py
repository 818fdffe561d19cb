"""What a provider's statement says, one line at a time: the types every statement
source (a dashboard export, an API listing, a re-asked status) produces.

This module depends on nothing else in the package, so the adapters, the file readers
and the gateway's reconciliation can all import it without an import circle.
"""
from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Iterator, Protocol, Union

StatementSource = Union[str, "os.PathLike[str]", IO[str], IO[bytes]]


class StatementStatus(str, enum.Enum):
    """The provider's word about one line. Unlike a payment's status it can say that
    money taken was given back (a refund or reversal)."""

    SUCCEEDED = "succeeded"  # the payer's money was taken (FedaPay approved/transferred)
    FAILED = "failed"  # declined, cancelled, expired: no money taken
    PENDING = "pending"  # not finished when the statement was made
    REFUNDED = "refunded"  # taken, then given back to the payer (wholly or partly)


class LineKind(str, enum.Enum):
    COLLECTION = "collection"  # money a payer paid us through the provider
    PAYOUT = "payout"  # money the provider sent on to the scheme's bank account


@dataclass(frozen=True)
class StatementLine:
    """One line of a provider's statement, normalised.

    `amount` is whole francs, > 0: for a collection, what the payer paid (gross, before
    the provider's fee); for a payout, what the provider sent to the bank. `fee` is the
    provider's fee on this line (>= 0); the provider owes us amount - fee.
    `provider_reference` may be missing (some exports have no id column, or a blank
    cell): importers then fingerprint the line by date, amount, phone, operator reference
    and its occurrence. `line_number` is the physical line of the file (the header is
    line 1), or the 1-based position in an API listing, so a clerk can find it.
    """

    provider_reference: str | None
    reference: str | None  # ours (AMU...), when the provider echoes it
    amount: int
    fee: int
    phone: str | None  # E.164
    network: str | None  # "yas" | "moov"
    occurred_at: datetime  # aware, UTC
    status: StatementStatus
    operator_reference: str | None = None  # the wallet operator's own transaction id
    kind: LineKind = LineKind.COLLECTION
    line_number: int | None = None
    raw: dict = field(default_factory=dict, compare=False)


class StatementImporter(Protocol):
    """A file format a provider's dashboard exports, in the spirit of beangulp's
    importers: `identify` says whether a file is one of ours without reading it all;
    `extract` reads every line or raises `StatementError` naming the file line."""

    name: str

    def identify(self, source: StatementSource) -> bool: ...

    def extract(self, source: StatementSource) -> Iterator[StatementLine]: ...
