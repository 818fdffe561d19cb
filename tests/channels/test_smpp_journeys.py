"""Whole journeys over SMPP: a phone on the SMSC stand-in, the bridge bound to it over TCP,
the real engine, database, session store and fake payment provider behind."""
from __future__ import annotations

import dataclasses
import time

from sqlalchemy import select

from gateway.models import Member, PaymentIntent, SmsMessage, UssdSessionEvent
from tests.channels.smsc import eventually
from tests.gateway.payment_helpers import settle

PHONE = "22890000061"  # as the hub sends it: international, without '+'
JOIN = ["1", "Afi Test", "14031988", "1", "1", "1", "3"]


def join(smsc, msisdn=PHONE, **route):
    assert str(smsc.dial(msisdn, **route)).startswith("CON AMU Togo\n1. Adhérer")
    for entry in JOIN:
        assert not smsc.send(msisdn, entry, **route).end
    return smsc.send(msisdn, "1", **route)


def member(runtime, msisdn=PHONE) -> Member:
    with runtime.db() as session:
        return session.scalar(select(Member).where(Member.phone == "+" + msisdn))


def test_a_phone_joins_then_pays_through_the_hub(bridge, smsc, runtime, fake_provider, run_jobs):
    welcome = join(smsc)
    assert welcome.end and welcome.text.startswith("Bienvenue Afi Test. Votre numéro AMU: ")
    joined = member(runtime)
    assert joined.network == "yas"  # no AMU_SMPP_NETWORK: the number's prefix (90)

    assert str(smsc.dial(PHONE)).startswith("CON AMU Togo\n1. Payer\n2. Mes droits")
    assert str(smsc.send(PHONE, "1")).startswith("CON Montant à payer:\n1. 10 000 F")
    assert str(smsc.send(PHONE, "1")).startswith("CON Payer 10 000 F pour votre cotisation AMU avec Mixx by Yas ?")
    goodbye = smsc.send(PHONE, "1")
    assert goodbye.end and goodbye.text.startswith("Merci. Vous allez recevoir une demande de code PIN Mixx by Yas")

    settle(fake_provider, run_jobs)
    with runtime.db() as session:
        (paid,) = session.scalars(select(PaymentIntent)).all()
        receipts = session.scalars(select(SmsMessage.kind).where(SmsMessage.phone == "+" + PHONE)).all()
    assert (paid.status, paid.amount, paid.payer_phone, paid.network) == ("succeeded", 10_000, "+" + PHONE, "yas")
    assert "receipt_covered" in receipts


def test_the_wallet_offered_first_is_the_hubs_network(start_bridge, smsc, runtime):
    start_bridge(smpp_network="moov")
    join(smsc)  # a 90 number, Yas by its prefix, dialling through Moov's hub
    assert member(runtime).network == "moov"


def test_a_link_dropped_mid_form_continues_where_it_was_after_reconnecting(bridge, smsc):
    smsc.dial(PHONE)
    smsc.send(PHONE, "1")
    assert str(smsc.send(PHONE, "Afi Test")).startswith("CON Date de naissance")
    eventually(bridge.link.idle)  # the hub acknowledged the screen
    smsc.drop_links()  # the network cuts the TCP connection, no unbind
    smsc.wait_bound()
    assert str(smsc.send(PHONE, "14031988")).startswith("CON Sexe")  # the same session, kept in the store
    assert bridge.link.stats.link_losses == 1 and bridge.link.stats.binds == 2


def test_a_screen_the_hub_had_not_acknowledged_when_the_link_dropped_is_sent_again(bridge, smsc):
    smsc.answer_delay = 0.5  # the submit_sm_resp would come after the cut
    first = smsc.dial(PHONE)
    smsc.drop_links()
    smsc.answer_delay = 0
    again = smsc.screen(PHONE)  # it may have been lost with the link: sent again on the new bind
    assert again.text == first.text and again.end is False
    eventually(bridge.link.idle)
    assert bridge.link.stats.acknowledged == 1


