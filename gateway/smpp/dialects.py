"""How a USSD hub marks sessions on SMPP 3.4: which `ussd_service_op` opens a dialogue or
says the user left, where the dialogue is named (`its_session_info` or
`user_message_reference`), how our screens say "wait for an entry" or "last screen", and
the alphabet. Vendors differ in exactly these values, so each is a named set of data
(AMU_SMPP_DIALECT), never a code path.

`ussd_service_op` per SMPP 3.4 (5.3.2.44): 1 PSSR indication (the phone dialled), 2 USSR
request (we ask for an entry), 17 (0x11) PSSR response (our last screen), 18 (0x12) USSR
confirm (the phone's entry). `its_session_info` (5.3.2.43): octet 1 the session number,
octet 2 a sequence number and, in its lowest bit, the end of the session.

"default", "mica" and "6d" are the hubs vumi's SMPP transports document (vumi's default,
Mica and 6D processors); their values are written here as they go on the wire (vumi
writes ussd_service_op as hexadecimal text: its '17' is the octet 0x17). "smpp34" is the
specification read literally.
"""
from __future__ import annotations

from dataclasses import dataclass

from gateway.smpp.pdus import address

OPEN, CONTINUE, ABORT = "open", "continue", "abort"
UCS2 = 0x08
UCS2_LONGEST = 80  # a USSD string is 160 octets: 182 GSM-7 characters packed, 80 in UCS-2
ITS_SESSION_INFO, USER_MESSAGE_REFERENCE = "its_session_info", "user_message_reference"
END_BIT = 0x0001


@dataclass(frozen=True)
class Incoming:
    kind: str  # OPEN (text is the code dialled), CONTINUE (text is the entry) or ABORT
    ref: str  # names the dialogue, with the phone's number
    echo: int | None  # the session field's value to send back with our screen
    text: str


@dataclass(frozen=True)
class Dialect:
    name: str
    summary: str
    session_field: str  # where the hub names the dialogue
    session_mask: int  # the bits of that field that stay the same through a dialogue
    opens: frozenset  # ussd_service_op of a dialogue's first message (it carries the code dialled)
    aborts: frozenset  # ussd_service_op saying the user left; any other op is an entry
    end_bit_aborts: bool  # an incoming its_session_info with its end bit set: the user left
    continue_op: int  # our screen waits for an entry
    end_op: int  # our last screen
    end_bit: bool  # our last screen also sets the end bit of its_session_info
    data_coding: int  # 0: GSM-7, one character an octet; 8: UCS-2
    service_type: str = "USSD"

    def read(self, pdu, text: str) -> Incoming:
        """What a deliver_sm carrying ussd_service_op means; `text` is its decoded text."""
        op = pdu.ussd_service_op
        value = getattr(pdu, self.session_field, None)
        ended = (self.session_field == ITS_SESSION_INFO and self.end_bit_aborts
                 and value is not None and value & END_BIT)
        if op in self.aborts or ended:
            kind = ABORT
        elif op in self.opens:
            kind = OPEN
            text = text or address(pdu.destination_addr)  # some hubs put the code dialled there
        else:
            kind = CONTINUE
        if value is None:
            return Incoming(kind, "-", None, text)
        echo = value & ~END_BIT if self.session_field == ITS_SESSION_INFO else value
        return Incoming(kind, str(value & self.session_mask), echo, text)

    def longest_screen(self, max_chars: int) -> int:
        """The longest screen the hub can carry in this dialect's alphabet."""
        return min(max_chars, UCS2_LONGEST) if self.data_coding == UCS2 else max_chars

    def marks(self, echo: int | None, end: bool) -> dict:
        """The optional parameters of our screen: continue or end, and the dialogue's name."""
        fields = {"ussd_service_op": self.end_op if end else self.continue_op}
        if echo is not None:
            last = END_BIT if (end and self.end_bit and self.session_field == ITS_SESSION_INFO) else 0
            fields[self.session_field] = (echo | last) & 0xFFFF
        return fields


_ROWS = (
    # name, summary,
    #   where the dialogue is named, its bits, opens, user left, end bit = left,
    #   our screen waits / last, end bit on the last, data_coding
    ("default", "vumi's default: every screen USSR request (2), the end bit of its_session_info ends",
     ITS_SESSION_INFO, 0xFF00, {0x01}, {0x11}, True, 0x02, 0x02, True, 0x00),
    ("mica", "Mica: dialogue in user_message_reference, 0x81 user abort, last screen 0x17",
     USER_MESSAGE_REFERENCE, 0xFFFF, {0x01}, {0x81}, False, 0x02, 0x17, False, 0x00),
    ("6d", "6D: 15-bit dialogue id in its_session_info, 0x81 abort, last screen 0x17 + end bit, UCS-2",
     ITS_SESSION_INFO, 0xFFFE, {0x01}, {0x81}, True, 0x02, 0x17, True, 0x08),
    ("smpp34", "SMPP 3.4 as written: USSR request (2) to continue, PSSR response (17) + end bit to end",
     ITS_SESSION_INFO, 0xFF00, {0x01}, set(), True, 0x02, 0x11, True, 0x00),
)
DIALECTS = {
    name: Dialect(name, summary, field, mask, frozenset(opens), frozenset(aborts), bit_aborts, waits, last, bit, coding)
    for name, summary, field, mask, opens, aborts, bit_aborts, waits, last, bit, coding in _ROWS
}


def dialect_named(name: str) -> Dialect:
    try:
        return DIALECTS[(name or "default").strip().lower()]
    except KeyError:
        known = ", ".join(DIALECTS)
        raise ValueError(f"AMU_SMPP_DIALECT {name!r} is not a known dialect ({known})") from None
