"""The USSD engine: (screens, session, new input) -> (reply, new session).

Pure: no HTTP, no SQL, no clock of its own (today is injectable). The gateway turns
its USSD provider's request into a `UssdRequest`, stores the returned session dict
(Redis with a TTL, or memory) and writes `Reply.text` with CON/END.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo

from languages import Registry, registry

from .catalog import Catalog
from .context import Ctx
from .render import BACK, HOME_KEY, MORE, Page, render
from .screens import (
    HOME, HOME_MEMBER, HOME_NEW, Action, Branch, Choice, End, Input, Invalid, Journey, Line, Menu, Route,
)
from .services import MenuServices, Refused
from .session import RESUME, SessionState, is_resumable, new_input
from .validate import HARD_LIMIT, build_table

DEFAULT_MAX_CHARS = 160
RESTORE = "resume.restore"  # pseudo-target: put the draft's screen, page and form back
OFFER = "offer"  # in the form while the resume offer is shown: the question naming the form
RESUME_MENU = Menu(
    RESUME, None, (("resume.continue", RESTORE), ("resume.restart", HOME)),
    body=lambda ctx: [Line(ctx.t(ctx.form[OFFER]))], nav=False,
)
ENGINE_KEYS = ("nav.back", "nav.home", "nav.more", "error.choice", "error.refused")
PAGE_FIELDS = ("page", "page_next", "pages_before", "choices")  # where a list was, kept in a draft
_NUMBER = re.compile(r"[1-9][0-9]?")


@dataclass(frozen=True)
class UssdRequest:
    """One hop of a USSD session, whatever the USSD provider."""

    session_id: str
    phone: str  # E.164, e.g. "+22890112233"
    network: str | None = None  # "yas" | "moov" | None
    service_code: str = ""
    text: str = ""  # everything typed so far in the session, entries joined by "*"


@dataclass(frozen=True)
class Reply:
    text: str
    end: bool  # True: the session ends on this screen (END); False: it waits for input (CON)


def lome_today() -> date:
    return datetime.now(ZoneInfo("Africa/Lome")).date()


class Engine:
    def __init__(
        self,
        journeys: Iterable[Journey] | None = None,
        catalogs: Mapping[str, Mapping[str, str]] | None = None,
        *,
        today: Callable[[], date] = lome_today,
        default_language: str | None = None,
        languages: Registry | None = None,
    ):
        """`languages`: the registry to speak (default: the gateway's); `catalogs` replaces
        its texts (tests of the validation)."""
        if journeys is None:
            from .journeys import default_journeys

            journeys = default_journeys()
        languages = languages or registry()
        self.catalog = Catalog(catalogs if catalogs is not None else languages.texts(),
                               default_language or languages.default, languages.names())
        journeys = list(journeys)
        self.screens = build_table(
            journeys, self.catalog, builtins=[RESUME_MENU], pseudo_targets=[RESTORE], keys=ENGINE_KEYS
        )
        # the question naming each form, by the screens where the member answers it
        self._resume_of = {screen.id: journey.resume for journey in journeys if journey.resume
                           for screen in journey.screens
                           if isinstance(screen, (Input, Choice)) and screen.answer}
        self._today = today

    def handle(
        self,
        request: UssdRequest,
        session: dict[str, Any] | None,
        services: MenuServices,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        draft: dict[str, Any] | None = None,
    ) -> tuple[Reply, dict[str, Any]]:
        """Answer one hop. `session` is what the previous hop returned (None on the
        first hop or once expired); `draft` an abandoned session of this phone,
        offered for resuming on the first hop."""
        if not 0 < max_chars <= HARD_LIMIT:
            raise ValueError(f"max_chars must be within 1..{HARD_LIMIT}, got {max_chars}")
        state = SessionState.from_dict(session, request.session_id)
        if state and not all(s in self.screens for s in [state.screen, *state.stack]):
            state = None  # a session from before a change of the journeys: start again
        notice = None
        if state is None:
            state = self._open(request, services, draft)
            ctx = self._ctx(state, request, services)
        else:
            entry = new_input(state.text, request.text)
            state.text = request.text
            ctx = self._ctx(state, request, services)
            notice = self._step(state, entry.strip(), ctx)
        return self._reply(state, ctx, notice, max_chars)

    def _open(self, request: UssdRequest, services: MenuServices, draft: dict | None) -> SessionState:
        member = services.member_by_phone(request.phone)
        # a member's language is the one they chose last (choosing it on a phone sets both)
        language = member.language if member else services.phone_language(request.phone)
        state = SessionState(
            session_id=request.session_id,
            screen=HOME_MEMBER if member else HOME_NEW,
            lang=self.catalog.language(language),
            text=request.text,  # a first hop's text is never replayed
            member_id=member.id if member else None,
        )
        while draft and draft.get("screen") == RESUME:
            draft = draft.get("draft")
        stack = list((draft or {}).get("stack") or [])
        if is_resumable(draft) and stack and all(screen_id in self.screens for screen_id in stack):
            state.draft = {"stack": stack, "form": dict(draft["form"]), "resume": draft["resume"],
                           **{name: draft.get(name) for name in PAGE_FIELDS}}
            state.screen, state.stack = RESUME, [RESUME]
            state.form[OFFER] = draft["resume"]
        else:
            state.stack = [state.screen]
        return state

    def _ctx(self, state: SessionState, request: UssdRequest, services: MenuServices) -> Ctx:
        return Ctx(
            services=services, catalog=self.catalog, phone=request.phone, network=request.network,
            lang=state.lang, today=self._today(), form=state.form, member_id=state.member_id,
        )

    def _step(self, state: SessionState, entry: str, ctx: Ctx) -> str | None:
        """Apply one entry; returns the notice to show on top of the next screen."""
        if entry == HOME_KEY:
            self._go(state, HOME, ctx)
            return None
        screen = self.screens[state.screen]
        if entry == BACK:
            if state.pages_before:  # page N of a list: back to page N-1
                state.page, state.page_next = state.pages_before.pop(), None
            elif state.screen == RESUME:  # nothing before the offer: home, as "Recommencer"
                self._go(state, HOME, ctx)
            elif len(state.stack) > 1:
                self._return_to(state, len(state.stack) - 2)
            return None
        if entry == MORE and not isinstance(screen, Input):
            if state.page_next is not None:
                state.pages_before.append(state.page)
                state.page, state.page_next = state.page_next, None
                return None
            if state.pages_before:  # "Suite" on the last page: the list again from its first page
                state.page, state.page_next, state.pages_before = 0, None, []
                return None
        if state.choices is None and not isinstance(screen, Input):
            return None  # a session kept before the items shown were stored: show its list again
        try:
            route = self._answer(screen, entry, state, ctx)
        except Invalid as invalid:
            return ctx.t(invalid.reason, **invalid.params)
        return self._follow(state, route, ctx)

    def _answer(self, screen, entry: str, state: SessionState, ctx: Ctx) -> Route:
        if isinstance(screen, Input):
            state.form[screen.field] = screen.parse(entry, ctx)
            return screen.next
        # the value the member saw next to the number, not the list as the services would
        # give it now (an offer may have changed since the screen was shown)
        number = int(entry) if _NUMBER.fullmatch(entry) else 0
        if not 1 <= number <= len(state.choices):
            raise Invalid("error.choice")
        value = state.choices[number - 1]
        if isinstance(screen, Menu):
            route = next((target for label, target in screen.options if label == value), None)
            if route is None:  # an option removed from the menu since it was shown
                raise Invalid("error.choice")
            return route
        if screen.check:
            screen.check(value, ctx)
        state.form[screen.field] = value
        return screen.next

    def _follow(self, state: SessionState, route: Route, ctx: Ctx) -> str | None:
        """Go where `route` leads, running the actions met on the way."""
        notice = None
        target = self._resolve(route, ctx)
        while isinstance(action := self.screens.get(target), Action):
            try:
                action.run(ctx)
                route = action.next
            except Refused as refused:
                notice, route = ctx.refusal(refused), action.refused
            target = self._resolve(route, ctx)
        self._go(state, target, ctx)
        return notice

    @staticmethod
    def _resolve(route: Route, ctx: Ctx) -> str:
        if not isinstance(route, Branch):
            return route
        target = route.choose(ctx)
        if target not in route.targets:
            raise RuntimeError(f"branch chose {target!r}, not among its declared targets {route.targets}")
        return target

    def _go(self, state: SessionState, target: str, ctx: Ctx) -> None:
        if target == HOME:
            home = HOME_MEMBER if ctx.member_id else HOME_NEW
            state.stack, state.draft = [home], None
            state.form.clear()
        elif target == RESTORE:
            draft, state.draft = state.draft, None
            state.stack = draft["stack"]
            state.form.clear()
            state.form.update(draft["form"])
            self._show(state, state.stack[-1])
            # back on the page of the list the member was on, its numbers as they were shown
            state.page, state.pages_before = draft.get("page") or 0, list(draft.get("pages_before") or [])
            state.choices = draft.get("choices") or []
            return
        elif target in state.stack:
            self._return_to(state, state.stack.index(target))
            return
        else:
            state.stack.append(target)
        self._show(state, state.stack[-1])

    def _return_to(self, state: SessionState, index: int) -> None:
        """Go back to an earlier screen of the stack, forgetting what it and the
        screens after it had put in the form."""
        for screen_id in state.stack[index:]:
            state.form.pop(getattr(self.screens[screen_id], "field", None), None)
        del state.stack[index + 1:]
        self._show(state, state.stack[index])

    @staticmethod
    def _show(state: SessionState, screen_id: str) -> None:
        state.screen, state.page, state.page_next, state.choices, state.pages_before = screen_id, 0, None, [], []

    def _resume_key(self, state: SessionState) -> str | None:
        """The question naming the form, if the member has answered a question of it."""
        for screen_id in state.stack:
            screen = self.screens[screen_id]
            if screen_id in self._resume_of and screen.field in state.form:
                return self._resume_of[screen_id]
        return None

    def _reply(self, state: SessionState, ctx: Ctx, notice: str | None, max_chars: int):
        screen = self.screens[state.screen]
        page = render(screen, ctx, notice=notice, start=state.page, max_chars=max_chars)
        state.page_next, state.choices = page.next_start, _choices(state.choices or [], page, state.page)
        state.lang, state.member_id = ctx.lang, ctx.member_id
        state.resume = self._resume_key(state)
        end = isinstance(screen, End)
        if end:
            state.ended, state.form, state.stack, state.draft, state.resume = True, {}, [], None, None
        return Reply(page.text, end), state.to_dict()


def _choices(before: list[Any], page: Page, start: int) -> list[Any]:
    """The values behind the numbers the member may type after seeing `page` (items
    `start` to `page.shown` of the list): those of this page, those of the earlier pages as
    they were shown then, and those of the pages not seen yet (a number known from a
    printed list or an earlier session is taken from any page)."""
    return [page.values[i] if start <= i < page.shown or i >= len(before) else before[i]
            for i in range(max(len(before), len(page.values)))]
