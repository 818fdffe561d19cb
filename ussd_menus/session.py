"""The state a USSD session carries between hops, as a JSON-serialisable dict."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

RESUME = "resume"  # the screen offering to continue an abandoned form


@dataclass
class SessionState:
    session_id: str
    screen: str
    lang: str
    text: str = ""  # the cumulative text of the last hop
    stack: list[str] = field(default_factory=list)  # screens visited, current last
    form: dict[str, Any] = field(default_factory=dict)
    page: int = 0  # index of the first item shown on the current list page
    page_next: int | None = None  # index of the first item of the next page
    pages_before: list[int] = field(default_factory=list)  # first items of the pages seen before ("0" goes back)
    # what item N of the current list stood for when it was shown (choices[N - 1]): the
    # answer picks that, even if the list would read differently now. None in a session
    # kept before the values were stored: its list is shown again before any answer.
    choices: list[Any] | None = None
    member_id: int | None = None
    draft: dict[str, Any] | None = None  # an abandoned session offered for resuming
    # the catalog key naming the form being filled ("resume.join"), once the member has
    # typed or picked a real answer in it; None: nothing worth resuming
    resume: str | None = None
    ended: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None, session_id: str) -> "SessionState | None":
        """The state kept for this session, or None if there is none worth using."""
        if not data or data.get("session_id") != session_id or data.get("ended"):
            return None
        known = cls.__dataclass_fields__
        # a copy: the caller's dict (an in-memory store, a kept draft) stays as it was
        return cls(**{k: copy.deepcopy(v) for k, v in data.items() if k in known})


def new_input(previous: str, text: str) -> str:
    """What the cumulative `text` (e.g. "1*2*Kossi") adds to the previous hop's text."""
    if not previous:
        return text
    if text.startswith(previous + "*"):
        return text[len(previous) + 1:]  # keeps a "*" typed inside the entry
    return text.rsplit("*", 1)[-1]


def is_resumable(session: dict[str, Any] | None) -> bool:
    """Whether an abandoned session holds a form with real answers in it (not a menu
    merely opened: "Payer" puts the member in the form, but nothing they typed)."""
    if not session or session.get("ended"):
        return False
    if session.get("screen") == RESUME:
        return is_resumable(session.get("draft"))
    return bool(session.get("resume")) and bool(session.get("form"))
