"""One TCP connection to an operator's USSD hub, and what the link is configured with and
counts: whole PDUs read off the stream (a length outside SMPP's bounds means the stream is
broken), writes from several threads, and this connection's own bookkeeping (its window,
the screens waiting for their answer, our enquire_link waiting for its own)."""
from __future__ import annotations

import select
import socket
import threading
from dataclasses import dataclass, field

from gateway.smpp.pdus import HEADER, LONGEST_PDU


class LinkDown(Exception):
    pass


class BindRefused(LinkDown):
    pass


@dataclass(frozen=True)
class LinkConfig:
    host: str
    port: int
    system_id: str
    password: str = field(repr=False)
    system_type: str = ""
    address_range: str = ""
    window: int = 10
    enquire_link: float = 30.0
    response_timeout: float = 10.0
    reconnect_delay: float = 1.0
    throttle_delay: float = 0.2

    @classmethod
    def from_settings(cls, s) -> "LinkConfig":
        return cls(s.smpp_host, s.smpp_port, s.smpp_system_id, s.smpp_password, s.smpp_system_type,
                   s.smpp_address_range, s.smpp_window, s.smpp_enquire_link, s.smpp_response_timeout,
                   s.smpp_reconnect_delay, s.smpp_throttle_delay)


@dataclass
class LinkStats:
    binds: int = 0
    bind_refusals: int = 0
    link_losses: int = 0
    sent: int = 0
    acknowledged: int = 0
    refused: int = 0  # screens the hub answered with an error that retrying cannot fix
    throttled: int = 0
    stale: int = 0
    broken_pdus: int = 0
    enquire_links_sent: int = 0


class Connection:
    def __init__(self, sock: socket.socket, window: int, clock):
        self.sock, self.clock = sock, clock
        self.buffer = bytearray()
        self.write_lock = threading.Lock()
        self.window = threading.BoundedSemaphore(window)
        self.pending: dict[int, tuple] = {}  # by sequence number: (the outbox's item, the time sent)
        self.pending_lock = threading.Lock()
        self.alive = True
        self.last_heard = clock()
        self.enquiry: tuple[int, float] | None = None  # our enquire_link waiting for its answer

    def write(self, data: bytes) -> None:
        with self.write_lock:
            self.sock.sendall(data)

    def frames(self, timeout: float):
        """Whole frames received within `timeout`, as they come."""
        if select.select([self.sock], [], [], timeout)[0]:
            data = self.sock.recv(65536)
            if not data:
                raise LinkDown("the hub closed the connection")
            self.buffer += data
        while len(self.buffer) >= 4:
            length = int.from_bytes(self.buffer[:4], "big")
            if not HEADER <= length <= LONGEST_PDU:
                raise LinkDown(f"a PDU of {length} octets: the stream is broken")
            if len(self.buffer) < length:
                break
            frame = bytes(self.buffer[:length])
            del self.buffer[:length]
            self.last_heard = self.clock()
            yield frame
