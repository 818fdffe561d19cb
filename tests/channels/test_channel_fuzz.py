"""Whatever a gateway sends, never a 5xx and never a broken PDU: random Flares hits,
Infobip calls, deliver_sm values and raw SMPP frames against the real routes and the
real bridge. Seeded (the same examples on every run); AMU_PROPERTY_EXAMPLES=500 explores
more with a random seed."""
from __future__ import annotations

import os
import struct

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from smpplib.command_codes import commands

from tests.channels.smsc import eventually
from ussd_menus import is_gsm7

EXAMPLES = int(os.environ.get("AMU_PROPERTY_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                derandomize="AMU_PROPERTY_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

numbers = st.one_of(st.sampled_from(["22890000121", "22899000122", "+22890000123", "90000124", "2250700000001"]),
                    st.text(max_size=20))
entries = st.one_of(st.sampled_from(["858", "1", "2", "0", "00", "98", "Afi Test", "14031988", ""]),
                    st.text(max_size=200))
FLARES_NAMES = ["SessionID", "MSISDN", "MSC", "input", "newrequest", "clean", "userid", "password", "sessionid"]


def _screen_ok(text: str) -> bool:
    return is_gsm7(text) and len(text) <= 182


@FUZZ
@given(hits=st.lists(st.dictionaries(st.sampled_from(FLARES_NAMES), st.one_of(entries, numbers), max_size=6),
                     min_size=1, max_size=4))
def test_flares_never_answers_5xx_and_always_says_continue_or_break(client, hits):
    for query in hits:
        response = client.get("/ussd/flares", query_string=query)
        assert response.status_code in (200, 400, 403), response.get_data(as_text=True)
        assert response.headers["Freeflow"] in ("FC", "FB")
        if response.status_code == 200:
            assert _screen_ok(response.get_data(as_text=True))


json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), entries, numbers),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                        max_size=3), max_leaves=6)


@FUZZ
@given(calls=st.lists(st.tuples(
    st.sampled_from(["s1", "s2", "x" * 101, "é"]), st.sampled_from(["start", "response", "end", "other"]),
    st.one_of(json_values, st.fixed_dictionaries({}, optional={"msisdn": numbers, "text": entries,
                                                              "shortCode": entries, "network": json_values}))),
    min_size=1, max_size=4))
def test_infobip_never_answers_5xx_and_always_answers_json(client, calls):
    for session, step, body in calls:
        response = client.post(f"/ussd/infobip/session/{session}/{step}", json=body)
        assert response.status_code in (200, 400, 403, 404), response.get_data(as_text=True)
        assert response.mimetype == "application/json"
        if response.status_code == 200 and "ussdMenu" in response.json:
            assert _screen_ok(response.json["ussdMenu"]) and isinstance(response.json["shouldClose"], bool)


@FUZZ
@given(messages=st.lists(st.fixed_dictionaries({
    "source_addr": numbers.map(lambda n: n.encode("utf-8")[:20].decode("latin-1")),
    "source_addr_ton": st.integers(0, 6),
    "data_coding": st.sampled_from([0, 1, 3, 8, 0x0F, 0xF4, 0x42]),
    "short_message": st.binary(max_size=160),
    "ussd_service_op": st.one_of(st.sampled_from([0x01, 0x02, 0x11, 0x12, 0x17, 0x81]), st.integers(0, 255)),
    "its_session_info": st.integers(0, 0xFFFF),
}), min_size=1, max_size=5))
def test_any_deliver_sm_is_answered_and_every_screen_is_a_well_formed_pdu(bridge, smsc, messages):
    for fields in messages:
        assert smsc.answered(smsc.deliver_fields(**fields)) == 0
    eventually(lambda: bridge._work.unfinished_tasks == 0 and bridge.link.idle())
    assert smsc.problems == [] and bridge.link.stats.link_losses == 0
    assert all(_screen_ok(screen.text) for screen in smsc.submits)


REQUESTS = sorted(code for name, code in commands.items() if not code & 0x80000000 and name != "unbind")


@FUZZ
@given(frames=st.lists(st.tuples(st.one_of(st.sampled_from(REQUESTS), st.integers(0, 0x7FFFFFFF)),
                                 st.binary(max_size=64)), min_size=1, max_size=5))
def test_any_frame_is_answered_or_ignored_and_the_link_survives(bridge, smsc, frames):
    for n, (command_id, body) in enumerate(frames):
        sequence = 800_000 + n
        smsc.write_raw(struct.pack(">LLLL", 16 + len(body), command_id, 0, sequence) + body)
        if command_id != commands["alert_notification"]:  # the one request SMPP answers with nothing
            assert smsc.answered(sequence) >= 0
    assert bridge.link.stats.link_losses == 0
    smsc.deliver_answers.clear()
    assert smsc.dial("22890000125").text  # still serving
