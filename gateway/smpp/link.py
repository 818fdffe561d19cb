"""One SMPP 3.4 transceiver bind to an operator's USSD hub, kept up for as long as the
bridge runs: bind with the operator's credentials, answer every request the hub sends
(deliver_sm, enquire_link, unbind), check every answer to what we send, ask
`enquire_link` after a silence, reconnect with a growing delay when the link drops.

Screens to send wait in an outbox that outlives a connection: at most `window` are out
without their `submit_sm_resp`; a hub that answers ESME_RTHROTTLED (or a full queue) gets
the screen again after a delay that doubles up to THROTTLE_CEILING; a last screen goes
before others (the PIN prompt of a payment must find the session closed). A screen
still undelivered after STALE_AFTER is dropped: the phone gave up on it long ago.
"""
from __future__ import annotations

import heapq
import itertools
from collections import deque
import logging
import random
import socket
import threading
import time
from dataclasses import dataclass, field

from smpplib import consts

from gateway.smpp.connection import BindRefused, Connection, LinkConfig, LinkDown, LinkStats
from gateway.smpp.pdus import BrokenPdu, Sequences, is_request, parse, response

log = logging.getLogger("amu.smpp")

RECONNECT_CEILING = 60.0
THROTTLE_CEILING = 2.0
STALE_AFTER = 20.0
RETRY_LATER = {consts.SMPP_ESME_RTHROTTLED, consts.SMPP_ESME_RMSGQFUL}
NO_RESPONSE = {"alert_notification"}  # requests SMPP answers with nothing


@dataclass(order=True)
class Outgoing:
    priority: int  # 0: a last screen; 1: a screen waiting for an entry
    order: int
    fields: dict = field(compare=False)
    label: str = field(compare=False, default="")  # for logs: a masked number
    created: float = field(compare=False, default=0.0)
    since: float = field(compare=False, default=0.0)  # when the hub's message it answers arrived
    elsewhere: float = field(compare=False, default=0.0)  # seconds of that spent outside the bridge (the menus)


