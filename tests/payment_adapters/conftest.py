from __future__ import annotations

import socket

import pytest

from payment_adapters import build_adapter
from payment_adapters.fake import FakeProvider, serve_in_thread

from .stubs import CallbackReceiver, StubProvider

FAKE_SETTLE_DELAY = 0.05


@pytest.fixture
def stub():
    provider = StubProvider()
    yield provider
    provider.stop()


@pytest.fixture
def receiver():
    callbacks = CallbackReceiver()
    yield callbacks
    callbacks.stop()


@pytest.fixture
def closed_port_url() -> str:
    """A local URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"



@pytest.fixture
def provider() -> FakeProvider:
    """A fake provider that settles fast, without magic amounts, with a fixed seed."""
    return FakeProvider(settle_delay=FAKE_SETTLE_DELAY, magic_amounts=False, seed=7)


@pytest.fixture
def fake(provider):
    """The fake adapter, talking over HTTP to `provider` served on 127.0.0.1."""
    base_url, stop = serve_in_thread(provider=provider)
    yield build_adapter("fake", {"AMU_FAKE_BASE_URL": base_url})
    stop()
