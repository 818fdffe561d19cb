"""Who may call us: the shared secret of callback routes (payments, SMS delivery), the
USSD gateways' secret and addresses, and Prometheus's for /metrics.

Each guard answers why a request is refused, or None when it may go on. Where a token
and an address allow-list are both configured, both must hold. Secrets are compared in
constant time, as bytes (compare_digest refuses non-ASCII text)."""
from __future__ import annotations

import hmac
import ipaddress

from flask import request


def _wrong(given: str, expected: str) -> bool:
    return not hmac.compare_digest(given.encode(), expected.encode())


def _token_wrong(expected: str) -> bool:
    return _wrong(request.args.get("token", ""), expected)


def _address_refused(networks: tuple) -> str | None:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return "caller address unknown"
    if not any(address in network for network in networks):
        return "caller address not allowed"
    return None


def token_refused(runtime) -> str | None:
    """Why the request's ?token= is refused, or None when it is right or none is set."""
    token = runtime.settings.callback_token
    if token and _token_wrong(token):
        return "bad or missing token"
    return None


def ussd_caller_refused(settings) -> str | None:
    """Why this request may not drive a USSD session, or None when it may: a USSD route
    answers only the operator's gateway (its token, its addresses), when configured."""
    if settings.ussd_allowed_addresses and (refused := _address_refused(settings.ussd_allowed_addresses)):
        return refused
    if settings.ussd_token and _token_wrong(settings.ussd_token):
        return "bad or missing token"
    return None


def metrics_caller_refused(settings) -> str | None:
    """/metrics answers `Authorization: Bearer <AMU_METRICS_TOKEN>` and/or the allowed
    addresses; with neither configured, anyone in development and no one in production."""
    if not (settings.metrics_token or settings.metrics_allowed_addresses):
        if settings.env == "production":
            return "metrics access is not configured (AMU_METRICS_TOKEN or AMU_METRICS_ALLOWED_ADDRESSES)"
        return None
    if settings.metrics_allowed_addresses and (refused := _address_refused(settings.metrics_allowed_addresses)):
        return refused
    if settings.metrics_token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or _wrong(given.strip(), settings.metrics_token):
            return "bad or missing bearer token"
    return None
