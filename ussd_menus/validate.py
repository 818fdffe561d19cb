"""Check a set of journeys before any phone call: links, reachability, catalog keys."""
from __future__ import annotations

from collections import deque
from typing import Iterable

from .catalog import Catalog
from .gsm7 import gsm7_length, to_gsm7
from .screens import HOME, HOME_MEMBER, HOME_NEW, Journey, Screen, links, static_keys

HARD_LIMIT = 182  # characters of one USSD screen, whatever the operator


class MenuDefinitionError(ValueError):
    """The journeys or catalogs are inconsistent; the message lists every problem."""


def build_table(
    journeys: Iterable[Journey],
    catalog: Catalog,
    *,
    builtins: Iterable[Screen] = (),
    pseudo_targets: Iterable[str] = (),
    keys: Iterable[str] = (),
) -> dict[str, Screen]:
    """The screens by id, after checking the whole graph; raises MenuDefinitionError.

    `builtins` are the engine's own screens (entry points, not reached from home),
    `pseudo_targets` the link targets the engine resolves itself, `keys` the catalog
    keys the engine uses.
    """
    journeys = list(journeys)
    builtins = list(builtins)
    problems: list[str] = []
    table: dict[str, Screen] = {}
    for screen in [s for j in journeys for s in j.screens] + builtins:
        if screen.id in table:
            problems.append(f"screen {screen.id!r} is defined twice")
        table[screen.id] = screen
    known_targets = set(table) | {HOME, *pseudo_targets}
    for screen in table.values():
        for target in links(screen):
            if target not in known_targets:
                problems.append(f"screen {screen.id!r} links to unknown screen {target!r}")
    for screen in table.values():
        labels = [label for label, _ in getattr(screen, "options", ())]  # a Menu's
        for label in sorted({label for label in labels if labels.count(label) > 1}):
            # an answer is kept as the label of the option picked: it must name one option
            problems.append(f"screen {screen.id!r} has the option {label!r} twice")
        for target in sorted(set(getattr(screen, "shown_if", {})) - set(links(screen))):
            problems.append(f"screen {screen.id!r} has a condition for {target!r}, not one of its options")
    problems += _unreachable(table, {s.id for s in builtins})
    problems += catalog.problems()
    used = {k for s in table.values() for k in static_keys(s)}
    used |= {k for j in journeys for k in j.keys} | {j.resume for j in journeys if j.resume} | set(keys)
    for key in sorted(used):
        if not catalog.has(key):
            problems.append(f"catalog key {key!r} is used but not defined")
    for language, texts in catalog.texts.items():
        for key, text in texts.items():
            if gsm7_length(to_gsm7(text)) > HARD_LIMIT:
                problems.append(f"catalog {language!r} key {key!r} is longer than {HARD_LIMIT} characters")
    if problems:
        raise MenuDefinitionError("invalid USSD menus:\n- " + "\n- ".join(problems))
    return table


def _unreachable(table: dict[str, Screen], builtin_ids: set[str]) -> list[str]:
    roots = [r for r in (HOME_NEW, HOME_MEMBER) if r in table]
    missing = [f"home screen {r!r} is not defined" for r in (HOME_NEW, HOME_MEMBER) if r not in table]
    seen = set(roots) | builtin_ids
    queue = deque(list(seen))
    while queue:
        for target in links(table[queue.popleft()]):
            if target in table and target not in seen:
                seen.add(target)
                queue.append(target)
    unreachable = [sid for sid in table if sid not in seen]
    return missing + [f"screen {sid!r} cannot be reached from a home menu" for sid in unreachable]
