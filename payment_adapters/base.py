"""The provider-neutral interface: dataclasses in, dataclasses out.

An adapter translates between these types and one provider's HTTP API. It never
touches the database; the gateway stores what it gets back.
"""
from __future__ import annotations

import abc
import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, ClassVar, Iterator, Mapping

from .errors import CallbackRejected
from .http import loads
from .money import positive_francs
from .phones import NETWORKS, is_e164_tg
from .statement_lines import StatementLine, StatementSource
from .statements import StatementFormat, read_statement

Clock = Callable[[], float]  # seconds since the epoch, like time.time
MAX_REFERENCE = 80  # no provider's reference is longer; a longer one is not a reference


class PaymentStatus(str, enum.Enum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    UNKNOWN = "unknown"  # the provider does not know this reference

    @property
    def is_final(self) -> bool:
        return self in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED)


@dataclass(frozen=True)
class CollectionRequest:
    """Ask a member's wallet for money. Validated here, at the edge."""

    reference: str  # our idempotency key, saved before any provider call
    amount: int  # whole francs
    phone: str  # E.164, +228XXXXXXXX
    network: str  # "yas" | "moov"
    description: str
    callback_url: str

    def __post_init__(self) -> None:
        if not self.reference or not self.reference.strip():
            raise ValueError("reference is required")
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise ValueError(f"amount must be whole francs (int), got {self.amount!r}")
        positive_francs(self.amount)
        if not is_e164_tg(self.phone):
            raise ValueError(f"phone must be +228 and 8 digits, got {self.phone!r}")
        if self.network not in NETWORKS:
            raise ValueError(f"network must be one of {NETWORKS}, got {self.network!r}")


@dataclass(frozen=True)
class CollectionResult:
    reference: str
    provider_reference: str | None
    status: PaymentStatus
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class InboundCallback:
    """The raw HTTP request of a callback, as the gateway stored it."""

    headers: Mapping[str, str]
    body: bytes
    query: Mapping[str, str] = field(default_factory=dict)
    remote_addr: str = ""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    def json_object(self) -> dict:
        """The body as a JSON object (fractions as `Decimal`), else CallbackRejected."""
        try:
            value = loads(self.body)
        except ValueError:  # UnicodeDecodeError included
            raise CallbackRejected("malformed: body is not JSON") from None
        if not isinstance(value, dict):
            raise CallbackRejected("malformed: body is not a JSON object")
        return value


@dataclass(frozen=True)
class CallbackEvent:
    reference: str | None
    provider_reference: str | None
    status: PaymentStatus
    amount: int | None
    phone: str | None
    network: str | None
    occurred_at: datetime | None
    # True when a signature proved the callback came from the provider. False means the
    # event is only a hint: confirm it with fetch_status before crediting anything.
    authenticated: bool
    raw: dict = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for name in ("reference", "provider_reference"):
            value = getattr(self, name)
            if value is not None and (len(value) > MAX_REFERENCE or not value.isprintable()):
                raise CallbackRejected(f"malformed: {name} longer than {MAX_REFERENCE} characters "
                                       "or with control characters")


@dataclass(frozen=True)
class StatusResult:
    reference: str | None
    provider_reference: str | None
    status: PaymentStatus
    amount: int | None  # the amount the provider confirms; may differ from the request
    raw: dict = field(default_factory=dict, compare=False)


class PaymentAdapter(abc.ABC):
    """One payment provider. Subclasses set `name`, `signed_callbacks` and
    `statement_format`, and implement the three HTTP-facing methods."""

    name: ClassVar[str]
    signed_callbacks: ClassVar[bool]
    statement_format: ClassVar[StatementFormat]

    @abc.abstractmethod
    def initiate(self, request: CollectionRequest) -> CollectionResult:
        """Ask the provider to push a PIN prompt. Raises ProviderUnavailable,
        ProviderRefused or DuplicateReference."""

    @abc.abstractmethod
    def parse_callback(self, callback: InboundCallback) -> CallbackEvent:
        """Verify (when signed) and read a stored callback. Raises CallbackRejected
        or CallbackIgnored."""

    @abc.abstractmethod
    def fetch_status(
        self, reference: str | None, provider_reference: str | None = None
    ) -> StatusResult:
        """Ask the provider for the truth about one collection. UNKNOWN when the
        provider has never heard of it."""

    def read_statement(self, source: StatementSource) -> Iterator[StatementLine]:
        """Read a statement CSV (a path or an open file). Raises StatementError."""
        return read_statement(source, self.statement_format)

