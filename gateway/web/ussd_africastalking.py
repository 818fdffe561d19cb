"""Africa's Talking's USSD format: form fields in, `CON `/`END ` text out.

The only module that knows Africa's Talking's field names; everything behind it speaks
the channel-neutral UssdRequest.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy.exc import IntegrityError

from gateway.channels import NOT_TOGO, network_for
from gateway.models import UssdSessionEvent
from gateway.phones import InvalidPhone, normalise_phone
from gateway.web.tokens import ussd_caller_refused
from ussd_menus.engine import UssdRequest

bp = Blueprint("ussd_africastalking", __name__)
log = logging.getLogger("amu.ussd")

MAX_TEXT = 500  # a session is at most ~20 entries; longer is not a phone
MAX_INTEGER = 2**31 - 1  # the INTEGER columns of ussd_session_events


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _bad(reason: str) -> Response:
    return _plain(f"400 Bad Request: {reason}\n", 400)


@bp.post("/ussd/africastalking")
def ussd():
    settings = current_app.extensions["amu"].settings
    refused = ussd_caller_refused(settings)
    if refused:
        return _plain(f"403 Forbidden: {refused}\n", 403)
    form = request.form
    session_id = form.get("sessionId", "").strip()
    raw_phone = form.get("phoneNumber", "").strip()
    text = form.get("text", "")
    if not session_id:
        return _bad("sessionId is missing")
    if len(session_id) > 100:
        return _bad("sessionId is longer than 100 characters")
    if not session_id.isprintable():  # it is logged: a line break would forge a line
        return _bad("sessionId has control characters")
    if not raw_phone:
        return _bad("phoneNumber is missing")
    if len(text) > MAX_TEXT:
        return _bad(f"text is longer than {MAX_TEXT} characters")
    try:
        phone = normalise_phone(raw_phone)
    except InvalidPhone:
        return _plain("END " + NOT_TOGO)
    network = network_for(settings, form.get("networkCode"), phone)
    hop = UssdRequest(
        session_id=session_id,
        phone=phone,
        network=network,
        service_code=form.get("serviceCode", "")[:40],
        text=text,
    )
    reply = current_app.extensions["amu_ussd"].handle(hop)
    return _plain(("END " if reply.end else "CON ") + reply.text)


@bp.post("/ussd/africastalking/events")
def session_event():
    """End-of-session notification: acknowledged and recorded once per session."""
    refused = ussd_caller_refused(current_app.extensions["amu"].settings)
    if refused:
        return _plain(f"403 Forbidden: {refused}\n", 403)
    form = request.form
    session_id = form.get("sessionId", "").strip()
    if not session_id or len(session_id) > 100 or not session_id.isprintable():
        return _bad("sessionId is missing, too long or not printable")

    def as_int(name: str) -> int | None:
        """A count the database can hold (INTEGER), else None: "inf", 20 digits, -1."""
        try:
            value = int(float(form.get(name, "")[:20]))
        except (ValueError, OverflowError):  # "inf" is a float, not an int
            return None
        return value if 0 <= value <= MAX_INTEGER else None

    runtime = current_app.extensions["amu"]
    try:
        with runtime.db.begin() as session:
            session.add(
                UssdSessionEvent(
                    session_id=session_id,
                    phone=form.get("phoneNumber", "")[:32],
                    status=form.get("status", "")[:20],
                    hops=as_int("hopsCount"),
                    duration_ms=as_int("durationInMillis"),
                    raw=form.to_dict(),
                )
            )
    except IntegrityError:
        pass  # already recorded: Africa's Talking retries notifications
    log.info("USSD session %s ended: %r", session_id, form.get("status", "")[:20])  # %r: on one line
    return _plain("OK")
