"""Turn a screen into the text a phone shows: folded to GSM-7, within `max_chars`.

Lists are cut into pages by rendered length; item numbers continue across pages.
A screen with a body (a summary to confirm, a dependent's details) shows all its
options on one page: when too long, its title gives way, then the longest body
lines are shortened at a word boundary; the navigation lines go only if that is
not enough. An input's question never gives way to its body.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .context import Ctx
from .gsm7 import gsm7_length, shorten_words, to_gsm7
from .screens import REQUIRED, Choice, End, Input, Line, Menu, Screen

BACK, HOME_KEY, MORE = "0", "00", "98"
TITLE_KEEP = 30  # on a crowded confirm screen, the title gives way first
SHORTEST = 12  # a line is never shortened below this
LONGEST_LIST = 97  # item numbers must never reach 98 ("Suite")


@dataclass(frozen=True)
class Page:
    text: str
    next_start: int | None = None  # index of the first item of the next page, if any
    shown: int = 0  # highest item number shown on this page
    values: tuple[Any, ...] = ()  # the value of every item of the list, in order (see `entries`)


def measure(lines: list[str]) -> int:
    return sum(gsm7_length(line) for line in lines) + max(len(lines) - 1, 0)


def entries(screen: Menu | Choice, ctx: Ctx) -> list[tuple[Any, str]]:
    """(value, label) of every item: the label key of a Menu option (a plain string, unlike
    its target), the code of a Choice item."""
    if isinstance(screen, Menu):
        found = [(label, ctx.t(label)) for label, _ in screen.offered(ctx)]
    elif callable(screen.items):
        found = list(screen.items(ctx))
    else:
        found = [(code, ctx.t(label)) for code, label in screen.items]
    if len(found) > LONGEST_LIST:
        raise ValueError(f"screen {screen.id!r} lists {len(found)} items; at most {LONGEST_LIST}")
    return found


def render(screen: Screen, ctx: Ctx, *, notice: str | None, start: int, max_chars: int) -> Page:
    """The page of `screen` whose first list item is item `start` (0-based)."""
    body = screen.body(ctx) if getattr(screen, "body", None) else []
    head = [Line(notice)] if notice else []
    if screen.title:
        params = screen.params(ctx) if screen.params else {}
        gives_way = bool(body) and isinstance(screen, (Menu, Choice))  # the question of an Input stays
        head.append(Line(ctx.t(screen.title, **params), TITLE_KEEP if gives_way else REQUIRED))
    nav = [Line(text, shrink=False) for text in _nav(ctx)] if getattr(screen, "nav", False) else []
    if isinstance(screen, End):
        return Page(_join(fit(head + body, max_chars)))
    if isinstance(screen, Input):
        return Page(_join(fit(head + body + nav, max_chars)))
    found = entries(screen, ctx)
    values = tuple(value for value, _ in found)
    items = [f"{n}. {label}" for n, (_, label) in enumerate(found, start=1)]
    if body:
        options = [Line(item, shrink=False) for item in items]
        lines = fit(head + body + options + nav, max_chars)
        if measure(lines) > max_chars:
            lines = fit(head + body + options, max_chars)
        return Page(_join(lines), shown=len(items), values=values)
    more = to_gsm7(f"{MORE}. {ctx.t('nav.more')}")
    folded = [to_gsm7(item) for item in items]
    lines, next_start = _page(fit(head, max_chars), folded, fit(nav, max_chars), start, max_chars, more)
    return Page(_join(lines), next_start, shown=len(items) if next_start is None else next_start, values=values)


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


def _nav(ctx: Ctx) -> list[str]:
    return [f"{BACK}. {ctx.t('nav.back')}", f"{HOME_KEY}. {ctx.t('nav.home')}"]


def _page(head, items, nav, start, max_chars, more) -> tuple[list[str], int | None]:
    rest = items[start:]
    if measure(head + rest + nav) <= max_chars:
        return head + rest + nav, None
    chosen: list[str] = []
    for item in rest:
        if measure(head + chosen + [item, more] + nav) > max_chars:
            break
        chosen.append(item)
    if not chosen:  # a single label longer than the screen: shorten it rather than fail
        room = max(max_chars - measure(head + [more] + nav) - 1, SHORTEST)
        chosen = [shorten_words(rest[0], room)]
    return head + chosen + [more] + nav, start + len(chosen)


def fit(lines: list[Line], budget: int) -> list[str]:
    """Fold `lines` and make them fit `budget`: drop the least important first
    (the later one among equals), then shorten the longest at a word boundary."""
    kept = [Line(to_gsm7(line.text), line.keep, line.shrink) for line in lines]
    while measure([line.text for line in kept]) > budget:
        optional = [i for i, line in enumerate(kept) if line.keep < REQUIRED]
        if not optional:
            break
        del kept[min(reversed(optional), key=lambda i: kept[i].keep)]
    texts = [line.text for line in kept]
    shrinkable = {i for i, line in enumerate(kept) if line.shrink}
    while (excess := measure(texts) - budget) > 0 and shrinkable:
        longest = max(shrinkable, key=lambda i: gsm7_length(texts[i]))
        shorter = shorten_words(texts[longest], max(gsm7_length(texts[longest]) - excess, SHORTEST))
        if gsm7_length(shorter) >= gsm7_length(texts[longest]):
            shrinkable.discard(longest)
        else:
            texts[longest] = shorter
    return texts