class SmppLink:
    def __init__(self, config: LinkConfig, on_deliver, clock=time.monotonic):
        """`on_deliver(pdu) -> status`: called for each deliver_sm, on the reading thread;
        its status goes back in the deliver_sm_resp at once."""
        self.config, self.on_deliver, self.clock = config, on_deliver, clock
        self.stats = LinkStats()
        # per screen: (seconds from the hub's message to the screen written, of which the bridge's own)
        self.latencies: deque[tuple[float, float]] = deque(maxlen=10_000)
        self.sequences = Sequences()
        self.bound = threading.Event()
        self._outbox: list[Outgoing] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._throttled_until = 0.0
        self._throttle_next = config.throttle_delay
        self._conn: Connection | None = None

    # --- what the bridge uses -------------------------------------------------------
    def send(self, fields: dict, *, final: bool, label: str = "", since: float | None = None,
             elsewhere: float = 0.0) -> None:
        """Send a submit_sm now if the link, the window and the hub allow, else as soon as
        they do. `since`: when the message it answers arrived, and `elsewhere` the time
        the menus took since (for the hop's latency and the bridge's own share)."""
        now = self.clock()
        item = Outgoing(0 if final else 1, next(self._order), fields, label, now,
                        now if since is None else since, elsewhere)
        conn = self._conn
        if conn is not None and conn.alive and self.bound.is_set():
            with self._cond:
                free = not self._outbox and now >= self._throttled_until
            if free and conn.window.acquire(blocking=False):
                self._write_submit(conn, item)  # no hand-over to the sending thread: a hop's fastest path
                return
        self._queue(item)

    def idle(self) -> bool:
        """Nothing waiting to be sent nor waiting for the hub's answer."""
        conn = self._conn
        with self._cond:
            return not self._outbox and not (conn is not None and conn.alive and conn.pending)

    def run(self, stop: threading.Event) -> None:
        """Bind, serve, and bind again after a loss, until `stop` is set; then unbind."""
        delay = self.config.reconnect_delay
        while not stop.is_set():
            conn = None
            try:
                conn = self._conn = self._connect()
                self._bind(conn)
                delay = self.config.reconnect_delay
                self._serve(conn, stop)
            except BindRefused as refused:
                self.stats.bind_refusals += 1
                log.error("the hub refused the bind of %r: %s", self.config.system_id, refused)
            except (OSError, LinkDown) as lost:
                self.stats.link_losses += 1
                log.warning("link to the hub %s:%s lost: %s", self.config.host, self.config.port, lost or "timeout")
            except Exception:  # noqa: BLE001 - a bug met here drops the link, never the bridge
                self.stats.link_losses += 1
                log.exception("link to the hub %s:%s dropped on an error", self.config.host, self.config.port)
            finally:
                self.bound.clear()
                if conn is not None:
                    self._close(conn)
            if not stop.is_set():
                stop.wait(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, RECONNECT_CEILING)

    # --- connection ---------------------------------------------------------------
    def _connect(self) -> Connection:
        sock = socket.create_connection((self.config.host, self.config.port), timeout=self.config.response_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return Connection(sock, self.config.window, self.clock)

    def _bind(self, conn: Connection) -> None:
        c = self.config
        bind = self.sequences.make("bind_transceiver", system_id=c.system_id, password=c.password,
                                   system_type=c.system_type, interface_version=consts.SMPP_VERSION_34,
                                   addr_ton=0, addr_npi=0, address_range=c.address_range)
        conn.write(bind.generate())
        deadline = self.clock() + c.response_timeout
        while self.clock() < deadline:
            for frame in conn.frames(0.1):
                pdu = self._read(conn, frame)
                if pdu is None:
                    continue
                if pdu.command == "enquire_link":  # a hub checking the link before it answers
                    conn.write(response("enquire_link_resp", pdu.sequence))
                    continue
                if pdu.command in ("bind_transceiver_resp", "generic_nack") and pdu.sequence == bind.sequence:
                    if pdu.status != consts.SMPP_ESME_ROK:
                        raise BindRefused(consts.DESCRIPTIONS.get(pdu.status, f"status 0x{pdu.status:x}"))
                    self.stats.binds += 1
                    self.bound.set()
                    log.info("bound to the hub %s:%s as %r", c.host, c.port, c.system_id)
                    return
        raise LinkDown("no answer to the bind")

    def _serve(self, conn: Connection, stop: threading.Event) -> None:
        sender = threading.Thread(target=self._send_loop, args=(conn,), name="smpp-send", daemon=True)
        sender.start()
        try:
            while not stop.is_set():
                for frame in conn.frames(0.05):
                    pdu = self._read(conn, frame)
                    if pdu is not None:
                        self._handle(conn, pdu)
                self._check_health(conn)
            self._unbind(conn)
        finally:
            conn.alive = False
            with self._cond:
                self._cond.notify_all()
            sender.join(timeout=2)

    def _close(self, conn: Connection) -> None:
        conn.alive = False
        try:
            conn.sock.close()
        except OSError:
            pass
        with conn.pending_lock:
            unanswered, conn.pending = list(conn.pending.values()), {}
        for item, _sent in unanswered:  # maybe never arrived: sent again if still fresh
            self._queue(item)

    def _unbind(self, conn: Connection) -> None:
        unbind = self.sequences.make("unbind")
        conn.write(unbind.generate())
        deadline = self.clock() + min(self.config.response_timeout, 2.0)
        while self.clock() < deadline:
            for frame in conn.frames(0.05):
                pdu = self._read(conn, frame)
                if pdu is not None and pdu.command == "unbind_resp":
                    return
                if pdu is not None:
                    self._handle(conn, pdu)

    # --- reading ------------------------------------------------------------------
    def _read(self, conn: Connection, frame: bytes):
        try:
            return parse(frame)
        except BrokenPdu as broken:
            self.stats.broken_pdus += 1
            log.warning("unreadable PDU from the hub: %s", broken)
            if is_request(broken.command_id):
                conn.write(response("generic_nack", broken.sequence, broken.status))
            return None

    def _handle(self, conn: Connection, pdu) -> None:
        command = pdu.command
        if command == "deliver_sm":
            try:
                status = self.on_deliver(pdu)
            except Exception:  # noqa: BLE001 - the hub still gets its answer
                log.exception("a deliver_sm could not be taken")
                status = consts.SMPP_ESME_RSYSERR
            conn.write(response("deliver_sm_resp", pdu.sequence, status))
        elif command == "enquire_link":
            conn.write(response("enquire_link_resp", pdu.sequence))
        elif command == "enquire_link_resp" or (command == "generic_nack" and conn.enquiry is not None
                                                and pdu.sequence == conn.enquiry[0]):
            conn.enquiry = None  # any answer, even a refusal, says the link is alive
        elif command in ("submit_sm_resp", "generic_nack"):
            self._answered(conn, pdu)
        elif command == "unbind":
            conn.write(response("unbind_resp", pdu.sequence))
            raise LinkDown("the hub unbound")
        elif pdu.is_request() and command not in NO_RESPONSE:
            conn.write(response("generic_nack", pdu.sequence, consts.SMPP_ESME_RINVCMDID))

    def _answered(self, conn: Connection, pdu) -> None:
        with conn.pending_lock:
            found = conn.pending.pop(pdu.sequence, None)
        if found is None:
            return  # an answer to a screen already given up (a previous connection)
        conn.window.release()
        item, _sent = found
        if pdu.status == consts.SMPP_ESME_ROK:
            self.stats.acknowledged += 1
            self._throttle_next = self.config.throttle_delay
        elif pdu.status in RETRY_LATER:
            self.stats.throttled += 1
            with self._cond:
                self._throttled_until = self.clock() + self._throttle_next
                self._throttle_next = min(self._throttle_next * 2, THROTTLE_CEILING)
            self._queue(item)
        else:
            self.stats.refused += 1
            log.warning("the hub refused the screen to %s: %s", item.label,
                        consts.DESCRIPTIONS.get(pdu.status, f"status 0x{pdu.status:x}"))

    def _check_health(self, conn: Connection) -> None:
        now, c = self.clock(), self.config
        if conn.enquiry is not None:
            if now - conn.enquiry[1] > c.response_timeout:
                raise LinkDown(f"no answer to enquire_link in {c.response_timeout:g} s")
        elif now - conn.last_heard > c.enquire_link:
            enquiry = self.sequences.make("enquire_link")
            conn.enquiry = (enquiry.sequence, now)
            conn.write(enquiry.generate())
            self.stats.enquire_links_sent += 1
        with conn.pending_lock:
            oldest = min((sent for _item, sent in conn.pending.values()), default=now)
        if now - oldest > c.response_timeout:
            raise LinkDown(f"a screen unanswered for {c.response_timeout:g} s")

    # --- sending ------------------------------------------------------------------
    def _queue(self, item: Outgoing) -> None:
        with self._cond:
            heapq.heappush(self._outbox, item)
            self._cond.notify_all()

    def _next(self, conn: Connection) -> Outgoing | None:
        with self._cond:
            while conn.alive:
                wait = self._throttled_until - self.clock()
                if self._outbox and wait <= 0:
                    return heapq.heappop(self._outbox)
                self._cond.wait(timeout=wait if self._outbox else 0.5)
        return None

    def _send_loop(self, conn: Connection) -> None:
        while (item := self._next(conn)) is not None:
            while not conn.window.acquire(timeout=0.1):
                if not conn.alive:
                    self._queue(item)
                    return
            with self._cond:  # a last screen queued while this one waited for the window goes first
                item = heapq.heappushpop(self._outbox, item)
            if self.clock() - item.created > STALE_AFTER:
                conn.window.release()
                self.stats.stale += 1
                log.warning("a screen to %s dropped: not delivered in %g s", item.label, STALE_AFTER)
                continue
            if not self._write_submit(conn, item):
                return

    def _write_submit(self, conn: Connection, item: Outgoing) -> bool:
        """Write one submit_sm (its window slot taken); False if the connection failed."""
        submit = self.sequences.make("submit_sm", **item.fields)
        with conn.pending_lock:
            closed = not conn.alive  # since the caller looked: its pending screens are taken back already
            if not closed:
                conn.pending[submit.sequence] = (item, self.clock())
        if closed:
            self._queue(item)
            return False
        try:
            conn.write(submit.generate())
        except OSError:
            return False  # the reading side sees the loss; the item is re-queued on close
        self.stats.sent += 1
        taken = self.clock() - item.since
        self.latencies.append((taken, taken - item.elsewhere))
        return True
