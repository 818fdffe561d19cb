"""What a session carries between hops, and how entries and values are read and written."""
import copy
import json
from datetime import date

import pytest

from ussd_menus import Reply, UssdRequest
from ussd_menus.formats import day, money
from ussd_menus.session import new_input


@pytest.mark.parametrize("previous, text, entry", [
    ("", "1", "1"),
    ("1", "1*2", "2"),
    ("1*2", "1*2*Kossi Mensah", "Kossi Mensah"),
    ("1*2", "1*2*Kossi*Mensah", "Kossi*Mensah"),  # a "*" inside the entry is kept
    ("1*2", "1*2*", ""),  # an empty entry
    ("", "Kossi*Mensah", "Kossi*Mensah"),
    ("1*2", "3", "3"),  # text that does not extend the previous one: its last part
    ("1*2", "5*6*7", "7"),
])
def test_the_new_entry_is_what_the_text_adds(previous, text, entry):
    assert new_input(previous, text) == entry


def test_the_session_is_plain_json_and_the_callers_copy_is_left_alone(engine, services):
    first, session = engine.handle(UssdRequest("s1", "+22890112233", "yas", "*888#", ""), None, services)
    _, session = engine.handle(UssdRequest("s1", "+22890112233", "yas", "*888#", "1"), session, services)
    stored = json.loads(json.dumps(session))
    kept = copy.deepcopy(stored)
    engine.handle(UssdRequest("s1", "+22890112233", "yas", "*888#", "1*Kossi Mensah"), stored, services)
    assert stored == kept  # an in-memory store may hand the same dict twice


def test_a_session_saved_before_the_journeys_changed_starts_again_at_home(phone):
    phone.dial()
    phone.send("1")
    phone.session["screen"] = phone.session["stack"][-1] = "join.nickname"
    assert phone.send("Kossi").startswith("CON AMU Togo\n1. Adhérer")


def test_a_first_hop_that_already_carries_text_shows_home(engine, services):
    reply, session = engine.handle(UssdRequest("s9", "+22890112233", "moov", "*888*1#", "1"), None, services)
    assert reply == Reply("AMU Togo\n1. Adhérer\n2. Payer pour un membre\n3. Langue", end=False)
    reply, _ = engine.handle(UssdRequest("s9", "+22890112233", "moov", "*888*1#", "1*1"), session, services)
    assert reply.text.startswith("Nom et prénoms:")


@pytest.mark.parametrize("francs, shown", [(0, "0 F"), (100, "100 F"), (2300, "2 300 F"), (10000, "10 000 F"),
                                           (1054000, "1 054 000 F")])
def test_amounts_are_whole_francs_with_a_space_between_thousands(francs, shown):
    assert money(francs) == shown


def test_dates_are_day_month_year():
    assert day(date(2025, 7, 1)) == "01/07/2025"
    assert day("2025-07-01") == "01/07/2025"
