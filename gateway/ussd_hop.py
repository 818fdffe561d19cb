"""One USSD hop, channel-neutral: load the session, run the menus, keep the session.

Gateway adapters (Africa's Talking today, a Togolese aggregator later) translate their
own request into a UssdRequest and the Reply back into their own format.
"""
from __future__ import annotations

import logging

from gateway.runtime import Runtime
from gateway.services.menu_facade import GatewayMenuServices
from languages import registry
from ussd_menus import Engine, Reply, UssdRequest, is_resumable, to_gsm7

log = logging.getLogger("amu.ussd")


def sorry(language: str | None) -> str:
    """The apology a phone gets when a hop fails, in `language` (the default one if unknown)."""
    return to_gsm7(registry().text(language, "error.unavailable"))


class UssdHop:
    def __init__(self, runtime: Runtime, max_chars: int | None = None):
        self.runtime = runtime
        self.engine = Engine()
        self.services = GatewayMenuServices(runtime)
        self.max_chars = max_chars or runtime.settings.ussd_max_chars

    def handle(self, request: UssdRequest) -> Reply:
        """Never raises: with Redis or the database down the session ENDs with an apology."""
        store = self.runtime.sessions
        session = None
        try:
            # A session belongs to its phone: the same id from another phone is another session.
            session = store.load(request.session_id, request.phone)
            draft = store.load_draft(request.phone) if session is None else None
            reply, new_session = self.engine.handle(
                request, session, self.services, max_chars=self.max_chars, draft=draft
            )
            if reply.end:
                self._forget(request)
                return reply
            store.save(request.session_id, request.phone, new_session)
            if is_resumable(new_session):
                store.save_draft(request.phone, new_session)
            elif draft is not None or is_resumable(session):
                # a draft can exist only if this hop loaded one or the previous hop saved one
                # (its session was resumable): otherwise there is nothing to delete
                store.drop_draft(request.phone)
            return reply
        except Exception:
            log.exception("USSD hop failed: session %s", request.session_id)
            return Reply(text=self._sorry(request.phone, session), end=True)

    def _forget(self, request: UssdRequest) -> None:
        """The session ended: what the member was told stands even if Redis fails now
        (the session and draft expire by themselves)."""
        try:
            self.runtime.sessions.delete(request.session_id, request.phone)
            self.runtime.sessions.drop_draft(request.phone)
        except Exception:  # noqa: BLE001
            log.warning("USSD session %s ended but could not be deleted", request.session_id, exc_info=True)

    def _sorry(self, phone: str, session: dict | None) -> str:
        """The apology in the session's language, else the member's (from the database,
        when Redis is the one down); both languages when neither can be read."""
        language = (session or {}).get("lang")
        if language is None:
            try:
                language = self.services.phone_language(phone) or "fr"
            except Exception:  # noqa: BLE001 - the database is down too
                return "\n".join(sorry(code) for code in registry().codes()[:2])  # French, then English
        return sorry(language)

    def apology(self, phone: str) -> str:
        """What a phone is told when its hop cannot be answered outside `handle` (a
        channel's own store is down): the member's language, else both."""
        return self._sorry(phone, None)

    def abandon(self, session_id: str, phone: str) -> None:
        """The phone left mid-session (hung up, timed out, a hub's abort): forget the
        session now. A form in progress stays kept by phone (the draft) for the resume
        offer: dialling again offers to continue it."""
        self.runtime.sessions.delete(session_id, phone)
