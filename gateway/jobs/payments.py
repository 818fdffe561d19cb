"""Payment jobs: start a collection, ask a provider how one went (the rules, and the
care to hold no lock during a provider call: gateway.services.collections)."""
from __future__ import annotations

from gateway.runtime import get_runtime
from gateway.services import collections


def initiate_collection(intent_id: int) -> None:
    collections.start_collection(get_runtime(), intent_id)


def poll_payment(intent_id: int, force: bool = False) -> None:
    collections.poll_collection(get_runtime(), intent_id, force)
