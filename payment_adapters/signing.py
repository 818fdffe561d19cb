"""Timestamped HMAC-SHA256 signatures over the raw body, FedaPay style.

Header value: ``t=<unix seconds>,s=<hex digest>`` where the digest is
HMAC-SHA256(secret, ``"<t>.<raw body>"``). Several ``s=`` entries may appear (secret
rotation); one match is enough. FedaPay documents this scheme for its
``X-FEDAPAY-SIGNATURE`` header; the fake provider signs the same way so the
gateway's signed-callback path is exercised without the internet.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from .base import Clock, InboundCallback
from .errors import CallbackUnauthenticated
from .settings import Settings

DEFAULT_TOLERANCE_SECONDS = 300


def compute_signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    stamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={stamp},s={compute_signature(secret, stamp, body)}"


def verify_signature(
    header: str | None,
    body: bytes,
    secret: str,
    *,
    now: float,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """Return the signed timestamp, or raise CallbackUnauthenticated.

    The signature is checked before the timestamp, so a forged request learns
    nothing about the clock; the comparison runs in constant time.
    """
    if not header:
        raise CallbackUnauthenticated("missing signature header")
    timestamp, signatures = _parse_header(header)
    expected = compute_signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected.encode(), candidate.encode())
               for candidate in signatures):
        raise CallbackUnauthenticated("bad signature")
    if tolerance > 0 and abs(now - timestamp) > tolerance:
        raise CallbackUnauthenticated(
            f"stale timestamp ({int(now - timestamp)} s old, limit {tolerance} s)")
    return timestamp


class CallbackVerifier:
    """One adapter's signed callbacks: the header carrying the signature, the endpoint
    secret ``<PREFIX>_WEBHOOK_SECRET`` and the clock tolerance
    ``<PREFIX>_SIGNATURE_TOLERANCE`` (seconds, default `DEFAULT_TOLERANCE_SECONDS`;
    0 turns the clock check off)."""

    def __init__(self, config: Settings, header: str, *, default_secret: str | None = None,
                 clock: Clock | None = None):
        self.header = header
        self.secret = config.text(f"{config.prefix}_WEBHOOK_SECRET", default_secret)
        self.tolerance = int(config.number(f"{config.prefix}_SIGNATURE_TOLERANCE",
                                           DEFAULT_TOLERANCE_SECONDS))
        self.clock = clock or time.time

    def json_object(self, callback: InboundCallback) -> dict:
        """The callback's body as a JSON object, once its signature is verified.
        Raises CallbackRejected (CallbackUnauthenticated for the signature)."""
        verify_signature(callback.header(self.header), callback.body, self.secret,
                         now=self.clock(), tolerance=self.tolerance)
        return callback.json_object()


def _parse_header(header: str) -> tuple[int, list[str]]:
    if not header.isascii():  # else isdigit() admits "²" and compare_digest raises TypeError
        raise CallbackUnauthenticated("malformed signature header")
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            if not value.isdigit() or len(value) > 12:  # seconds since 1970; int() refuses 4 300+ digits
                raise CallbackUnauthenticated("malformed signature header: bad timestamp")
            timestamp = int(value)
        elif key == "s":
            signatures.append(value.strip())
    if timestamp is None or not signatures:
        raise CallbackUnauthenticated("malformed signature header")
    return timestamp, signatures
