"""Bounded retries for reads that are safe to repeat (statement pages, status checks).

Only `ProviderUnavailable` (timeouts, connection errors, 5xx, 408/429) is retried, with
a backoff that doubles up to `MAX_BACKOFF`; a provider that said no (`ProviderRefused`)
is not asked again.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, TypeVar

from .errors import ProviderUnavailable

T = TypeVar("T")
MAX_BACKOFF = 60.0  # seconds: many attempts must not mean waiting hours between two


@dataclass(frozen=True)
class Retry:
    attempts: int = 4  # in all, the first included
    backoff: float = 1.0  # seconds before the second attempt; doubled before each next one
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)

    def call(self, action: Callable[[], T]) -> T:
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except ProviderUnavailable:
                if attempt >= self.attempts:
                    raise
                self.sleep(min(self.backoff * 2 ** (attempt - 1), MAX_BACKOFF))
        raise AssertionError("unreachable")  # attempts >= 1
