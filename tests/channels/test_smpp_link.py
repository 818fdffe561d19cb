"""The SMPP link as the hub sees it: keep-alive both ways, a hub gone silent, the window,
a refused bind, refused screens, the hub's own unbind, unreadable PDUs, and stopping."""
from __future__ import annotations

import dataclasses
import struct
import threading

from smpplib import consts

from gateway.channels import NOT_TOGO
from gateway.smpp.bridge import UssdSmppBridge
from tests.channels.smsc import eventually

PHONE = "22890000071"


def test_the_hubs_enquire_link_is_answered_and_the_bridge_asks_after_a_silence(start_bridge, smsc):
    bridge = start_bridge(smpp_enquire_link=0.1)
    assert smsc.answered(smsc.enquire()) == consts.SMPP_ESME_ROK
    eventually(lambda: smsc.enquire_links_received >= 2)  # every 0.1 s of silence
    assert bridge.link.stats.link_losses == 0


def test_an_enquire_link_sent_before_the_bind_is_answered_is_answered_too(runtime, smsc):
    smsc.enquire_before_bind_answer = True
    settings = dataclasses.replace(runtime.settings, smpp_host="127.0.0.1", smpp_port=smsc.port)
    bridge = UssdSmppBridge(runtime, settings).start()
    try:
        smsc.wait_bound()
        assert smsc.answered(smsc.enquired_while_binding[0]) == consts.SMPP_ESME_ROK
    finally:
        bridge.stop(timeout=1)


def test_a_generic_nack_to_our_enquire_link_still_says_the_link_is_alive(start_bridge, smsc):
    smsc.nack_enquire_link = True  # a hub that does not know enquire_link, or refuses it
    bridge = start_bridge(smpp_enquire_link=0.1, smpp_response_timeout=0.2)
    eventually(lambda: smsc.enquire_links_received >= 5)
    assert bridge.link.stats.link_losses == 0 and bridge.link.stats.binds == 1


def test_a_hub_that_stops_answering_is_left_and_bound_again(start_bridge, smsc):
    bridge = start_bridge(smpp_enquire_link=0.1, smpp_response_timeout=0.2)
    smsc.silent = True  # a hung hub: the TCP connection stays, nothing comes back
    eventually(lambda: bridge.link.stats.link_losses >= 1)
    smsc.silent = False
    eventually(bridge.link.bound.is_set)  # not a bind it gave up on a moment before
    smsc.wait_bound()
    assert smsc.dial(PHONE).text.startswith("AMU Togo")


def test_at_most_a_window_of_screens_wait_for_the_hubs_answer(start_bridge, smsc):
    start_bridge(smpp_window=2)
    smsc.answer_delay = 0.2
    phones = [f"2289000008{n}" for n in range(6)]
    for phone in phones:
        smsc.dial(phone, wait=False)
    assert all(smsc.screen(phone).text.startswith("AMU Togo") for phone in phones)
    assert smsc.most_unanswered == 2  # the window was full, never exceeded


def test_an_unexpected_error_in_the_link_is_a_lost_link_not_a_dead_bridge(bridge, smsc, monkeypatch):
    check_health, failed = bridge.link._check_health, []

    def fails_once(conn):
        if not failed:
            failed.append(True)
            raise RuntimeError("a bug met on the link's thread")
        return check_health(conn)

    monkeypatch.setattr(bridge.link, "_check_health", fails_once)
    eventually(lambda: bridge.link.stats.binds == 2)  # dropped, then bound again
    smsc.wait_bound()
    assert smsc.dial(PHONE).text.startswith("AMU Togo") and bridge.link.stats.link_losses == 1


def test_a_last_screen_waiting_for_the_window_goes_before_the_others(start_bridge, smsc):
    start_bridge(smpp_window=1)
    smsc.answer_delay = 0.3  # the window stays full 0.3 s a screen
    waiting = [f"2289000009{n}" for n in range(4)]
    for phone in waiting:
        smsc.dial(phone, wait=False)
    eventually(lambda: smsc.submit_attempts)  # the first is out, the others wait for the window
    smsc.dial("2250700000001", wait=False)  # a number from abroad: a last screen
    for phone in [*waiting, "2250700000001"]:
        smsc.screen(phone)
    order = [screen.fields["destination_addr"] for screen in smsc.submits]
    assert order.index("2250700000001") == 1  # right after the one that held the window


