"""The fake payment provider: a real provider over HTTP, for the embedded default and tests.

Two halves:

- `FakeProvider` + `serve_in_thread`: the provider itself, a small Flask app on a
  local port that keeps collections in memory. On initiation it answers "pending"
  at once, then after a delay settles the collection and POSTs a signed JSON
  callback (``X-Fake-Signature``, HMAC-SHA256 over ``"<t>.<raw body>"``, like
  FedaPay) to the request's ``callback_url``. Its status API always knows the truth.
- `FakeAdapter` (registry name ``"fake"``): the client, an adapter like the others.

Scripting knobs (details in `payment_adapters.fake.scripting`):

- `FakeProvider(settle_delay=..., seed=..., profile=RandomProfile(...), magic_amounts=...)`;
- `provider.script(reference, behaviour)` and `provider.script_next(*behaviours)` with
  `Behaviour(approve, delay, callbacks, confirmed_amount, unavailable, hold)` or the
  ready-made `DECLINE`, `DUPLICATE`, `DROP`, `UNAVAILABLE`, `HOLD`, `altered(n)`, `delayed(s)`;
- `provider.release_held(order)` sends held callbacks in another order (reorder);
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

from dataclasses import dataclass
from typing import Callable, Mapping

from ..errors import AdapterConfigError
from ..settings import Settings
from .adapter import FakeAdapter
from .protocol import DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET
from .provider import FakeProvider
from .scripting import (APPROVE, DECLINE, DROP, DUPLICATE, HOLD, UNAVAILABLE, Behaviour,
                        RandomProfile, altered, delayed)
from .server import create_app, serve_in_thread

__all__ = [
    "APPROVE", "DECLINE", "DROP", "DUPLICATE", "HOLD", "UNAVAILABLE", "Behaviour",
    "EmbeddedFake", "FakeAdapter", "FakeProvider", "RandomProfile", "altered", "create_app",
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
    default random) and ``AMU_FAKE_MAGIC_AMOUNTS`` (``1``/``0``, default 1).
    """
    config = Settings(settings, "AMU_FAKE")
    seed_text = config.text("AMU_FAKE_SEED", "")
    magic_text = config.text("AMU_FAKE_MAGIC_AMOUNTS", "1")
    if seed_text and not seed_text.lstrip("-").isdigit():
        raise AdapterConfigError(f"AMU_FAKE_SEED must be an integer, got {seed_text!r}")
    if magic_text not in ("0", "1"):
        raise AdapterConfigError(f"AMU_FAKE_MAGIC_AMOUNTS must be 0 or 1, got {magic_text!r}")
    provider = FakeProvider(
        webhook_secret=config.text("AMU_FAKE_WEBHOOK_SECRET", DEFAULT_WEBHOOK_SECRET),
        api_key=config.text("AMU_FAKE_API_KEY", DEFAULT_API_KEY),
        settle_delay=config.number("AMU_FAKE_SETTLE_DELAY", 2.0),
        seed=int(seed_text) if seed_text else None,
        magic_amounts=magic_text == "1",
    )
    base_url, stop = serve_in_thread(host, port, provider)
    return EmbeddedFake(base_url, {**settings, "AMU_FAKE_BASE_URL": base_url}, provider, stop)
