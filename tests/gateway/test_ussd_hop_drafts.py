"""The draft kept by phone (to resume an abandoned form) is written and deleted only
when it may change: browsing menus without a form touches no draft."""
import pytest

from gateway.ussd_hop import UssdHop
from tests.gateway.payment_helpers import join
from ussd_menus import UssdRequest

PHONE = "+22890000001"


class SpyStore:
    """The runtime's session store, counting the draft deletions."""

    def __init__(self, store):
        self.store, self.dropped = store, 0

    def __getattr__(self, name):
        return getattr(self.store, name)

    def drop_draft(self, phone):
        self.dropped += 1
        self.store.drop_draft(phone)


@pytest.fixture
def hop(runtime):
    runtime.sessions = SpyStore(runtime.sessions)
    return UssdHop(runtime)


class Phone:
    """One USSD session: cumulative text, as Africa's Talking sends it."""

    def __init__(self, hop, session_id):
        self.hop, self.session_id, self.entries = hop, session_id, []

    def dial(self) -> str:
        return self._hop()

    def send(self, *entries: str) -> str:
        text = ""
        for entry in entries:
            self.entries.append(entry)
            text = self._hop()
        return text

    def _hop(self) -> str:
        return self.hop.handle(UssdRequest(self.session_id, PHONE, "yas", "*858#", "*".join(self.entries))).text


def test_browsing_menus_without_a_form_deletes_no_draft(runtime, hop):
    join(runtime, phone=PHONE)
    phone = Phone(hop, "s1")
    phone.dial()
    phone.send("4", "0", "6", "0", "7", "0")  # household list, rhythm, language, each time back home
    assert runtime.sessions.dropped == 0


def test_going_home_from_a_form_deletes_its_draft(runtime, hop):
    phone = Phone(hop, "s1")
    phone.dial()
    phone.send("1", "Afi Test")  # joining: the name is in the form, a draft is kept
    assert runtime.sessions.load_draft(PHONE)["form"] == {"full_name": "Afi Test"}
    phone.send("00")
    assert runtime.sessions.load_draft(PHONE) is None
    assert runtime.sessions.dropped == 1
    phone.send("3")  # the language menu: no form, no draft to delete
    assert runtime.sessions.dropped == 1


def test_restarting_instead_of_resuming_deletes_the_draft(runtime, hop):
    first = Phone(hop, "s1")
    first.dial()
    first.send("1", "Afi Test")  # then the session is dropped
    again = Phone(hop, "s2")
    assert again.dial().startswith("Reprendre")
    assert runtime.sessions.load_draft(PHONE) is not None
    again.send("2")  # Recommencer
    assert runtime.sessions.load_draft(PHONE) is None


def test_resuming_keeps_the_draft_until_the_form_is_left(runtime, hop):
    first = Phone(hop, "s1")
    first.dial()
    first.send("1", "Afi Test")
    again = Phone(hop, "s2")
    again.dial()
    assert again.send("1").startswith("Date de naissance")  # Continuer
    assert runtime.sessions.load_draft(PHONE)["form"] == {"full_name": "Afi Test"}


def test_a_draft_that_cannot_be_resumed_is_deleted_on_the_first_hop(runtime, hop):
    runtime.sessions.save_draft(PHONE, {"screen": "join.name", "form": {}, "stack": ["home.new", "join.name"]})
    Phone(hop, "s1").dial()
    assert runtime.sessions.load_draft(PHONE) is None
