"""SMPP 3.4 PDUs through smpplib's PDU classes: frames read off the wire, the PDUs the
bridge sends, and the text of short messages (GSM-7 one character an octet, UCS-2)."""
from __future__ import annotations

import struct
import threading

from smpplib import consts, smpp
from smpplib.client import SimpleSequenceGenerator
from smpplib.command import DeliverSM, Param, get_optional_name
from smpplib.command_codes import commands as COMMAND_IDS
from smpplib.exceptions import UnknownCommandError
from smpplib.gsm import GSM_CHARACTER_TABLE

HEADER = 16
LONGEST_PDU = 64 * 1024  # far above any USSD PDU; a longer "length" means a broken stream
SHORT_MESSAGE_MAX = 254  # octets; a longer screen (UCS-2) goes in message_payload
COMMAND_NAMES = {code: name for name, code in COMMAND_IDS.items()}

# smpplib's table has '`' where GSM 03.38 puts '§' (0x5F); '`' also marks its unused slots.
_TABLE = GSM_CHARACTER_TABLE[:0x5F] + "§" + GSM_CHARACTER_TABLE[0x60:]
_ESCAPE = 0x1B


class _ToSeptets(dict):
    """str.translate table: a character to its GSM-7 code(s) as Latin-1 characters;
    anything outside the alphabet becomes '?'."""

    def __missing__(self, code_point: int) -> str:
        return "?"


_ENCODE = _ToSeptets({ord(ch): chr(i) for i, ch in enumerate(_TABLE[:0x80]) if i != _ESCAPE})
_ENCODE.update({ord(ch): chr(_ESCAPE) + chr(i - 0x80) for i, ch in enumerate(_TABLE) if i >= 0x80 and ch != "`"})
_GSM7_CODINGS = {0x00, 0x0F, 0xF0, 0xF1, 0xF2, 0xF3}  # SMSC default, USSD "GSM-7, language unspecified"
_CODECS = {0x01: "ascii", 0x03: "latin-1", 0x08: "utf-16-be"}


class BrokenPdu(ValueError):
    """A frame that is not a PDU we can read: `status` is the error to answer it with."""

    def __init__(self, reason: str, command_id: int = 0, sequence: int = 0,
                 status: int = consts.SMPP_ESME_RINVCMDLEN):
        super().__init__(reason)
        self.command_id, self.sequence, self.status = command_id, sequence, status


class UssdDeliverSM(DeliverSM):
    """smpplib's deliver_sm, plus `ussd_service_op`, strict about truncated fields, and
    skipping optional parameters it has no use for instead of failing on them."""

    params = {**DeliverSM.params, "ussd_service_op": Param(type=int, size=1)}
    params_order = DeliverSM.params_order + ("ussd_service_op",)

    def _parse_string(self, field, data, pos, length=None):
        if length is None and data.find(b"\0", pos) < 0:
            raise BrokenPdu(f"{field} is not terminated")
        return super()._parse_string(field, data, pos, length)

    def _parse_ostring(self, field, data, pos, length=None):
        data, end = super()._parse_ostring(field, data, pos, length)
        if end > len(data):
            raise BrokenPdu(f"{field} runs past the end of the PDU")
        return data, end

    def parse_optional_params(self, data):
        pos = 0
        while pos < len(data):
            if pos + 4 > len(data):
                raise BrokenPdu("an optional parameter is cut short", status=consts.SMPP_ESME_RINVOPTPARSTREAM)
            tag, length = struct.unpack(">HH", data[pos:pos + 4])
            value, pos = data[pos + 4:pos + 4 + length], pos + 4 + length
            if len(value) < length:
                raise BrokenPdu("an optional parameter runs past the end", status=consts.SMPP_ESME_RINVOPTPARSTREAM)
            try:
                name = get_optional_name(tag)
            except UnknownCommandError:
                continue
            param = self.params.get(name)
            if param is None:
                continue
            if param.type is int:
                setattr(self, name, int.from_bytes(value, "big") if value else None)
            elif param.type is str:
                setattr(self, name, value.rstrip(b"\0"))
            else:
                setattr(self, name, value)


_PARSING = SimpleSequenceGenerator()  # smpplib takes a sequence number even to parse


def parse(frame: bytes):
    """The PDU in one whole frame (length already checked), or BrokenPdu."""
    command_id, _status, sequence = struct.unpack(">LLL", frame[4:HEADER])
    name = COMMAND_NAMES.get(command_id)
    if name is None:
        raise BrokenPdu(f"unknown command 0x{command_id:08x}", command_id, sequence, consts.SMPP_ESME_RINVCMDID)
    try:
        if name == "deliver_sm":
            pdu = UssdDeliverSM(name, client=_PARSING, allow_unknown_opt_params=True)
            pdu.parse(frame)
        else:
            pdu = smpp.parse_pdu(frame, client=_PARSING, allow_unknown_opt_params=True)
    except BrokenPdu as broken:
        broken.command_id, broken.sequence = command_id, sequence
        raise
    except (struct.error, ValueError, IndexError, KeyError, TypeError, UnknownCommandError) as exc:
        raise BrokenPdu(f"unreadable {name}: {exc}", command_id, sequence) from None
    return pdu


class Sequences:
    """Sequence numbers for the PDUs one bind sends, safe across threads."""

    def __init__(self):
        self._numbers, self._lock = SimpleSequenceGenerator(), threading.Lock()

    def make(self, command: str, **fields):
        with self._lock:
            return smpp.make_pdu(command, client=self._numbers, **fields)


def response(command: str, sequence: int, status: int = consts.SMPP_ESME_ROK) -> bytes:
    """The response to a request, echoing its sequence number."""
    pdu = smpp.make_pdu(command, client=_PARSING, status=status)
    pdu.sequence = sequence  # smpplib ignores sequence= when its client has one
    return pdu.generate()


def is_request(command_id: int) -> bool:
    return not command_id & 0x80000000


def gsm7(text: str) -> bytes:
    """GSM 03.38 default alphabet, one character an octet (extension characters take two);
    a character outside it becomes '?' (screens are folded to GSM-7 before)."""
    return text.translate(_ENCODE).encode("latin-1")


def _from_gsm7(data: bytes) -> str:
    out, i = [], 0
    while i < len(data):
        byte = data[i]
        if byte == _ESCAPE:  # an extension character; a lone escape at the end is dropped
            if i + 1 < len(data):
                extended = _TABLE[0x80 + data[i + 1]] if data[i + 1] < 0x80 else "`"
                out.append(" " if extended == "`" else extended)
            i += 2
            continue
        # an octet above 0x7F is not GSM-7: hubs that say "default" and send Latin-1
        out.append(_TABLE[byte] if byte < 0x80 else bytes([byte]).decode("latin-1"))
        i += 1
    return "".join(out)


def decode(data: bytes | None, data_coding: int | None) -> str:
    """The text of a short message; never fails (unknown codings read as Latin-1)."""
    if not data:
        return ""
    coding = data_coding or 0
    if coding in _GSM7_CODINGS:
        return _from_gsm7(data)
    return data.decode(_CODECS.get(coding, "latin-1"), errors="replace")


def encode(text: str, data_coding: int) -> dict:
    """The short_message (or, past 254 octets, message_payload) field for `text`."""
    data = text.encode("utf-16-be") if data_coding == consts.SMPP_ENCODING_ISO10646 else gsm7(text)
    return {"message_payload": data} if len(data) > SHORT_MESSAGE_MAX else {"short_message": data}


def address(value: bytes | str | None) -> str:
    """An address field as text (smpplib gives bytes when it parses)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value or ""
