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
    """The apology a phone gets when the hop fails, in the session's language."""
    return to_gsm7(registry().text(language, "error.unavailable"))


class UssdHop:
    def __init__(self, runtime: Runtime, max_chars: int | None = None):
        self.runtime = runtime
        self.engine = Engine()
        self.services = GatewayMenuServices(runtime)
        self.max_chars = max_chars or runtime.settings.ussd_max_chars

    def handle(self, request: UssdRequest) -> Reply:
        store = self.runtime.sessions
        session = store.load(request.session_id)
        draft = store.load_draft(request.phone) if session is None else None
        try:
            reply, new_session = self.engine.handle(
                request, session, self.services, max_chars=self.max_chars, draft=draft
            )
        except Exception:
            log.exception("USSD hop failed: session %s", request.session_id)
            return Reply(text=sorry((session or {}).get("lang")), end=True)
        if reply.end:
            store.delete(request.session_id)
            store.drop_draft(request.phone)
            return reply
        store.save(request.session_id, new_session)
        if is_resumable(new_session):
            store.save_draft(request.phone, new_session)
        elif draft is not None or is_resumable(session):
            # a draft can exist only if this hop loaded one or the previous hop saved one
            # (its session was resumable): otherwise there is nothing to delete
            store.drop_draft(request.phone)
        return reply
