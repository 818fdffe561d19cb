"""Choose adapters by name from configuration.

Built-in adapters are named here as import paths, so importing the package does
not import every provider; `register` adds others (e.g. a test double).
"""
from __future__ import annotations

import importlib
from typing import Callable, Mapping

import requests

from .base import Clock, PaymentAdapter
from .errors import AdapterConfigError

AdapterFactory = Callable[..., PaymentAdapter]

_BUILT_IN = {
    "fake": "payment_adapters.fake.adapter:FakeAdapter",
    "paygate": "payment_adapters.paygate:PayGateAdapter",
    "fedapay": "payment_adapters.fedapay:FedaPayAdapter",
}
_registered: dict[str, AdapterFactory] = {}


def register(name: str, factory: AdapterFactory) -> None:
    """Make `factory(settings, session=..., clock=...)` available as `name`."""
    _registered[name] = factory


def available_adapters() -> list[str]:
    return sorted({*_BUILT_IN, *_registered})


def build_adapter(
    name: str,
    settings: Mapping[str, str],
    *,
    session: requests.Session | None = None,
    clock: Clock | None = None,
) -> PaymentAdapter:
    """Build the adapter called `name` from `settings` (e.g. ``os.environ``).

    Raises AdapterConfigError for an unknown name or a missing required setting.
    """
    factory = _registered.get(name) or _load_built_in(name)
    return factory(settings, session=session, clock=clock)


def _load_built_in(name: str) -> AdapterFactory:
    target = _BUILT_IN.get(name)
    if target is None:
        raise AdapterConfigError(
            f"unknown payment adapter {name!r}; available: {', '.join(available_adapters())}")
    module_name, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module_name), attribute)
