"""GET /ussd/flares, as an operator's Comviva Flares hub calls it."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import parse_networks, parse_pairs
from gateway.models import Member, UssdSessionEvent

EXCHANGES = json.loads((Path(__file__).parent / "exchanges" / "flares.json").read_text())["exchanges"]
PHONE = "22890000043"


class FlaresHub:
    """The hub's side: one SessionID, one entry a hit."""

    def __init__(self, client, msisdn=PHONE, session="S1", msc="22890100000", **extra):
        self.client, self.msisdn, self.session, self.msc, self.extra = client, msisdn, session, msc, extra

    def hit(self, entry: str, **more):
        query = {"SessionID": self.session, "MSISDN": self.msisdn, "MSC": self.msc, "input": entry,
                 **self.extra, **more}
        return self.client.get("/ussd/flares", query_string=query)

    def dial(self, code="858"):
        return self.hit(code, newrequest="1")


def configure(runtime, monkeypatch, **changes):
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, **changes))


@pytest.mark.parametrize("step", range(len(EXCHANGES)), ids=[e["what"][:40] for e in EXCHANGES])
def test_the_recorded_exchanges(client, step):
    for exchange in EXCHANGES[:step + 1]:  # each step after the ones before it
        response = client.get("/ussd/flares", query_string=exchange["request"])
    expected = exchange["response"]
    assert response.status_code == expected["status"]
    assert response.headers["Freeflow"] == expected["Freeflow"]
    assert response.mimetype == expected["content_type"]
    assert response.get_data(as_text=True).startswith(expected["body_starts"])


def test_the_last_screen_breaks_the_session(client, runtime):
    hub = FlaresHub(client)
    hub.dial()
    for entry in ("1", "Afi Test", "14031988", "1", "1", "1", "3"):
        assert hub.hit(entry).headers["Freeflow"] == "FC"
    welcome = hub.hit("1")
    assert welcome.headers["Freeflow"] == "FB"
    assert welcome.get_data(as_text=True).startswith("Bienvenue Afi Test")
    with runtime.db() as session:
        assert session.scalar(select(Member.phone)) == "+" + PHONE


def test_a_cleaned_up_session_is_recorded_as_left_mid_way(client, runtime):
    hub = FlaresHub(client)
    hub.dial()
    hub.hit("1")
    hub.hit("Afi Test")
    assert hub.hit("", clean="clean-session").status_code == 200
    assert hub.hit("", clean="clean-session").status_code == 200  # told twice: recorded once
    with runtime.db() as session:
        (left,) = session.scalars(select(UssdSessionEvent)).all()
    assert (left.status, left.hops, left.raw["sessionid"]) == ("Incomplete", 3, "S1")


def test_newrequest_opens_a_new_dialogue_even_under_a_known_session_id(client):
    hub = FlaresHub(client)
    hub.dial()
    hub.hit("1")
    hub.hit("Afi Test")
    assert hub.dial().get_data(as_text=True).startswith("Reprendre votre adhésion ?")


def test_a_hub_that_does_not_say_newrequest_opens_with_the_first_hit(client):
    hub = FlaresHub(client)
    assert hub.hit("858").get_data(as_text=True).startswith("AMU Togo")
    assert hub.hit("1").get_data(as_text=True).startswith("Nom et prénoms")


def test_the_same_session_id_from_another_phone_is_another_session(client):
    FlaresHub(client).dial()
    FlaresHub(client).hit("1")
    other = FlaresHub(client, msisdn="22890000044")
    assert other.hit("1").get_data(as_text=True).startswith("AMU Togo")  # not the first phone's form


def test_the_msc_names_the_network_offered_first(client, runtime, monkeypatch):
    configure(runtime, monkeypatch, ussd_networks=parse_pairs("x", "22890=yas,22899=moov"))
    hub = FlaresHub(client, msc="22899001122")  # a 90 number (Yas by prefix) on Moov's switch
    hub.dial()
    for entry in ("1", "Afi Test", "14031988", "1", "1", "1", "3", "1"):
        hub.hit(entry)
    with runtime.db() as session:
        assert session.scalar(select(Member.network)) == "moov"


def test_userid_and_password_are_checked_when_configured(client, runtime, monkeypatch):
    configure(runtime, monkeypatch, flares_userid="amu", flares_password="s3cret")
    refused = FlaresHub(client, userid="amu", password="wrong").dial()
    assert refused.status_code == 403 and refused.headers["Freeflow"] == "FB"
    assert refused.get_data(as_text=True) == "403 Forbidden: bad or missing userid/password\n"
    assert FlaresHub(client, userid="amu", password="s3cret").dial().status_code == 200


def test_the_ussd_guard_applies_token_and_addresses(client, runtime, monkeypatch):
    configure(runtime, monkeypatch, ussd_token="t0k")
    assert FlaresHub(client).dial().status_code == 403
    assert FlaresHub(client, token="t0k").dial().status_code == 200
    configure(runtime, monkeypatch, ussd_token="", ussd_allowed_addresses=parse_networks("x", "10.0.0.0/8"))
    assert FlaresHub(client).dial().status_code == 403  # the test client calls from 127.0.0.1


def test_a_cleanup_call_is_acknowledged_even_without_the_session_or_the_number(client):
    # a Comviva cleanup as integrators quote it: userid, password, MSIDN (sic), clean, status
    cleanup = {"userid": "app1", "password": "app1pwd", "MSIDN": PHONE, "clean": "clean-session", "status": "522"}
    response = client.get("/ussd/flares", query_string=cleanup)
    assert response.status_code == 200 and response.headers["Freeflow"] == "FB"
    assert response.get_data(as_text=True) == ""


@pytest.mark.parametrize("query, reason", [
    ({"MSISDN": PHONE, "input": "858"}, "SessionID is missing"),
    ({"SessionID": "S1", "input": "858"}, "MSISDN is missing"),
    ({"SessionID": "S" * 101, "MSISDN": PHONE}, "SessionID is longer than 100"),
    ({"SessionID": "S1", "MSISDN": PHONE, "input": "9" * 161}, "input is longer than 160"),
])
def test_a_malformed_hit_gets_a_400_with_a_reason_and_breaks_the_session(client, query, reason):
    response = client.get("/ussd/flares", query_string=query)
    assert response.status_code == 400 and response.headers["Freeflow"] == "FB"
    body = response.get_data(as_text=True)
    assert reason in body and body.count("\n") == 1


def test_parameter_names_are_read_in_any_letter_case(client):
    response = client.get("/ussd/flares", query_string={"sessionid": "s9", "msisdn": PHONE, "INPUT": "858"})
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("AMU Togo")


def test_a_session_store_out_of_reach_ends_the_session_politely_not_with_a_5xx(client, runtime, monkeypatch):
    def unreachable(*_args):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(runtime.sessions, "load", unreachable)
    response = FlaresHub(client).hit("1")
    assert response.status_code == 200 and response.headers["Freeflow"] == "FB"
    assert response.get_data(as_text=True).startswith("Service momentanément indisponible")
    assert FlaresHub(client).hit("", clean="clean-session").status_code == 200  # the cleanup is still answered
