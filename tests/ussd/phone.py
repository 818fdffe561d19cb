"""A feature phone in a USSD session, sending cumulative text as Africa's Talking does."""
from __future__ import annotations

import itertools
import json

from ussd_menus import Engine, UssdRequest

_session_ids = itertools.count(1)


class Phone:
    def __init__(self, engine: Engine, services, number: str = "+22890112233",
                 network: str | None = "yas", max_chars: int = 160):
        self.engine, self.services = engine, services
        self.number, self.network, self.max_chars = number, network, max_chars
        self.session: dict | None = None
        self.session_id = ""
        self.text = ""
        self.ended = True

    def dial(self, draft: dict | None = None) -> str:
        """Start a new session; returns the first screen, prefixed CON or END."""
        self.session_id, self.text, self.session = f"ATUid_{next(_session_ids)}", "", None
        return self._hop(draft)

    def send(self, entry: str) -> str:
        assert not self.ended, "the session has ended"
        self.text = entry if not self.text else f"{self.text}*{entry}"
        return self._hop()

    def walk(self, *entries: str) -> str:
        """Send several entries; returns the last screen."""
        screen = ""
        for entry in entries:
            screen = self.send(entry)
        return screen

    def lose_session(self) -> dict | None:
        """The gateway's store forgets the session (TTL expired); returns what it held."""
        dropped, self.session = self.session, None
        return dropped

    def _hop(self, draft: dict | None = None) -> str:
        request = UssdRequest(self.session_id, self.number, self.network, "*888#", self.text)
        reply, session = self.engine.handle(request, self.session, self.services,
                                            max_chars=self.max_chars, draft=draft)
        self.session = json.loads(json.dumps(session))  # stored as JSON, like Redis would
        self.ended = reply.end
        return ("END " if reply.end else "CON ") + reply.text


def con(*lines: str) -> str:
    """The screen a phone shows while waiting for input."""
    return "CON " + "\n".join(lines)


def end(*lines: str) -> str:
    """The last screen of a session."""
    return "END " + "\n".join(lines)


NAV_FR = ("0. Retour", "00. Accueil")
NAV_EN = ("0. Back", "00. Home")
