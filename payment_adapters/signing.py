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

from .errors import CallbackRejected

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
    """Return the signed timestamp, or raise CallbackRejected.

    The signature is checked before the timestamp, so a forged request learns
    nothing about the clock; the comparison runs in constant time.
    """
    if not header:
        raise CallbackRejected("missing signature header")
    timestamp, signatures = _parse_header(header)
    expected = compute_signature(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise CallbackRejected("bad signature")
    if tolerance > 0 and abs(now - timestamp) > tolerance:
        raise CallbackRejected(
            f"stale timestamp ({int(now - timestamp)} s old, limit {tolerance} s)")
    return timestamp


def _parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for item in header.split(","):
        key, sep, value = item.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            if not value.isdigit():
                raise CallbackRejected("malformed signature header: bad timestamp")
            timestamp = int(value)
        elif key == "s":
            signatures.append(value.strip())
    if timestamp is None or not signatures:
        raise CallbackRejected("malformed signature header")
    return timestamp, signatures
