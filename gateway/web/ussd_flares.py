"""Comviva Flares USSD gateway, HTTP pull: the operator's hub calls `GET /ussd/flares` at
every hop with `SessionID`, `MSISDN` (international, without '+'), `MSC` (the switch
serving the phone) and `input` (the code dialled without '*' and '#' on the first hit,
e.g. `858`, then each entry). We answer text/plain, the screen itself, with the header
`Freeflow: FC` (continue: the phone waits for an entry) or `FB` (break: last screen).
A call carrying `clean` (the hub cleaning up a session the user left) ends the session.
`newrequest=1|0`, which some hubs add, says whether the hit opens a session.

The only module that knows Flares' names; parameter names are read in any letter case.
"""
from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, current_app, request

from gateway.channels import NOT_TOGO, international_phone, network_for
from gateway.phones import InvalidPhone, masked
from gateway.web.tokens import ussd_caller_refused

bp = Blueprint("ussd_flares", __name__)
log = logging.getLogger("amu.ussd")

CHANNEL = "flares"
LONGEST_INPUT = 160  # one entry, or the code dialled
LONGEST_SESSION_ID = 100


def _screen(text: str, end: bool, status: int = 200) -> Response:
    """What the hub shows: the text, and whether the session goes on (FC) or not (FB)."""
    return Response(text, status=status, mimetype="text/plain", headers={
        "Freeflow": "FB" if end else "FC",
        "charge": "N",  # Flares' billing headers: this service charges nothing
        "amount": "0",
        "Cache-Control": "no-cache, no-store",
        "Expires": "-1",
    })


def _refused(status: int, reason: str) -> Response:
    return _screen(f"{status} {'Forbidden' if status == 403 else 'Bad Request'}: {reason}\n", True, status)


def _credentials_refused(settings, query: dict) -> str | None:
    for name, expected in (("userid", settings.flares_userid), ("password", settings.flares_password)):
        given = query.get(name, "").encode()
        if expected and not hmac.compare_digest(given, expected.encode()):
            return "bad or missing userid/password"
    return None


@bp.get("/ussd/flares")
def flares():
    runtime = current_app.extensions["amu"]
    settings = runtime.settings
    query = {key.lower(): value for key, value in request.args.items()}
    refused = ussd_caller_refused(settings) or _credentials_refused(settings, query)
    if refused:
        return _refused(403, refused)
    session_ref = query.get("sessionid", "").strip()
    raw_phone = query.get("msisdn", "").strip()
    entry = query.get("input", "")
    if query.get("clean"):
        return _cleanup(session_ref, raw_phone, query)
    if not session_ref:
        return _refused(400, "SessionID is missing")
    if len(session_ref) > LONGEST_SESSION_ID:
        return _refused(400, f"SessionID is longer than {LONGEST_SESSION_ID} characters")
    if not raw_phone:
        return _refused(400, "MSISDN is missing")
    if len(entry) > LONGEST_INPUT:
        return _refused(400, f"input is longer than {LONGEST_INPUT} characters")
    try:
        phone = international_phone(raw_phone)
    except InvalidPhone:
        return _screen(NOT_TOGO, True)
    channels, hop = current_app.extensions["amu_channels"], current_app.extensions["amu_ussd"]
    new = {"1": True, "0": False}.get(query.get("newrequest", "").strip())
    network = network_for(settings, query.get("msc"), phone)
    reply = channels.answer(hop, CHANNEL, session_ref, phone, network, entry, new=new)
    return _screen(reply.text, reply.end)


def _cleanup(session_ref: str, raw_phone: str, query: dict) -> Response:
    """The hub cleans up a session the user left: always acknowledged; the session ends
    when the call names it (some hubs send neither SessionID nor MSISDN with it)."""
    try:
        phone = international_phone(raw_phone) if session_ref and len(session_ref) <= LONGEST_SESSION_ID else None
    except InvalidPhone:
        phone = None
    if phone is not None:
        channels, hop = current_app.extensions["amu_channels"], current_app.extensions["amu_ussd"]
        if channels.end(hop, CHANNEL, session_ref, phone, raw=query_without_secrets(query)):
            log.info("Flares session of %s left mid-way", masked(phone))
    return _screen("", True)


def query_without_secrets(query: dict) -> dict:
    return {key: value for key, value in query.items() if key not in ("password", "token")}
