from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import text

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    runtime = current_app.extensions["amu"]
    checks = {}
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        checks["queue"] = "ok" if runtime.sessions.ping() else "error"
        checks["queue_depth"] = runtime.queue.depth()
    except Exception as exc:  # noqa: BLE001
        checks["queue"] = f"error: {type(exc).__name__}"
    ready = checks["database"] == "ok" and checks["queue"] == "ok"
    return {"status": "ready" if ready else "not ready", **checks}, 200 if ready else 503
