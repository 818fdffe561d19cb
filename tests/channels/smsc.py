"""An SMSC stand-in that speaks SMPP 3.4 on a real TCP socket: it accepts transceiver
binds, plays phones dialling USSD as an operator's hub would, answers submit_sm, and
checks everything the bridge sends (strictly parsed by smpplib's own PDU classes).

Its hubs are written from vumi's documentation of the default, Mica and 6D processors
and from SMPP 3.4, separately from gateway/smpp/dialects.py, so that a wrong value on
either side shows. Whatever it finds wrong goes to `problems` (tests assert it empty).
"""
from __future__ import annotations

import itertools
import queue
import socket
import struct
import threading
import time
from dataclasses import dataclass, field

from smpplib import consts, smpp
from smpplib.client import SimpleSequenceGenerator
from smpplib.command import DeliverSM, Param

from ussd_menus.gsm7 import BASIC

ITS, UMR = "its_session_info", "user_message_reference"
GSM_BASIC = BASIC[:0x1B] + "\x1b" + BASIC[0x1B:]  # the escape sits at 0x1B in GSM 03.38
GSM_EXTENDED = {0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\", 0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€"}


@dataclass(frozen=True)
class Hub:
    name: str
    session_field: str
    abort_op: int | None  # None: the user's leaving is the end bit of its_session_info
    end_op: int  # ussd_service_op of the last screen it expects
    end_bit: bool  # the last screen must also set the end bit of its_session_info
    data_coding: int  # of the screens it expects
    open_op: int = 0x01
    entry_op: int = 0x12
    continue_op: int = 0x02
    dialogue_mask: int = 0xFF00  # the bits of its_session_info naming the dialogue


HUBS = {
    "default": Hub("default", ITS, None, end_op=0x02, end_bit=True, data_coding=0),
    "mica": Hub("mica", UMR, 0x81, end_op=0x17, end_bit=False, data_coding=0),
    "6d": Hub("6d", ITS, 0x81, end_op=0x17, end_bit=True, data_coding=8, dialogue_mask=0xFFFE),
    "smpp34": Hub("smpp34", ITS, None, end_op=0x11, end_bit=True, data_coding=0),
}


