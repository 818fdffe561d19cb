"""POST /payments/<provider>/callback: store the raw request first, then judge it.

What can be judged on the raw body alone (an unknown provider, a bad token, a bad
signature, a malformed body) gets its 4xx here, after the request is stored. The rest
(asking an unsigned provider for the truth, finding the payment, crediting) is a job.
"""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from gateway.services.callbacks import judge_on_arrival, store_callback
from gateway.web.tokens import token_refused

bp = Blueprint("callbacks", __name__)

STORED_HEADERS = 40


@bp.post("/payments/<provider>/callback")
def callback(provider: str):
    runtime = current_app.extensions["amu"]
    callback_id = store_callback(
        runtime,
        provider=provider[:40],
        headers=dict(list(request.headers.items())[:STORED_HEADERS]),
        query=request.args.to_dict(),
        body=request.get_data(cache=False),
        remote_addr=request.remote_addr or "",
    )
    verdict = judge_on_arrival(runtime, callback_id, refuse=token_refused(runtime))
    return Response(verdict.message + "\n", status=verdict.http_status, mimetype="text/plain")
