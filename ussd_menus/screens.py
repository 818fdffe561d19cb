"""The building blocks of a journey: screens described as data.

A journey is a table of screens. Each screen has an id (``"join.name"``); links
between screens name those ids, so the whole graph can be checked before the
first phone call (see `validate`). Texts are catalog keys, never literal text.

Functions found in screens receive a `Ctx` (see `context`): the language, the form
being filled, the member, "today" and the services.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Union

if TYPE_CHECKING:
    from .context import Ctx

HOME = "home"  # pseudo-target: the home menu that fits the phone (member or not)
HOME_NEW = "home.new"  # home of a phone that is not a member
HOME_MEMBER = "home.member"


class Invalid(Exception):
    """An entry the screen cannot accept; `reason` is the catalog key shown on top."""

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Branch:
    """A link decided at run time; `targets` lists every screen `choose` may return."""

    choose: Callable[["Ctx"], str]
    targets: tuple[str, ...]


Route = Union[str, Branch]


REQUIRED = 100


@dataclass(frozen=True)
class Line:
    """A line of a screen. When a screen is too long, the lines with the lowest
    `keep` are dropped first, then the longest `shrink`-able ones are shortened."""

    text: str
    keep: int = REQUIRED
    shrink: bool = True
Body = Callable[["Ctx"], list[Line]]
Params = Callable[["Ctx"], dict[str, Any]]


@dataclass(frozen=True)
class Menu:
    """`N. Label` options, each leading to a screen. With a `body`, a confirm screen.

    `shown_if` maps an option's target to a test: that option is offered (and
    numbered) only when the test passes, e.g. "Payer pour mon groupe" to group leaders.
    """

    id: str
    title: str | None
    options: tuple[tuple[str, Route], ...]  # (label key, target)
    body: Body | None = None
    params: Params | None = None  # placeholders of `title`
    nav: bool = True  # show "0. Retour" / "00. Accueil"
    shown_if: Mapping[str, Callable[["Ctx"], bool]] = field(default_factory=dict, hash=False)

    def offered(self, ctx: "Ctx") -> list[tuple[str, Route]]:
        """The options this phone sees, in order."""
        return [(label, target) for label, target in self.options
                if target not in self.shown_if or self.shown_if[target](ctx)]


@dataclass(frozen=True)
class Choice:
    """Pick one item of a list (possibly long and paged); the item's code goes to `field`.

    `items` is either static, ``((code, label key), ...)``, or a function returning
    ``[(code, label text), ...]`` in the session's language.
    """

    id: str
    title: str | None
    field: str
    items: tuple[tuple[str, str], ...] | Callable[["Ctx"], list[tuple[str, str]]]
    next: Route
    body: Body | None = None
    params: Params | None = None
    nav: bool = True
    answer: bool = True  # False for a list that only leads somewhere (not a form's answer to resume)
    # checks the item picked at once (raises Invalid: the list again, the reason on top)
    check: Callable[[Any, "Ctx"], None] | None = None


@dataclass(frozen=True)
class Input:
    """Free text. `parse(text, ctx)` returns the (JSON-serialisable) value stored in
    `field`, or raises `Invalid`. A `body` adds lines under the question."""

    id: str
    title: str
    field: str
    parse: Callable[[str, "Ctx"], Any]
    next: Route
    params: Params | None = None
    nav: bool = True
    body: Body | None = None
    answer: bool = True


@dataclass(frozen=True)
class Action:
    """Not shown: runs (usually a service call) when reached, then follows `next`.
    A `Refused` from the service follows `refused`, its reason shown on top."""

    id: str
    run: Callable[["Ctx"], None]
    next: Route
    refused: Route


@dataclass(frozen=True)
class End:
    """The last screen of a session."""

    id: str
    title: str | None
    body: Body | None = None
    params: Params | None = None


Screen = Union[Menu, Choice, Input, Action, End]


def confirm(id: str, title: str, body: Body, *, yes: Route, no: Route) -> Menu:
    """A summary to check, then "1. Confirmer" / "2. Annuler"."""
    return Menu(id, title, (("confirm.yes", yes), ("confirm.no", no)), body=body)


@dataclass(frozen=True)
class Journey:
    """A set of screens; `keys` names the catalog keys its functions use, so that
    the validator can check them in every language. `resume` is the question that
    offers to resume its form after a dropped session ("resume.join": "Reprendre votre
    adhésion ?"); a journey without one is never offered for resuming."""

    name: str
    screens: tuple[Screen, ...]
    keys: tuple[str, ...] = field(default=())
    resume: str | None = None


def links(screen: Screen) -> list[str]:
    """Every screen id `screen` may lead to."""
    routes: list[Route] = []
    if isinstance(screen, Menu):
        routes = [target for _, target in screen.options]
    elif isinstance(screen, (Choice, Input)):
        routes = [screen.next]
    elif isinstance(screen, Action):
        routes = [screen.next, screen.refused]
    targets: list[str] = []
    for route in routes:
        targets.extend(route.targets if isinstance(route, Branch) else [route])
    return targets


def static_keys(screen: Screen) -> list[str]:
    """The catalog keys named in the screen's definition."""
    keys = [screen.title] if getattr(screen, "title", None) else []
    if isinstance(screen, Menu):
        keys += [label for label, _ in screen.options]
    if isinstance(screen, Choice) and not callable(screen.items):
        keys += [label for _, label in screen.items]
    return keys