def test_a_screen_handed_to_the_link_as_it_drops_goes_on_the_next_bind(bridge, smsc, monkeypatch):
    smsc.dial(PHONE)
    eventually(bridge.link.idle)
    link, write_submit = bridge.link, bridge.link._write_submit
    dropped = []

    def as_the_link_drops(conn, item):  # the worker checked the link; it closes before the write
        if not dropped:
            dropped.append(conn.pending)
            smsc.drop_links()
            eventually(lambda: conn.pending is not dropped[0])  # closed: its pending screens taken back
        return write_submit(conn, item)

    monkeypatch.setattr(link, "_write_submit", as_the_link_drops)
    screen = smsc.send(PHONE, "1")
    assert screen.text.startswith("Nom et pr") and link.stats.link_losses == 1


def test_a_user_abort_ends_the_session_and_dialling_again_offers_to_resume(bridge, smsc, runtime):
    smsc.dial(PHONE)
    smsc.send(PHONE, "1")
    smsc.send(PHONE, "Afi Test")
    assert smsc.answered(smsc.abort(PHONE)) == 0  # deliver_sm_resp: ESME_ROK
    assert smsc.nothing_for(PHONE)  # no screen to a phone that left
    assert str(smsc.dial(PHONE)) == "CON Reprendre votre adhésion ?\n1. Continuer\n2. Recommencer"
    assert str(smsc.send(PHONE, "1")).startswith("CON Date de naissance")
    with runtime.db() as session:
        (left,) = session.scalars(select(UssdSessionEvent)).all()
    assert (left.status, left.phone, left.hops) == ("Incomplete", "+" + PHONE, 3)


def test_a_throttled_hub_gets_the_screen_again_after_a_growing_pause(bridge, smsc):
    smsc.throttle_next = 2
    assert str(smsc.dial(PHONE)).startswith("CON AMU Togo")
    eventually(bridge.link.idle)
    attempts = [at for at, status in smsc.submit_attempts]
    assert [status for _, status in smsc.submit_attempts] == [0x58, 0x58, 0]
    assert attempts[1] - attempts[0] >= 0.05 * 0.9 and attempts[2] - attempts[1] >= 0.1 * 0.9  # 50 ms, then 100 ms
    assert bridge.link.stats.throttled == 2 and bridge.link.stats.acknowledged == 1


def test_the_pin_prompt_waits_for_the_last_screen_even_when_the_hub_throttles_it(
        bridge, smsc, runtime, monkeypatch):
    join(smsc)
    monkeypatch.setattr(runtime, "settings", dataclasses.replace(runtime.settings, pin_prompt_delay=1))
    queued = []
    enqueue_in = runtime.queue.enqueue_in
    monkeypatch.setattr(runtime.queue, "enqueue_in",
                        lambda seconds, path, *args, **kw: (queued.append((time.monotonic(), seconds, path)),
                                                            enqueue_in(seconds, path, *args, **kw)))
    smsc.dial(PHONE)
    smsc.send(PHONE, "1")
    smsc.send(PHONE, "1")
    smsc.throttle_next = 3  # the goodbye is refused three times: 50 + 100 + 200 ms
    goodbye = smsc.send(PHONE, "1")
    assert goodbye.end
    ((asked_at, delay, job),) = [q for q in queued if q[2].endswith("initiate_collection")]
    assert delay == 1
    assert goodbye.at < asked_at + delay  # the PIN push can start only after the phone got the goodbye


def test_two_bridges_one_bind_each_serve_the_same_session(start_bridge, smsc, runtime):
    first, second = start_bridge(), start_bridge()
    smsc.dial(PHONE, bind=0)
    for n, entry in enumerate(JOIN):
        smsc.send(PHONE, entry, bind=n % 2)  # the hub spreads a dialogue's messages over its binds
    assert smsc.send(PHONE, "1", bind=1).text.startswith("Bienvenue Afi Test")
    assert first.stats.hops >= 4 and second.stats.hops >= 4
    assert member(runtime) is not None
