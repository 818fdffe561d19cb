"""POST /payments/<provider>/callback: check the token, store the raw request, then judge it.

A request without the right token is refused before anything is stored. What can be
judged on the raw body alone (an unknown provider, a bad signature, a malformed body)
gets its 4xx here, after the request is stored. The rest (asking an unsigned provider
for the truth, finding the payment, crediting) is a job.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, request

from gateway.logs import masked_url
from gateway.services.callbacks import judge_on_arrival, store_callback
from gateway.web.limits import keeps_raw_body
from gateway.web.tokens import token_refused

bp = Blueprint("callbacks", __name__)
log = logging.getLogger("amu.callbacks")

STORED_HEADERS = 40
# Credentials are not kept; a proxy's copy of the URL (x-envoy-original-path, X-Original-URI)
# is kept with its token masked.
UNKEPT_HEADERS = {"authorization", "proxy-authorization", "cookie"}


@bp.post("/payments/<provider>/callback")
@keeps_raw_body
def callback(provider: str):
    runtime = current_app.extensions["amu"]
    refused = token_refused(runtime)
    if refused:
        log.warning("callback for %r from %s refused, not stored: %s", provider[:40], request.remote_addr, refused)
        return Response(f"403 Forbidden: {refused}\n", status=403, mimetype="text/plain")
    callback_id = store_callback(
        runtime,
        provider=provider[:40],
        headers={name: masked_url(value) for name, value in list(request.headers.items())[:STORED_HEADERS]
                 if name.lower() not in UNKEPT_HEADERS},
        query={name: value for name, value in request.args.items() if name != "token"},  # the secret is not kept
        body=request.get_data(),
        remote_addr=request.remote_addr or "",
    )
    verdict = judge_on_arrival(runtime, callback_id)
    return Response(verdict.message + "\n", status=verdict.http_status, mimetype="text/plain")
