"""The USSD-over-SMPP bridge (`amu ussd-smpp`): each deliver_sm carrying
`ussd_service_op` from the operator's hub is one hop of the same engine every other
channel uses; the screen goes back as a submit_sm marked per the hub's dialect.

The link's reading thread only parses and queues (the hub gets its deliver_sm_resp at
once); `workers` threads run the hops. Sessions live in Redis (ChannelSessions and the
engine's store), so a link that drops loses nothing, and several bridge processes, one
bind each, serve the same phones.
"""
from __future__ import annotations

import functools
import logging
import queue
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from smpplib import consts

from gateway.channels import NOT_TOGO, ChannelSessions, international_phone
from gateway.phones import InvalidPhone, default_network, masked, normalise_phone
from gateway.smpp.dialects import ABORT, OPEN, Dialect, dialect_named
from gateway.smpp.link import LinkConfig, SmppLink
from gateway.smpp.pdus import address, decode, encode
from gateway.ussd_hop import UssdHop, sorry

log = logging.getLogger("amu.smpp")
CHANNEL = "smpp"


@dataclass
class BridgeStats:
    hops: int = 0
    aborts: int = 0
    busy: int = 0  # deliver_sm answered ESME_RTHROTTLED: every worker busy, or stopping
    not_ussd: int = 0
    failures: int = 0
    menus: deque = field(default_factory=lambda: deque(maxlen=10_000))  # seconds in UssdHop.handle, a hop


class _TimedHop:
    """The engine's hop, timed: what the bridge adds is the rest of a hop's time."""

    def __init__(self, hop: UssdHop, samples: deque, clock):
        self.hop, self.samples, self.clock = hop, samples, clock
        self._last = threading.local()

    def handle(self, request):
        started = self.clock()
        try:
            return self.hop.handle(request)
        finally:
            self._last.seconds = self.clock() - started
            self.samples.append(self._last.seconds)

    def taken(self) -> float:
        """The time this thread's last hop took in the menus."""
        return getattr(self._last, "seconds", 0.0)

    def abandon(self, session_id: str, phone: str) -> None:
        self.hop.abandon(session_id, phone)


def phone_of(pdu) -> str:
    """The caller's E.164 number from source_addr (TON 1: international, without '+')."""
    return _phone(address(pdu.source_addr).strip(), pdu.source_addr_ton == consts.SMPP_TON_NATNL)


@functools.lru_cache(maxsize=65_536)  # a phone sends every hop of its session: parse it once
def _phone(raw: str, national: bool) -> str:
    try:
        return normalise_phone(raw) if national else international_phone(raw)
    except InvalidPhone:
        return normalise_phone(raw)


