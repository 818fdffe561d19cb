"""The shared secret that callback routes (payments, SMS delivery) may require as ?token=."""
from __future__ import annotations

import hmac

from flask import request


def token_refused(runtime) -> str | None:
    """Why the request's ?token= is refused, or None when it is right or none is set."""
    token = runtime.settings.callback_token
    if not token:
        return None
    given = request.args.get("token", "").encode()  # bytes: compare_digest refuses non-ASCII str
    return None if hmac.compare_digest(given, token.encode()) else "bad or missing token"
