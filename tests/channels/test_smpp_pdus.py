"""The bridge's PDU layer: the GSM-7 alphabet both ways (checked against the stand-in's own
table), the text of odd codings, and deliver_sm as hubs really send them."""
from __future__ import annotations

import struct

import pytest
from smpplib import consts
from smpplib.client import SimpleSequenceGenerator

from gateway.smpp.pdus import BrokenPdu, decode, encode, gsm7, parse
from tests.channels.smsc import GSM_BASIC, GSM_EXTENDED, HubDeliverSM, gsm7_text
from ussd_menus.gsm7 import BASIC, EXTENSION


def test_every_gsm7_character_is_written_as_gsm_03_38_and_read_back():
    for ch in BASIC + EXTENSION:
        assert gsm7_text(gsm7(ch)) == ch, ch  # the stand-in's table, not ours
        assert decode(gsm7(ch), 0) == ch
    assert gsm7("§") == bytes([0x5F]) and gsm7("€") == b"\x1b\x65"
    assert gsm7("ê") == b"?"  # screens are folded before; anything left is never a broken octet


def test_a_hub_that_says_gsm7_but_sends_latin1_is_still_read():
    assert decode("Akué".encode("latin-1"), 0) == "Aku" + "é"
    assert decode("Kossi".encode("utf-16-be"), 8) == "Kossi"
    assert decode(b"\xff\xfe", 0x42) == "ÿþ"  # an unknown coding reads as Latin-1, never fails
    assert decode(b"1\x1b", 0) == "1" and decode(b"\x1b\x7f", 0) == " "  # a lone or unknown escape


def test_a_screen_past_254_octets_goes_in_message_payload():
    short = encode("x" * 160, 0)
    assert short == {"short_message": b"x" * 160}
    long = encode("é" * 160, consts.SMPP_ENCODING_ISO10646)
    assert long == {"message_payload": ("é" * 160).encode("utf-16-be")}


def _deliver_sm(**fields) -> bytes:
    base = {"service_type": "USSD", "source_addr_ton": 1, "source_addr_npi": 1, "source_addr": "22890000011",
            "dest_addr_ton": 0, "dest_addr_npi": 1, "destination_addr": "858", "short_message": b"1"}
    return HubDeliverSM("deliver_sm", client=SimpleSequenceGenerator(), **{**base, **fields}).generate()


def test_optional_parameters_the_bridge_has_no_use_for_are_skipped():
    frame = _deliver_sm(ussd_service_op=0x12, its_session_info=0x0100)
    vendor = struct.pack(">HH", 0x1400, 3) + b"abc"  # a vendor TLV
    not_for_deliver_sm = struct.pack(">HHB", 0x0005, 1, 2)  # dest_addr_subunit
    body = frame[16:] + vendor + not_for_deliver_sm
    pdu = parse(struct.pack(">L", 16 + len(body)) + frame[4:16] + body)
    assert (pdu.ussd_service_op, pdu.its_session_info, pdu.short_message) == (0x12, 0x0100, b"1")


@pytest.mark.parametrize("cut", [
    lambda frame: frame[:-1],  # the last TLV is one octet short
    lambda frame: frame[:16] + b"USSD",  # service_type without its NUL
])
def test_a_truncated_deliver_sm_is_a_broken_pdu_with_its_sequence(cut):
    frame = cut(_deliver_sm(ussd_service_op=0x01))
    frame = struct.pack(">L", len(frame)) + frame[4:]
    with pytest.raises(BrokenPdu) as broken:
        parse(frame)
    assert broken.value.sequence == struct.unpack(">L", frame[12:16])[0] and broken.value.status in (
        consts.SMPP_ESME_RINVCMDLEN, consts.SMPP_ESME_RINVOPTPARSTREAM)


def test_the_stand_ins_table_is_gsm_03_38():
    assert len(GSM_BASIC) == 128 and GSM_BASIC[0x00] == "@" and GSM_BASIC[0x5F] == "§" and GSM_BASIC[0x1B] == "\x1b"
    assert GSM_EXTENDED[0x65] == "€"
