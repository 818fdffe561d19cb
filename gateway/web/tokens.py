"""Who may call us: the shared secret of callback routes (payments, SMS delivery) and of
the USSD routes (`?token=`), and the USSD gateways' address allow-list."""
from __future__ import annotations

import hmac
import ipaddress

from flask import request


def _token_wrong(expected: str) -> bool:
    given = request.args.get("token", "").encode()  # bytes: compare_digest refuses non-ASCII str
    return not hmac.compare_digest(given, expected.encode())


def token_refused(runtime) -> str | None:
    """Why the request's ?token= is refused, or None when it is right or none is set."""
    token = runtime.settings.callback_token
    if token and _token_wrong(token):
        return "bad or missing token"
    return None


def ussd_caller_refused(settings) -> str | None:
    """Why this request may not drive a USSD session, or None when it may: a USSD route
    answers only the operator's gateway (its token, its addresses), when configured."""
    if settings.ussd_allowed_addresses:
        try:
            address = ipaddress.ip_address(request.remote_addr or "")
        except ValueError:
            return "caller address unknown"
        if not any(address in network for network in settings.ussd_allowed_addresses):
            return "caller address not allowed"
    if settings.ussd_token and _token_wrong(settings.ussd_token):
        return "bad or missing token"
    return None
