"""USSD menus of the AMU gateway: journeys as screen tables, run by a pure engine."""
from .engine import DEFAULT_MAX_CHARS, Engine, Reply, UssdRequest
from .gsm7 import gsm7_length, is_gsm7, to_gsm7
from .session import is_resumable
from .validate import HARD_LIMIT, MenuDefinitionError

__all__ = [
    "DEFAULT_MAX_CHARS", "HARD_LIMIT", "Engine", "MenuDefinitionError", "Reply", "UssdRequest",
    "gsm7_length", "is_gsm7", "is_resumable", "to_gsm7",
]
