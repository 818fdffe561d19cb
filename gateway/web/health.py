"""GET /healthz (the process answers) and GET /readyz (each dependency answers).

`/readyz` names each dependency (database, USSD sessions, job queue) with `ok` or
`down: <error class>`, and answers 503 while any is down, so a load balancer stops
sending hops to a process that could only apologise. It says nothing else: no hosts,
no messages."""
from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


def _check(probe) -> tuple[str, object]:
    try:
        return "ok", probe()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return f"down: {type(exc).__name__}", None


@bp.get("/readyz")
def readyz():
    runtime = current_app.extensions["amu"]

    def database():
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def sessions():
        if not runtime.sessions.ping():
            raise ConnectionError("no answer")

    checks = {"database": _check(database)[0], "sessions": _check(sessions)[0]}
    checks["queue"], depth = _check(runtime.queue.depth)
    ready = all(value == "ok" for value in checks.values())
    return {"status": "ready" if ready else "not ready", **checks, "queue_depth": depth}, 200 if ready else 503
