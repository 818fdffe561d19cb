"""Every error answers with a one-line reason in plain text, never an HTML page or a 500 trace."""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.exceptions import HTTPException

log = logging.getLogger("amu.web")


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        return f"{exc.code} {exc.name}: {exc.description}\n", exc.code, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(RecursionError)
    def too_deep(exc: RecursionError):  # JSON nested thousands deep: bad input, not our failure
        return "400 Bad Request: nested too deep\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        log.exception("unhandled error")
        return "500 Internal error: logged\n", 500, {"Content-Type": "text/plain; charset=utf-8"}
