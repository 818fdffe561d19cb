"""Infobip's USSD API: Infobip calls, with the session id in the path,

- `POST /ussd/infobip/session/<id>/start` when a phone dials: JSON `msisdn`
  (international, without '+'), `shortCode`, `text` (what was dialled, e.g. `*858#`);
- `POST .../response` with each entry: `msisdn`, `text`;
- `PUT .../end` (or POST) when the dialogue is over (the user left, or after our last
  screen), with `reason` and `exitCode` and usually no `msisdn`: the session is found by
  its id;
- `GET .../status`: whether the session is still going on (`sessionActive`);

and reads back `{"ussdMenu": the screen, "shouldClose": true on the last screen}` (with
`responseExitCode` 200 and an empty `responseMessage`, as Infobip's samples do). A
`network` field, when the account sends one, is mapped like Africa's Talking's
networkCode. The only module that knows Infobip's names.
"""
from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify, request

from gateway.channels import NOT_TOGO, international_phone, network_for
from gateway.phones import InvalidPhone, masked
from gateway.web.tokens import ussd_caller_refused

bp = Blueprint("ussd_infobip", __name__)
log = logging.getLogger("amu.ussd")

CHANNEL = "infobip"
LONGEST_SESSION_ID = 100
LONGEST_TEXT = 160


def _menu(text: str, close: bool):
    return jsonify(ussdMenu=text, shouldClose=close, responseExitCode=200, responseMessage="")


def _refused(status: int, reason: str):
    return jsonify(ussdMenu="", shouldClose=True, responseExitCode=status, responseMessage=reason), status


def _field(body: dict, name: str) -> str:
    value = body.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"{name} must be text")
    return str(value)


@bp.route("/ussd/infobip/session/<session_ref>/<step>", methods=["GET", "POST", "PUT"])
def infobip(session_ref: str, step: str):
    settings = current_app.extensions["amu"].settings
    refused = ussd_caller_refused(settings)
    if refused:
        return _refused(403, refused)
    if step not in ("start", "response", "end", "status"):
        return _refused(404, "the step must be start, response, end or status")
    if len(session_ref) > LONGEST_SESSION_ID or not session_ref.isprintable():
        return _refused(400, f"the session id must be printable, at most {LONGEST_SESSION_ID} characters")
    channels, hop = current_app.extensions["amu_channels"], current_app.extensions["amu_ussd"]
    if step == "status":
        return jsonify(sessionActive=channels.active(CHANNEL, session_ref), responseExitCode=200, responseMessage="")
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the JSON parser goes: not Infobip
        body = None
    if not isinstance(body, dict):
        return _refused(400, "the body must be a JSON object")
    try:
        raw_phone, text = _field(body, "msisdn").strip(), _field(body, "text")
        short_code, network_name = _field(body, "shortCode"), _field(body, "network")
    except ValueError as exc:
        return _refused(400, str(exc))
    if len(text) > LONGEST_TEXT or len(short_code) > LONGEST_TEXT:
        return _refused(400, f"text is longer than {LONGEST_TEXT} characters")
    if step == "end":
        return _end(channels, hop, session_ref, raw_phone, body)
    if not raw_phone:
        return _refused(400, "msisdn is missing")
    try:
        phone = international_phone(raw_phone)
    except InvalidPhone:
        return _menu(NOT_TOGO, True)
    if step == "start":
        dialled = text if ("*" in text or "#" in text) else (short_code or text)
        entry, new = dialled, True
    else:
        entry, new = text, False
    reply = channels.answer(hop, CHANNEL, session_ref, phone, network_for(settings, network_name, phone), entry,
                            new=new, by_ref=True)
    return _menu(reply.text, reply.end)


def _end(channels, hop, session_ref: str, raw_phone: str, body: dict):
    """The dialogue is over: found by its id (and the msisdn, when Infobip sends one)."""
    try:
        phone = international_phone(raw_phone) if raw_phone else None
    except InvalidPhone:
        phone = None
    ended = channels.end(hop, CHANNEL, session_ref, phone, raw=body)
    if ended:
        log.info("Infobip session of %s left mid-way", masked(ended.phone))
    return jsonify(responseExitCode=200, responseMessage="")
