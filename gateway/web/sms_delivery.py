"""Africa's Talking SMS delivery reports: form fields id, status, phoneNumber, failureReason."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select

from gateway.models import SmsMessage
from gateway.web.tokens import token_refused

bp = Blueprint("sms_delivery", __name__)
log = logging.getLogger("amu.sms")

# Africa's Talking's final delivery statuses; Sent/Submitted/Buffered are on the way.
FINAL = {"Success": "delivered", "Failed": "undelivered", "Rejected": "undelivered", "AbsentSubscriber": "undelivered"}


@bp.post("/sms/africastalking/delivery")
def delivery_report():
    runtime = current_app.extensions["amu"]
    refused = token_refused(runtime)
    if refused:
        return Response(f"403 Forbidden: {refused}\n", 403, mimetype="text/plain")
    message_id = request.form.get("id", "").strip()
    status = request.form.get("status", "").strip()
    if not message_id or not status or len(message_id) > 80 or not message_id.isprintable():
        return Response("400 Bad Request: id and status are required\n", 400, mimetype="text/plain")
    with runtime.db.begin() as session:
        message = session.scalar(select(SmsMessage).where(SmsMessage.provider_message_id == message_id))
        if message is None:
            log.warning("delivery report for unknown SMS %s (%r)", message_id, status[:20])  # %r: on one line
            return Response("unknown message, ignored\n", 200, mimetype="text/plain")
        if status in FINAL:
            message.status = FINAL[status]
            message.last_error = request.form.get("failureReason") or None
    return Response("OK\n", 200, mimetype="text/plain")
