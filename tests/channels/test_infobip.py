"""POST /ussd/infobip/session/<id>/start|response|end, as Infobip calls them."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from config.settings import parse_pairs
from gateway.models import Member, UssdSessionEvent

EXCHANGES = json.loads((Path(__file__).parent / "exchanges" / "infobip.json").read_text())["exchanges"]
PHONE = "22890000045"
JOIN = ["1", "Afi Test", "14031988", "1", "1", "1", "3", "1"]


def post(client, session, step, **body):
    return client.post(f"/ussd/infobip/session/{session}/{step}", json=body)


@pytest.mark.parametrize("step", range(len(EXCHANGES)), ids=[e["what"][:40] for e in EXCHANGES])
def test_the_recorded_exchanges(client, step):
    for exchange in EXCHANGES[:step + 1]:
        response = client.post(exchange["request"]["path"], json=exchange["request"]["json"])
    expected = exchange["response"]
    assert response.status_code == expected["status"] and response.mimetype == "application/json"
    if "shouldClose" in expected:
        assert response.json["shouldClose"] is expected["shouldClose"]
        assert response.json["ussdMenu"].startswith(expected["ussdMenu_starts"])
        assert (response.json["responseExitCode"], response.json["responseMessage"]) == (200, "")


def test_a_phone_joins_and_the_last_screen_closes(client, runtime):
    assert post(client, "j1", "start", msisdn=PHONE, shortCode="858", text="*858#").json["shouldClose"] is False
    replies = [post(client, "j1", "response", msisdn=PHONE, text=entry).json for entry in JOIN]
    assert [reply["shouldClose"] for reply in replies] == [False] * 7 + [True]
    assert replies[-1]["ussdMenu"].startswith("Bienvenue Afi Test")
    with runtime.db() as session:
        assert session.scalar(select(Member.phone)) == "+" + PHONE


def test_an_ended_session_left_mid_way_is_recorded_once(client, runtime):
    post(client, "e1", "start", msisdn=PHONE, shortCode="858")  # no text: the short code is what was dialled
    post(client, "e1", "response", msisdn=PHONE, text="1")
    assert post(client, "e1", "end", msisdn=PHONE, reason="USER_ABORTED").status_code == 200
    assert post(client, "e1", "end", msisdn=PHONE).status_code == 200
    assert post(client, "e1", "end").status_code == 200  # no msisdn: nothing to find, acknowledged
    with runtime.db() as session:
        (left,) = session.scalars(select(UssdSessionEvent)).all()
    assert (left.status, left.hops, left.raw["reason"]) == ("Incomplete", 2, "USER_ABORTED")


def test_infobips_end_by_put_without_msisdn_ends_the_session_and_is_recorded(client, runtime):
    # as Infobip sends it (vumi's Infobip transport tests): PUT, {"reason", "exitCode"}, no msisdn
    post(client, "p1", "start", msisdn=PHONE, shortCode="858", text="*858#")
    post(client, "p1", "response", msisdn=PHONE, text="1")
    post(client, "p1", "response", msisdn=PHONE, text="Afi Test")
    ended = client.put("/ussd/infobip/session/p1/end", json={"reason": "USER_ABORTED", "exitCode": 1})
    assert ended.status_code == 200 and ended.json == {"responseExitCode": 200, "responseMessage": ""}
    with runtime.db() as session:
        (left,) = session.scalars(select(UssdSessionEvent)).all()
    assert (left.status, left.phone, left.hops) == ("Incomplete", "+" + PHONE, 3)
    again = post(client, "p2", "start", msisdn=PHONE, shortCode="858", text="*858#").json["ussdMenu"]
    assert again.startswith("Reprendre")


def test_the_status_call_says_whether_the_session_is_active(client):
    status = lambda: client.get("/ussd/infobip/session/q1/status")  # noqa: E731
    assert status().json == {"sessionActive": False, "responseExitCode": 200, "responseMessage": ""}
    post(client, "q1", "start", msisdn=PHONE, shortCode="858", text="*858#")
    assert status().status_code == 200 and status().json["sessionActive"] is True
    client.put("/ussd/infobip/session/q1/end", json={"reason": "ok", "exitCode": 0})
    assert status().json["sessionActive"] is False


def test_a_network_field_is_mapped_like_africas_talkings(client, runtime, monkeypatch):
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(
        runtime.settings, ussd_networks=parse_pairs("x", "Moov Africa Togo=moov")))
    post(client, "n1", "start", msisdn=PHONE, text="*858#", network="Moov Africa Togo")
    for entry in JOIN:
        post(client, "n1", "response", msisdn=PHONE, text=entry)
    with runtime.db() as session:
        assert session.scalar(select(Member.network)) == "moov"


def test_a_number_sent_as_a_json_number_is_read_too(client):
    assert post(client, "k1", "start", msisdn=int(PHONE), text="*858#").json["ussdMenu"].startswith("AMU Togo")


@pytest.mark.parametrize("step, body, status, reason", [
    ("start", None, 400, "the body must be a JSON object"),
    ("start", [PHONE], 400, "the body must be a JSON object"),
    ("start", {"text": "*858#"}, 400, "msisdn is missing"),
    ("start", {"msisdn": {"n": 1}}, 400, "msisdn must be text"),
    ("response", {"msisdn": PHONE, "text": "1" * 161}, 400, "text is longer than 160 characters"),
    ("restart", {"msisdn": PHONE}, 404, "the step must be start, response, end or status"),
])
def test_malformed_calls_get_a_4xx_with_a_reason(client, step, body, status, reason):
    response = client.post(f"/ussd/infobip/session/b1/{step}", json=body) if body is not None else \
        client.post(f"/ussd/infobip/session/b1/{step}", data="not json", content_type="application/json")
    assert response.status_code == status
    assert response.json == {"ussdMenu": "", "shouldClose": True, "responseExitCode": status,
                             "responseMessage": reason}


def test_json_nested_deeper_than_a_parser_goes_is_a_4xx_not_a_5xx(client):
    deep = "[" * 30_000 + "]" * 30_000  # under the 64 KiB body limit
    response = client.post("/ussd/infobip/session/d1/start", data=deep, content_type="application/json")
    assert response.status_code == 400 and response.json["responseMessage"] == "the body must be a JSON object"


def test_a_number_from_abroad_closes_with_the_reason(client):
    reply = post(client, "a1", "start", msisdn="2250700000001", text="*858#").json
    assert reply["shouldClose"] is True and reply["ussdMenu"].startswith("Service réservé aux mobiles du Togo.")


def test_the_ussd_guard_applies(client, runtime, monkeypatch):
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, ussd_token="t0k"))
    assert post(client, "g1", "start", msisdn=PHONE, text="*858#").status_code == 403
    assert client.post("/ussd/infobip/session/g1/start?token=t0k", json={"msisdn": PHONE}).status_code == 200