def eventually(condition, timeout: float = 5.0) -> None:
    """Wait until `condition()` holds (the bridge works on its own threads)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s")
        time.sleep(0.005)


class HubDeliverSM(DeliverSM):
    params = {**DeliverSM.params, "ussd_service_op": Param(type=int, size=1)}
    params_order = DeliverSM.params_order + ("ussd_service_op",)


@dataclass
class Screen:
    text: str
    end: bool
    fields: dict = field(repr=False, default_factory=dict)
    at: float = 0.0

    def __str__(self) -> str:
        return ("END " if self.end else "CON ") + self.text


def gsm7_bytes(text: str) -> bytes:
    extended = {ch: code for code, ch in GSM_EXTENDED.items()}
    return b"".join(bytes([0x1B, extended[ch]]) if ch in extended else bytes([GSM_BASIC.index(ch)]) for ch in text)


def gsm7_text(data: bytes) -> str:
    out, escaped = [], False
    for byte in data:
        if escaped:
            out.append(GSM_EXTENDED[byte])
            escaped = False
        elif byte == 0x1B:
            escaped = True
        else:
            out.append(GSM_BASIC[byte])
    return "".join(out)


class _Bind:
    def __init__(self, smsc: "Smsc", sock: socket.socket):
        self.smsc, self.sock = smsc, sock
        self.lock = threading.Lock()
        self.bound = False
        self.unanswered: dict[int, float] = {}  # submit_sm received, answer not yet sent
        self.requests: list[int] = []  # the sequence numbers of the requests we sent on it
        self.unbound_by_bridge = False

    def write(self, data: bytes) -> None:
        with self.lock:
            self.sock.sendall(data)

    def close(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class Smsc:
    def __init__(self, hub: str = "default", system_id: str = "amu", password: str = "secret",
                 system_type: str = "USSD", service_code: str = "858"):
        self.hub = HUBS[hub]
        self.credentials = (system_id, password, system_type)
        self.service_code = service_code
        self.problems: list[str] = []
        self.submits: list[Screen] = []  # the screens accepted
        self.submit_attempts: list[tuple[float, int]] = []  # every submit_sm: when, and our answer
        self.binds: list[_Bind] = []
        self.bind_times: list[float] = []  # every bind_transceiver received
        self.enquire_links_received = 0
        self.nack_enquire_link = False  # a hub that answers enquire_link with generic_nack
        self.deliver_answers: dict[int, int] = {}  # our deliver_sm sequence -> the bridge's status
        self.most_unanswered = 0
        self.throttle_next = 0  # answer the next N submit_sm with ESME_RTHROTTLED
        self.refuse_next: list[int] = []  # statuses for the next submit_sm answers
        self.answer_delay = 0.0
        self.silent = False  # answers nothing at all (a hung hub)
        self.enquire_before_bind_answer = False  # checks the link before it answers a bind
        self.enquired_while_binding: list[int] = []  # those enquire_link's sequence numbers
        self._screens: dict[str, queue.Queue] = {}
        self._dialogues: dict[str, int] = {}
        self._hop_numbers = itertools.count(1)
        self._numbers = SimpleSequenceGenerator()
        self._lock = threading.Lock()
        self._next_bind = itertools.count()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._running = True
        threading.Thread(target=self._accept, daemon=True, name="smsc-accept").start()

    # --- phones ---------------------------------------------------------------------
    def dial(self, msisdn: str, code: str | None = None, bind: int | None = None, wait: bool = True):
        """A phone dials `code` (default *858#); returns the first screen (or, not waiting
        for it, the deliver_sm's sequence number)."""
        hub = self.hub
        number = next(self._hop_numbers) % 120 + 1
        self._dialogues[msisdn] = (0x1000 + 2 * number) if hub.dialogue_mask == 0xFFFE else number << 8
        if hub.session_field == UMR:
            self._dialogues[msisdn] = number
        sequence = self._deliver(msisdn, hub.open_op, code or f"*{self.service_code}#", bind)
        return self.screen(msisdn) if wait else sequence

    def send(self, msisdn: str, entry: str, bind: int | None = None) -> Screen:
        self._deliver(msisdn, self.hub.entry_op, entry, bind)
        return self.screen(msisdn)

    def abort(self, msisdn: str, bind: int | None = None) -> int:
        """The user leaves mid-dialogue; returns the sequence of the deliver_sm."""
        if self.hub.abort_op is None:
            return self._deliver(msisdn, self.hub.entry_op, "", bind, end=True)
        return self._deliver(msisdn, self.hub.abort_op, "", bind)

    def screen(self, msisdn: str, timeout: float = 5.0) -> Screen:
        try:
            return self._queue(msisdn).get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no screen for {msisdn} within {timeout} s") from None

    def nothing_for(self, msisdn: str, seconds: float = 0.3) -> bool:
        try:
            self._queue(msisdn).get(timeout=seconds)
            return False
        except queue.Empty:
            return True

    def _queue(self, msisdn: str) -> queue.Queue:
        with self._lock:
            return self._screens.setdefault(msisdn, queue.Queue())

    def _deliver(self, msisdn: str, op: int, text: str, bind: int | None, end: bool = False) -> int:
        hub, value = self.hub, self._dialogues[msisdn]
        if hub.session_field == ITS:
            if hub.dialogue_mask == 0xFF00:  # a hub may count hops in octet 2; octet 1 names the dialogue
                value |= (next(self._hop_numbers) % 64) << 1
            value |= int(end)
        pdu = HubDeliverSM("deliver_sm", client=self._numbers, service_type="USSD",
                           source_addr_ton=1, source_addr_npi=1, source_addr=msisdn,
                           dest_addr_ton=0, dest_addr_npi=1, destination_addr=self.service_code,
                           esm_class=0, data_coding=0, short_message=gsm7_bytes(text),
                           ussd_service_op=op, **{hub.session_field: value})
        self._request(self._bind_for(bind), pdu.sequence, pdu.generate())
        return pdu.sequence

    def deliver_fields(self, bind: int | None = None, **fields) -> int:
        """A deliver_sm with exactly these fields over plain defaults (an SMS, odd values)."""
        plain = {"service_type": "", "source_addr_ton": 1, "source_addr_npi": 1, "source_addr": "22890000099",
                 "dest_addr_ton": 0, "dest_addr_npi": 1, "destination_addr": self.service_code,
                 "esm_class": 0, "data_coding": 0}
        pdu = HubDeliverSM("deliver_sm", client=self._numbers, **{**plain, **fields})
        self._request(self._bind_for(bind), pdu.sequence, pdu.generate())
        return pdu.sequence

    # --- the link ---------------------------------------------------------------------
    def wait_bound(self, count: int = 1, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while sum(b.bound for b in self.binds) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} bind(s) expected within {timeout} s")
            time.sleep(0.01)

    def drop_links(self) -> None:
        """The network cuts every connection (no unbind)."""
        binds, self.binds = self.binds, []
        for bind in binds:
            bind.close()

    def enquire(self, bind: int = 0) -> int:
        pdu = smpp.make_pdu("enquire_link", client=self._numbers)
        self._request(self.binds[bind], pdu.sequence, pdu.generate())
        return pdu.sequence

    def unbind(self, bind: int = 0) -> int:
        """The hub ends the bind itself (e.g. before a restart)."""
        pdu = smpp.make_pdu("unbind", client=self._numbers)
        self._request(self.binds[bind], pdu.sequence, pdu.generate())
        return pdu.sequence

    def write_raw(self, data: bytes, bind: int = 0) -> None:
        """Bytes as they come; a request's answer is awaited like any other's."""
        if len(data) >= 16:
            self._request(self.binds[bind], struct.unpack(">L", data[12:16])[0], data)
        else:
            self.binds[bind].write(data)

    def _request(self, bind: _Bind, sequence: int, data: bytes) -> None:
        self.deliver_answers[sequence] = -1
        bind.requests.append(sequence)
        bind.write(data)

    def answered(self, sequence: int, timeout: float = 5.0) -> int:
        """The status the bridge answered our request `sequence` with."""
        deadline = time.monotonic() + timeout
        while self.deliver_answers.get(sequence, -1) == -1:
            if time.monotonic() > deadline:
                raise AssertionError(f"request {sequence} unanswered within {timeout} s")
            time.sleep(0.005)
        return self.deliver_answers[sequence]

    def stop(self) -> None:
        """Stop; a bridge that unbound must have answered every request it was sent."""
        for bind in self.binds:
            unanswered = [n for n in bind.requests if self.deliver_answers.get(n) == -1]
            if bind.unbound_by_bridge and unanswered:
                self.problems.append(f"requests never answered before the bridge unbound: {unanswered}")
        self._running = False
        self._server.close()
        self.drop_links()

    def _bind_for(self, index: int | None) -> _Bind:
        bound = [b for b in self.binds if b.bound]
        if not bound:
            raise AssertionError("no bridge is bound")
        return bound[index % len(bound)] if index is not None else bound[next(self._next_bind) % len(bound)]

    def _accept(self) -> None:
        while self._running:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            bind = _Bind(self, sock)
            self.binds.append(bind)
            threading.Thread(target=self._serve, args=(bind,), daemon=True, name="smsc-bind").start()

    def _serve(self, bind: _Bind) -> None:
        buffer = b""
        try:
            while True:
                data = bind.sock.recv(65536)
                if not data:
                    return
                buffer += data
                while len(buffer) >= 4 and len(buffer) >= struct.unpack(">L", buffer[:4])[0]:
                    length = struct.unpack(">L", buffer[:4])[0]
                    frame, buffer = buffer[:length], buffer[length:]
                    if not self.silent:
                        self._handle(bind, frame)
        except OSError:
            return
        finally:
            bind.bound = False

    def _handle(self, bind: _Bind, frame: bytes) -> None:
        try:
            pdu = smpp.parse_pdu(frame, client=self._numbers, allow_unknown_opt_params=False)
        except Exception as exc:  # noqa: BLE001 - a broken PDU from the bridge is what we look for
            self.problems.append(f"unreadable PDU from the bridge: {exc!r} {frame.hex()}")
            return
        command = pdu.command
        if command == "bind_transceiver":
            self.bind_times.append(time.monotonic())
            given = tuple(v.decode() if isinstance(v, bytes) else (v or "")
                          for v in (pdu.system_id, pdu.password, pdu.system_type))
            status = consts.SMPP_ESME_ROK if given == self.credentials else consts.SMPP_ESME_RBINDFAIL
            if self.enquire_before_bind_answer:
                enquiry = smpp.make_pdu("enquire_link", client=self._numbers)
                self._request(bind, enquiry.sequence, enquiry.generate())
                self.enquired_while_binding.append(enquiry.sequence)
            bind.write(self._response("bind_transceiver_resp", pdu.sequence, status, system_id="smsc"))
            bind.bound = status == consts.SMPP_ESME_ROK
        elif command == "enquire_link":
            self.enquire_links_received += 1
            answer = "generic_nack" if self.nack_enquire_link else "enquire_link_resp"
            status = consts.SMPP_ESME_RINVCMDID if self.nack_enquire_link else consts.SMPP_ESME_ROK
            bind.write(self._response(answer, pdu.sequence, status))
        elif command == "unbind":
            bind.write(self._response("unbind_resp", pdu.sequence))
            bind.bound, bind.unbound_by_bridge = False, True
        elif command in ("deliver_sm_resp", "enquire_link_resp", "unbind_resp", "generic_nack"):
            if self.deliver_answers.get(pdu.sequence) != -1:
                self.problems.append(f"{command} for a request we never sent: {pdu.sequence}")
            self.deliver_answers[pdu.sequence] = pdu.status
        elif command == "submit_sm":
            self._submitted(bind, pdu)
        else:
            self.problems.append(f"unexpected {command} from the bridge")

    def _submitted(self, bind: _Bind, pdu) -> None:
        with self._lock:
            bind.unanswered[pdu.sequence] = time.monotonic()
            self.most_unanswered = max(self.most_unanswered, sum(len(b.unanswered) for b in self.binds))
            if self.throttle_next:
                self.throttle_next -= 1
                status = consts.SMPP_ESME_RTHROTTLED
            else:
                status = self.refuse_next.pop(0) if self.refuse_next else consts.SMPP_ESME_ROK
            self.submit_attempts.append((time.monotonic(), status))
        if status == consts.SMPP_ESME_ROK:
            screen = self._check(pdu)
            if screen is not None:
                self.submits.append(screen)
                self._queue(screen.fields["destination_addr"]).put(screen)
        if self.answer_delay:
            threading.Timer(self.answer_delay, self._answer_submit, (bind, pdu.sequence, status)).start()
        else:
            self._answer_submit(bind, pdu.sequence, status)

    def _answer_submit(self, bind: _Bind, sequence: int, status: int) -> None:
        with self._lock:
            bind.unanswered.pop(sequence, None)
        try:
            bind.write(self._response("submit_sm_resp", sequence, status, message_id=f"m{sequence}"))
        except OSError:
            pass

    def _check(self, pdu) -> Screen | None:
        hub = self.hub
        fields = {name: getattr(pdu, name, None) for name in pdu.params}
        fields = {k: (v.decode("latin-1") if isinstance(v, bytes) and k.endswith("addr") else v)
                  for k, v in fields.items()}
        msisdn = fields["destination_addr"]
        data = pdu.short_message or fields.get("message_payload") or b""
        if pdu.data_coding != hub.data_coding:
            self.problems.append(f"data_coding {pdu.data_coding}, the {hub.name} hub wants {hub.data_coding}")
        text = data.decode("utf-16-be") if pdu.data_coding == 8 else gsm7_text(data)
        op, value = pdu.ussd_service_op, getattr(pdu, hub.session_field)
        if op not in (hub.continue_op, hub.end_op):
            self.problems.append(f"ussd_service_op {op!r} is neither continue nor end for {hub.name}")
        dialogue = self._dialogues.get(msisdn)  # None: a message of a fuzz test, no dialogue to name
        mask = hub.dialogue_mask if hub.session_field == ITS else 0xFFFF
        if dialogue is not None and (value is None or value & mask != dialogue & mask):
            self.problems.append(f"{hub.session_field} {value!r} does not name the dialogue {dialogue!r}")
        end_by_op = op == hub.end_op if hub.end_op != hub.continue_op else None
        end_by_bit = bool(value & 1) if (hub.end_bit and value is not None) else None
        if None not in (end_by_op, end_by_bit) and end_by_op != end_by_bit:
            self.problems.append(f"op says end={end_by_op}, the end bit says {end_by_bit}")
        if hub.session_field == ITS and not hub.end_bit and value is not None and value & 1:
            self.problems.append("the end bit is set for a hub that does not use it")
        # a USSD string is 160 octets on the air: 182 GSM-7 characters packed, 80 in UCS-2
        if len(data) > (160 if pdu.data_coding == 8 else 182):
            self.problems.append(f"a screen of {len(text)} characters ({len(data)} octets, data_coding "
                                 f"{pdu.data_coding}) does not fit a USSD string")
        end = end_by_op if end_by_op is not None else bool(end_by_bit)
        return Screen(text, end, fields, time.monotonic())

    def _response(self, command: str, sequence: int, status: int = consts.SMPP_ESME_ROK, **fields) -> bytes:
        pdu = smpp.make_pdu(command, client=self._numbers, status=status, **fields)
        pdu.sequence = sequence
        return pdu.generate()
