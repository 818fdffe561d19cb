"""The fake payment provider: a real provider over HTTP, for the embedded default and tests.

Two halves:

- `FakeProvider` + `serve_in_thread`: the provider itself, a small Flask app on a
  local port that records collections in its journal (a SQLite file shared by every
  process that runs one, or memory). On initiation it answers "pending" at once, then
  after a delay settles the collection and POSTs a signed JSON callback
  (``X-Fake-Signature``, HMAC-SHA256 over ``"<t>.<raw body>"``, like FedaPay) to the
  request's ``callback_url``. Its status API always knows the truth; its statement
  (JSON listing and CSV export) lists everything it ever did, fees and payouts included.
- `FakeAdapter` (registry name ``"fake"``): the client, an adapter like the others.

Scripting knobs (details in `payment_adapters.fake.scripting`):

- `FakeProvider(settle_delay=..., seed=..., profile=RandomProfile(...), magic_amounts=...)`;
- `provider.script(reference, behaviour)` and `provider.script_next(*behaviours)` with
  `Behaviour(approve, delay, callbacks, confirmed_amount, unavailable, hold)` or the
  ready-made `DECLINE`, `DUPLICATE`, `DROP`, `UNAVAILABLE`, `HOLD`, `altered(n)`, `delayed(s)`;
- `provider.release_held(order)` sends held callbacks in another order (reorder);
- `provider.pay_out(amount)` sends money to the merchant's bank (a payout line);
- magic amounts for manual sessions: ...01 declines, ...02 duplicates the callback,
  ...03 drops it, ...04 confirms 1 franc less, ...05 is slow, ...09 answers 503.

Running it for the embedded default::

    fake = start_embedded_provider(os.environ)      # reads AMU_FAKE_* settings
    adapter = build_adapter("fake", fake.settings)  # AMU_FAKE_BASE_URL filled in
    ...
    fake.stop()

or, in another terminal: ``python -m payment_adapters.fake --port 8099``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Mapping

from ..errors import AdapterConfigError
from ..settings import Settings
from .adapter import FakeAdapter
from .journal import Journal
from .protocol import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET
from .provider import FakeProvider
from .scripting import (APPROVE, DECLINE, DROP, DUPLICATE, HOLD, UNAVAILABLE, Behaviour,
                        RandomProfile, altered, delayed)
from .server import create_app, serve_in_thread

__all__ = [
    "APPROVE", "DECLINE", "DROP", "DUPLICATE", "HOLD", "UNAVAILABLE", "Behaviour",
    "EmbeddedFake", "FakeAdapter", "FakeProvider", "Journal", "RandomProfile", "altered", "create_app",
    "delayed", "serve_in_thread", "start_embedded_provider",
]


@dataclass(frozen=True)
class EmbeddedFake:
    base_url: str
    settings: dict  # the given settings plus AMU_FAKE_BASE_URL
    provider: FakeProvider
    stop: Callable[[], None]


def start_embedded_provider(settings: Mapping[str, str], host: str = "127.0.0.1",
                            port: int = 0) -> EmbeddedFake:
    """Start a fake provider in this process, configured from settings.

    Reads ``AMU_FAKE_WEBHOOK_SECRET``, ``AMU_FAKE_API_KEY`` (as the adapter does),
    ``AMU_FAKE_SETTLE_DELAY`` (seconds, default 2), ``AMU_FAKE_SEED`` (an integer,
    default random), ``AMU_FAKE_MAGIC_AMOUNTS`` (``1``/``0``, default 1),
    ``AMU_FAKE_FEE_RATE`` (share kept as fee, default 0.01 = 1 %) and ``AMU_FAKE_STATE``
    (its journal, `journal_path`).
    """
    config = Settings(settings, "AMU_FAKE")
    seed_text = config.text("AMU_FAKE_SEED", "")
    magic_text = config.text("AMU_FAKE_MAGIC_AMOUNTS", "1")
    if seed_text and not seed_text.lstrip("-").isdigit():
        raise AdapterConfigError(f"AMU_FAKE_SEED must be an integer, got {seed_text!r}")
    if magic_text not in ("0", "1"):
        raise AdapterConfigError(f"AMU_FAKE_MAGIC_AMOUNTS must be 0 or 1, got {magic_text!r}")
    fee_rate = config.number("AMU_FAKE_FEE_RATE", 0.01)
    if fee_rate >= 1:
        raise AdapterConfigError(f"AMU_FAKE_FEE_RATE is a share below 1 (0.01 = 1 %), got {fee_rate}")
    provider = FakeProvider(
        webhook_secret=config.text("AMU_FAKE_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
        api_key=config.text("AMU_FAKE_API_KEY", DEFAULT_API_KEY),
        settle_delay=config.number("AMU_FAKE_SETTLE_DELAY", 2.0),
        seed=int(seed_text) if seed_text else None,
        magic_amounts=magic_text == "1",
        fee_rate=fee_rate,
        journal=journal_path(settings),
    )
    base_url, stop = serve_in_thread(host, port, provider)
    return EmbeddedFake(base_url, {**settings, "AMU_FAKE_BASE_URL": base_url}, provider, stop)


def journal_path(settings: Mapping[str, str]) -> str:
    """``AMU_FAKE_STATE``, else ``fake-provider.sqlite3`` next to the embedded SQLite
    database (``DATABASE_URL``), else ``var/fake-provider.sqlite3``: every process of one
    installation shares it, so references never repeat and the statement is complete."""
    explicit = (settings.get("AMU_FAKE_STATE") or "").strip()
    if explicit:
        return explicit
    database = settings.get("DATABASE_URL") or "sqlite:///var/amu.sqlite3"
    if database.startswith("sqlite:///") and ":memory:" not in database:
        folder = os.path.dirname(database[len("sqlite:///"):].split("?")[0])
        return os.path.join(folder or ".", "fake-provider.sqlite3")
    return os.path.join("var", "fake-provider.sqlite3")
