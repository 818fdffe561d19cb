"""Each dialect against a hub that speaks it (the stand-in's hubs are written from vumi's
documentation and SMPP 3.4, apart from gateway/smpp/dialects.py): a whole join, then a
user abort, with every screen's marks checked on the wire."""
from __future__ import annotations

import pytest

from gateway.smpp.dialects import DIALECTS, dialect_named

PHONE = "22890000091"
JOIN = ["1", "Afi Test", "14031988", "1", "1", "1", "3"]
JOIN_80 = JOIN[:-1] + ["98", "98", "3"]  # 80-character screens: the rhythm list takes three pages

#                 continue op, end op, end bit of its_session_info on the last screen, data_coding
ON_THE_WIRE = {
    "default": (0x02, 0x02, True, 0),  # vumi's default processor: always USSR request, the bit ends
    "mica": (0x02, 0x17, None, 0),  # the dialogue named in user_message_reference, no end bit
    "6d": (0x02, 0x17, True, 8),  # UCS-2
    "smpp34": (0x02, 0x11, True, 0),  # PSSR response (17) as SMPP 3.4 names it
}


@pytest.mark.parametrize("hub_name", sorted(ON_THE_WIRE))
def test_a_whole_join_and_an_abort_as_each_hub_marks_them(bridge, smsc, hub_name):
    continue_op, end_op, end_bit, coding = ON_THE_WIRE[hub_name]
    first = smsc.dial(PHONE)
    screens = [first] + [smsc.send(PHONE, entry) for entry in (JOIN_80 if coding == 8 else JOIN)]
    welcome = smsc.send(PHONE, "1")
    assert not any(screen.end for screen in screens) and welcome.end
    assert welcome.text.startswith("Bienvenue Afi Test")
    assert {screen.fields["ussd_service_op"] for screen in screens} == {continue_op}
    assert welcome.fields["ussd_service_op"] == end_op
    assert {screen.fields["data_coding"] for screen in [*screens, welcome]} == {coding}
    if end_bit is None:
        assert welcome.fields["its_session_info"] is None and welcome.fields["user_message_reference"] is not None
    else:
        assert [screen.fields["its_session_info"] & 1 for screen in screens] == [0] * len(screens)
        assert welcome.fields["its_session_info"] & 1 == 1

    smsc.dial(PHONE)
    for entry in ("4", "1", "1"):  # adding a spouse: a form with an answer, worth resuming (a menu opened is not)
        smsc.send(PHONE, entry)
    assert smsc.answered(smsc.abort(PHONE)) == 0
    assert smsc.nothing_for(PHONE)
    assert smsc.dial(PHONE).text.startswith("Reprendre l'ajout d'un ayant droit ?")


@pytest.mark.parametrize("hub_name", ["6d"])
def test_ucs2_screens_fit_the_160_octets_of_a_ussd_string(bridge, smsc, hub_name):
    smsc.dial(PHONE)
    for entry in JOIN_80:
        smsc.send(PHONE, entry)
    summary = smsc.submits[-1]  # the summary to confirm: its title gives way, the name stays
    assert "Afi Test" in summary.text and not summary.end
    assert max(len(screen.fields["short_message"]) for screen in smsc.submits) <= 160  # 80 characters
    assert not any(screen.fields["message_payload"] for screen in smsc.submits)


def test_dialects_are_named_in_any_letter_case_and_an_unknown_one_is_refused_with_the_list():
    assert dialect_named("Mica") is DIALECTS["mica"] and dialect_named("6D") is DIALECTS["6d"]
    assert dialect_named("") is DIALECTS["default"]
    with pytest.raises(ValueError, match="'huawei' is not a known dialect .default, mica, 6d, smpp34"):
        dialect_named("huawei")
