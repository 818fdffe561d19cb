"""Reading adapter settings (plain ``str -> str`` mappings, e.g. the environment).

Shared by every adapter:

- ``AMU_HTTP_CONNECT_TIMEOUT`` (default 5 s) and ``AMU_HTTP_READ_TIMEOUT`` (default 15 s);
  each adapter also reads ``AMU_<NAME>_CONNECT_TIMEOUT`` / ``AMU_<NAME>_READ_TIMEOUT``
  first, e.g. ``AMU_PAYGATE_READ_TIMEOUT``.
- ``AMU_<NAME>_STATEMENT_MAPPING``: a TOML column mapping for the provider's statement
  exports, instead of the one shipped in ``payment_adapters/statement_formats/``.
- ``AMU_<NAME>_STATEMENT_ATTEMPTS`` (default 4) and ``AMU_<NAME>_STATEMENT_BACKOFF``
  (default 1 s, doubled before each next attempt, at most 60 s): how a statement pull
  retries a request the provider could not answer; ``AMU_<NAME>_STATEMENT_PAGE_SIZE``
  (default 100, at most 500): entries asked per page of a statement listing.
"""
from __future__ import annotations

from typing import Mapping

from .errors import AdapterConfigError
from .retry import Retry

DEFAULT_CONNECT_TIMEOUT = 5.0
DEFAULT_READ_TIMEOUT = 15.0


class Settings:
    """Typed access to one adapter's settings, with the adapter's prefix for overrides."""

    def __init__(self, values: Mapping[str, str], prefix: str):
        self.values = values
        self.prefix = prefix  # e.g. "AMU_PAYGATE"

    def text(self, name: str, default: str | None = None) -> str:
        value = self.values.get(name)
        if value is None or str(value).strip() == "":
            if default is None:
                raise AdapterConfigError(f"setting {name} is required")
            return default
        return str(value).strip()

    def number(self, name: str, default: float) -> float:
        raw = self.values.get(name)
        if raw is None or str(raw).strip() == "":
            return default
        try:
            value = float(raw)
        except ValueError:
            raise AdapterConfigError(f"setting {name} must be a number, got {raw!r}") from None
        if value < 0:
            raise AdapterConfigError(f"setting {name} must not be negative, got {raw!r}")
        return value

    def base_url(self, default: str) -> str:
        return self.text(f"{self.prefix}_BASE_URL", default).rstrip("/")

    def timeouts(self) -> tuple[float, float]:
        """(connect, read) seconds for `requests`."""
        connect = self.number(
            f"{self.prefix}_CONNECT_TIMEOUT",
            self.number("AMU_HTTP_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT),
        )
        read = self.number(
            f"{self.prefix}_READ_TIMEOUT",
            self.number("AMU_HTTP_READ_TIMEOUT", DEFAULT_READ_TIMEOUT),
        )
        return connect, read

    def statement_mapping_path(self) -> str | None:
        return self.text(f"{self.prefix}_STATEMENT_MAPPING", "") or None

    def statement_retry(self) -> Retry:
        attempts = self.number(f"{self.prefix}_STATEMENT_ATTEMPTS", 4)
        if attempts < 1 or attempts != int(attempts):
            raise AdapterConfigError(
                f"setting {self.prefix}_STATEMENT_ATTEMPTS must be a whole number from 1")
        return Retry(int(attempts), self.number(f"{self.prefix}_STATEMENT_BACKOFF", 1.0))

    def statement_page_size(self) -> int:
        size = self.number(f"{self.prefix}_STATEMENT_PAGE_SIZE", 100)
        if not 1 <= size <= 500 or size != int(size):
            raise AdapterConfigError(
                f"setting {self.prefix}_STATEMENT_PAGE_SIZE must be a whole number from 1 to 500")
        return int(size)
