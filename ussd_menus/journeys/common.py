"""Pieces shared by several journeys."""
from __future__ import annotations

from typing import Callable

from ..context import Ctx
from ..formats import parse_name

SEX = (("F", "sex.F"), ("M", "sex.M"))
YES_NO = (("yes", "answer.yes"), ("no", "answer.no"))
WEEKDAYS = tuple((str(d), f"day.{d}") for d in range(7))  # 0 = Monday
MONTHS = tuple((str(m), f"month.{m}") for m in range(1, 13))


def name(text: str, ctx: Ctx) -> str:
    return parse_name(text)


def reference_items(list_name: str) -> Callable[[Ctx], list[tuple[str, str]]]:
    """Items of a reference list ("occupations", "regions", "rhythms") in the session's language."""

    def items(ctx: Ctx) -> list[tuple[str, str]]:
        return [(option.code, ctx.label(option)) for option in getattr(ctx.references(), list_name)]

    return items


def reference_label(ctx: Ctx, list_name: str, code: str) -> str:
    return dict(reference_items(list_name)(ctx)).get(code, code)