class UssdSmppBridge:
    def __init__(self, runtime, settings=None, hop: UssdHop | None = None, clock=time.monotonic):
        settings = settings or runtime.settings
        self.dialect: Dialect = dialect_named(settings.smpp_dialect)
        self.network = settings.smpp_network
        self.clock = clock
        self.stats = BridgeStats()
        hop = hop or UssdHop(runtime, max_chars=self.dialect.longest_screen(settings.ussd_max_chars))
        self.hop = _TimedHop(hop, self.stats.menus, clock)
        self.channels = ChannelSessions(runtime)
        self.link = SmppLink(LinkConfig.from_settings(settings), self._deliver, clock)
        self._work: queue.Queue = queue.Queue(maxsize=settings.smpp_workers * 4)
        self._workers = [threading.Thread(target=self._work_loop, name=f"smpp-hop-{n}", daemon=True)
                         for n in range(settings.smpp_workers)]
        self._stop = threading.Event()
        self._accepting = True
        self._link_thread = threading.Thread(target=self.link.run, args=(self._stop,), name="smpp-link",
                                             daemon=True)

    def start(self) -> "UssdSmppBridge":
        for worker in self._workers:
            worker.start()
        self._link_thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the hops under way and send their screens, then unbind."""
        if self._stop.is_set():
            return
        self._accepting = False
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not (self._work.unfinished_tasks == 0 and self.link.idle()):
            time.sleep(0.02)
        self._stop.set()
        for _ in self._workers:
            self._work.put(None)
        self._link_thread.join(timeout=max(deadline - time.monotonic(), 2.0))

    # --- the link's reading thread ------------------------------------------------
    def _deliver(self, pdu) -> int:
        if pdu.ussd_service_op is None:
            self.stats.not_ussd += 1  # an SMS or a delivery receipt: not for this bridge
            return consts.SMPP_ESME_ROK
        if not self._accepting:
            self.stats.busy += 1  # stopping: the hub gives it to another bind
            return consts.SMPP_ESME_RTHROTTLED
        try:
            self._work.put_nowait((pdu, self.clock()))
        except queue.Full:
            self.stats.busy += 1
            return consts.SMPP_ESME_RTHROTTLED
        return consts.SMPP_ESME_ROK

    # --- the workers ----------------------------------------------------------------
    def _work_loop(self) -> None:
        while (item := self._work.get()) is not None:
            pdu, received = item
            try:
                self._answer(pdu, received)
            except Exception:  # noqa: BLE001 - one bad message never stops the bridge
                self.stats.failures += 1
                log.exception("USSD message from the hub not understood")
            finally:
                self._work.task_done()

    def _answer(self, pdu, received: float) -> None:
        text = decode(pdu.short_message or pdu.message_payload, pdu.data_coding)
        message = self.dialect.read(pdu, text)
        try:
            self._hop(pdu, message, received)
        except Exception:  # noqa: BLE001 - the phone hears that we failed, not silence
            self.stats.failures += 1
            log.exception("USSD hop over SMPP failed")
            if message.kind != ABORT:
                self._screen(pdu, sorry(None), True, message.echo, since=received)

    def _hop(self, pdu, message, received: float) -> None:
        try:
            phone = phone_of(pdu)
        except InvalidPhone:
            if message.kind != ABORT:
                self._screen(pdu, NOT_TOGO, True, message.echo, since=received)
            return
        if message.kind == ABORT:
            self.stats.aborts += 1
            raw = {"dialect": self.dialect.name, "ussd_service_op": pdu.ussd_service_op, "ref": message.ref}
            self.channels.end(self.hop, CHANNEL, message.ref, phone, raw=raw)
            return
        network = self.network or default_network(phone)
        reply = self.channels.answer(self.hop, CHANNEL, message.ref, phone, network, message.text,
                                     new=message.kind == OPEN)
        self.stats.hops += 1
        self._screen(pdu, reply.text, reply.end, message.echo, masked(phone), since=received,
                     elsewhere=self.hop.taken())

    def _screen(self, pdu, text: str, end: bool, echo: int | None, label: str = "", since=None,
                elsewhere: float = 0.0) -> None:
        """Send `text` back to the phone that sent `pdu`, from the address it dialled."""
        d = self.dialect
        fields = {
            "service_type": d.service_type,
            "source_addr_ton": pdu.dest_addr_ton, "source_addr_npi": pdu.dest_addr_npi,
            "source_addr": address(pdu.destination_addr),
            "dest_addr_ton": pdu.source_addr_ton, "dest_addr_npi": pdu.source_addr_npi,
            "destination_addr": address(pdu.source_addr),
            "esm_class": 0, "data_coding": d.data_coding,
            **encode(text, d.data_coding), **d.marks(echo, end),
        }
        self.link.send(fields, final=end, label=label, since=since, elsewhere=elsewhere)

    def summary(self) -> str:
        """One line for the log: hops, how long they took and what the link did."""
        link, timings = self.link.stats, list(self.link.latencies)
        timing = ""
        if timings:
            hop, own = (statistics.median(values) * 1000 for values in zip(*timings))
            timing = f" (median {hop:.2f} ms from deliver_sm to submit_sm, the bridge's own {own:.2f} ms)"
        return (f"{self.stats.hops} hops{timing}, {self.stats.aborts} aborts, {link.acknowledged} screens delivered, "
                f"{link.refused} refused, {link.throttled} throttled, {link.binds} binds, "
                f"{link.link_losses} links lost")