def test_a_refused_bind_is_tried_again_with_a_growing_delay(runtime, smsc):
    settings = dataclasses.replace(runtime.settings, smpp_host="127.0.0.1", smpp_port=smsc.port,
                                   smpp_password="wrong")
    bridge = UssdSmppBridge(runtime, settings).start()
    try:
        eventually(lambda: len(smsc.bind_times) >= 4)
    finally:
        bridge.stop(timeout=1)
    gaps = [later - earlier for earlier, later in zip(smsc.bind_times, smsc.bind_times[1:])]
    assert gaps[2] > gaps[0]  # 50 ms, 100 ms, 200 ms (each +-20 %)
    assert bridge.link.stats.bind_refusals >= 3 and bridge.link.stats.binds == 0


def test_a_screen_the_hub_refuses_for_good_is_not_sent_again(bridge, smsc):
    smsc.refuse_next = [consts.SMPP_ESME_RINVDSTADR]
    smsc.dial(PHONE, wait=False)
    eventually(lambda: bridge.link.stats.refused == 1)
    assert [status for _, status in smsc.submit_attempts] == [consts.SMPP_ESME_RINVDSTADR]
    assert smsc.dial(PHONE).text.startswith("AMU Togo")  # the link stays up


def test_the_hubs_unbind_is_answered_and_the_bridge_binds_again(bridge, smsc):
    assert smsc.answered(smsc.unbind()) == consts.SMPP_ESME_ROK
    eventually(lambda: bridge.link.stats.binds == 2)
    smsc.wait_bound()
    assert smsc.dial(PHONE).text.startswith("AMU Togo")


def test_a_message_that_is_not_ussd_is_acknowledged_and_left_alone(bridge, smsc):
    sequence = smsc.deliver_fields(short_message=b"an SMS, not a USSD dialogue")
    assert smsc.answered(sequence) == consts.SMPP_ESME_ROK
    assert smsc.nothing_for("22890000099") and bridge.stats.not_ussd == 1


def test_a_number_from_abroad_is_told_the_service_is_for_togo(bridge, smsc):
    screen = smsc.dial("2250700000001")
    assert screen.end and screen.text == NOT_TOGO


def test_unreadable_pdus_are_answered_with_an_error_and_the_link_survives(bridge, smsc):
    unknown = struct.pack(">LLLL", 16, 0x00000777, 0, 900001)
    smsc.write_raw(unknown)
    assert smsc.answered(900001) == consts.SMPP_ESME_RINVCMDID
    unterminated = b"USSD"  # service_type without its NUL, then nothing
    smsc.write_raw(struct.pack(">LLLL", 16 + len(unterminated), 0x00000005, 0, 900002) + unterminated)
    assert smsc.answered(900002) == consts.SMPP_ESME_RINVCMDLEN
    assert bridge.link.stats.broken_pdus == 2 and bridge.link.stats.link_losses == 0
    assert smsc.dial(PHONE).text.startswith("AMU Togo")


def test_a_broken_stream_is_dropped_and_bound_again(bridge, smsc):
    smsc.write_raw(struct.pack(">L", 7) + b"\x00" * 12)  # a PDU shorter than its own header
    eventually(lambda: bridge.link.stats.link_losses == 1)
    smsc.wait_bound()
    assert smsc.dial(PHONE).text.startswith("AMU Togo")


def test_stopping_sends_the_screen_under_way_refuses_new_dialogues_then_unbinds(start_bridge, smsc):
    bridge = start_bridge()
    smsc.answer_delay = 0.3
    smsc.dial(PHONE, wait=False)
    eventually(lambda: smsc.submit_attempts)
    stopping = threading.Thread(target=bridge.stop)
    stopping.start()
    eventually(lambda: not bridge._accepting)
    late = smsc.dial("22890000072", wait=False)
    assert smsc.answered(late) == consts.SMPP_ESME_RTHROTTLED  # the hub offers it to another bind
    stopping.join(5)
    assert bridge.link.stats.acknowledged == 1  # the screen under way was answered before the unbind
    assert not any(bind.bound for bind in smsc.binds)  # unbound
