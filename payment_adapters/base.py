"""The provider-neutral interface: dataclasses in, dataclasses out.

An adapter translates between these types and one provider's HTTP API. It never
touches the database; the gateway stores what it gets back.
"""
from __future__ import annotations

import abc
import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, ClassVar, Iterator, Mapping, Sequence

from .errors import CallbackRejected
from .http import loads
from .money import positive_francs
from .phones import NETWORKS, is_e164_tg
from .retry import Retry
from .settings import Settings
from .statement_lines import StatementImporter, StatementLine, StatementSource
from .statement_mapping import StatementMapping, load_mapping
from .statements import file_importers, import_statement

Progress = Callable[[int], None]

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
    """One payment provider. Subclasses set `name` and `signed_callbacks`, call
    `configure_statements` from ``__init__``, and implement the HTTP-facing methods:
    `initiate`, `parse_callback`, `fetch_status` and `fetch_statement`."""

    name: ClassVar[str]
    signed_callbacks: ClassVar[bool]
    # True when the provider has no statement listing: `fetch_statement` then re-asks the
    # status of each of our references given to it, and gives nothing without them.
    statement_needs_references: ClassVar[bool] = False

    statement_retry: Retry = Retry()
    statement_page_size: int = 100
    _mapping_path: str | None = None
    _mapping: StatementMapping | None = None

    def configure_statements(self, config: Settings) -> None:
        """Read ``<PREFIX>_STATEMENT_MAPPING`` (the column mapping of the provider's
        exports), how statement pulls retry (``<PREFIX>_STATEMENT_ATTEMPTS`` /
        ``_BACKOFF``) and how many entries they ask per page (``_PAGE_SIZE``). The
        mapping itself is read when first needed, so a broken mapping stops statement
        imports, never collections."""
        self._mapping_path = config.statement_mapping_path()
        self.statement_retry = config.statement_retry()
        self.statement_page_size = config.statement_page_size()

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

    @abc.abstractmethod
    def fetch_statement(self, start: datetime, end: datetime, *,
                        references: Sequence[str] = (),
                        progress: Progress | None = None) -> Iterator[StatementLine]:
        """The provider's statement for [start, end) (aware datetimes) through its API.

        `references` (ours) are what a provider without a statement listing
        (`statement_needs_references`) is asked about; listing providers ignore them.
        `progress(n)` is called as work is done, n being the entries just received (or
        references just asked), so a progress bar can advance by n. Requests the
        provider cannot answer are retried with backoff (`statement_retry`), then raise
        ProviderUnavailable; an entry that cannot be read raises StatementError naming
        its position ("entry N")."""

    @property
    def statement_mapping(self) -> StatementMapping:
        """The column mapping of this provider's exports (AdapterConfigError if unusable)."""
        if self._mapping is None:
            self._mapping = load_mapping(self.name, self._mapping_path)
        return self._mapping

    @property
    def statement_importers(self) -> tuple[StatementImporter, ...]:
        """The file formats of this provider's dashboard exports: CSV, then XLSX."""
        return file_importers(self.statement_mapping)

    def import_statement(self, source: StatementSource) -> Iterator[StatementLine]:
        """The lines of an exported statement file (a path or an open file).

        Raises StatementError at once when no importer recognises the file ("not a
        <provider> statement: ..."), and while iterating at the first bad line."""
        return import_statement(self.name, self.statement_importers, source)
