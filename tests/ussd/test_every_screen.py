"""Walk every screen of every journey, in every language, and check what a phone would get.

A breadth-first walk from each starting situation tries every option shown, every
page (98), back, home, a wrong entry, and sample typed values (valid, invalid and
the longest allowed), so error variants and every list page are rendered too.
"""
from __future__ import annotations

import copy
import json
import re
from collections import deque
from datetime import date

import pytest

from config.reference import reference_lists
from ussd_menus import Engine, UssdRequest, gsm7_length, is_gsm7
from ussd_menus.catalogs import CATALOGS
from ussd_menus.screens import Action, Input
from ussd_menus.services import Refused

from .fakes import FakeServices, dependent, rights

LONGEST_NAME = "Kossiwa Adjoa Mawuena Akouvi Dzifa Enyonam Abla Afiwa Mensah"
TYPED = {  # what to type on each input screen: the longest valid value first, then wrong ones
    "join.name": [LONGEST_NAME, "Kossi*Mensah", "K"],
    "join.birth_date": ["17051990", "31021990", "01012030", "01012015"],
    "household.name": [LONGEST_NAME, "K"],
    # 22 (asked about school), 10, 27 (too old), the listed spouse's date, future, too old to be true
    "household.birth_date": ["01012003", "01012015", "01011998", "01011990", "01012030", "01011890"],
}
# Answers never shown again and deciding no route: walks that differ only by them show
# the same screens, so the walk does not tell them apart (it would not end otherwise).
UNSEEN_FIELDS = {"sex", "occupation"}
NOT_FOLLOWED = {"lang.menu"}  # the other language has its own walk
NEW, MEMBER = "+22890112233", "+22899887766"
OPTION = re.compile(r"^(\d+)\. ", re.MULTILINE)

FULL_HOUSEHOLD = [dependent(1, "spouse", LONGEST_NAME, date(1990, 1, 1))] + [
    dependent(i, "child", LONGEST_NAME, date(2010, 1, i)) for i in range(2, 6)
]  # the base household: one more costs extra
MAXED_HOUSEHOLD = [dependent(i, "spouse", LONGEST_NAME, date(1990, 1, i)) for i in range(1, 5)] + [
    dependent(i, "child", LONGEST_NAME, date(2010, 1, i)) for i in range(5, 15)
]  # no one more can be added


def situations(language: str) -> list[tuple[FakeServices, str, dict | None]]:
    """(services, phone, draft) for every situation that leads to different screens."""
    found = []

    def services(**member) -> FakeServices:
        fake = FakeServices(reference=reference_lists())
        fake.set_language(NEW, language)
        fake.set_language(MEMBER, language)
        if member:
            fake.add_member(MEMBER, LONGEST_NAME, language, **member)
        return fake

    found.append((services(), NEW, None))  # joins
    refusing = services()
    refusing.refuse_enrolment = Refused("join.already_member")
    found.append((refusing, NEW, None))
    for state in ("pending", "waiting", "active", "grace", "suspended"):  # a full household, refusals
        worst = rights(state, credit=123456, period_label="half_yearly", period_price=1054000)
        found.append((services(state=worst, dependents=FULL_HOUSEHOLD), MEMBER, None))
    found.append((services(state=rights("active"), dependents=MAXED_HOUSEHOLD), MEMBER, None))
    found.append((services(state=rights("active")), MEMBER, None))  # an empty household, additions
    draft = {"screen": "join.sex", "stack": ["home.new", "join.name", "join.birth_date", "join.sex"],
             "form": {"full_name": LONGEST_NAME, "birth_date": "1990-05-17"}}
    found.append((services(), NEW, draft))  # the resume offer
    return found


def entries_to_try(session: dict, text: str) -> list[str]:
    screen_id = session["screen"]
    tries = ["0", "00", "99"]
    if screen_id in TYPED:
        return TYPED[screen_id] + tries
    if screen_id in NOT_FOLLOWED:
        return tries
    numbers = [n for n in OPTION.findall(text) if n not in ("0", "00", "98")]
    return numbers + (["98"] if "\n98. " in text else []) + tries


def walk(engine: Engine, services: FakeServices, phone: str, draft: dict | None, max_chars: int):
    """Every (screen id, text) reachable from dialling in this situation."""
    def hop(text, session, fake, draft=None):
        request = UssdRequest("walk", phone, "yas", "*888#", text)
        reply, session = engine.handle(request, session, fake, max_chars=max_chars, draft=draft)
        return reply, json.loads(json.dumps(session))

    reply, session = hop("", None, services, draft)
    queue, seen, rendered = deque([("", session, services, reply)]), set(), set()
    while queue:
        text, session, fake, reply = queue.popleft()
        rendered.add((session["screen"], reply.text))
        form = {k: v for k, v in session["form"].items() if k not in UNSEEN_FIELDS}
        key = (session["screen"], reply.text, json.dumps(form, sort_keys=True))
        if reply.end or key in seen:
            continue
        seen.add(key)
        assert len(seen) < 5000, "the walk does not converge"
        for entry in entries_to_try(session, reply.text):
            forked = fake.fork()
            typed = f"{text}*{entry}" if text else entry
            reply_to_entry, next_session = hop(typed, copy.deepcopy(session), forked)
            queue.append((typed, next_session, forked, reply_to_entry))
    return rendered


def test_the_walk_knows_what_to_type_on_every_input_screen(engine):
    assert {sid for sid, s in engine.screens.items() if isinstance(s, Input)} <= set(TYPED)


@pytest.mark.parametrize("max_chars", [160, 182])
@pytest.mark.parametrize("language", list(CATALOGS))
def test_every_screen_is_gsm7_and_fits(engine, language, max_chars):
    rendered = set()
    for services, phone, draft in situations(language):
        rendered |= walk(engine, services, phone, draft, max_chars)
    too_long = [(sid, text) for sid, text in rendered if gsm7_length(text) > max_chars]
    not_gsm7 = [(sid, text) for sid, text in rendered if not is_gsm7(text)]
    assert too_long == [] and not_gsm7 == []
    shown = {sid for sid, _ in rendered}
    never_shown = {sid for sid, s in engine.screens.items() if not isinstance(s, Action)} - shown
    assert never_shown == set(), "the walk missed screens: add a situation or a typed value"
