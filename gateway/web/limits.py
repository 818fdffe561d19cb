"""What any request may carry, checked before a route sees it.

- A body is read once, up to `MAX_BODY` bytes, whether it came with a Content-Length or
  chunked: one byte more and the request is refused with 413 (werkzeug alone would cut
  a chunked body at the limit and hand the route the first part as if it were whole).
- A NUL byte in the URL (path or query), or in a form, is refused with 400: the database
  cannot store it and no gateway or provider sends one. A route that stores its body raw
  (`keeps_raw_body`) gets the bytes as they came.
"""
from __future__ import annotations

from typing import Callable

from flask import Flask, current_app, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge

MAX_BODY = 64 * 1024  # no legitimate callback, USSD hop or delivery report comes near it
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def keeps_raw_body(view: Callable) -> Callable:
    """Mark a view that stores its body as it came (NUL bytes and all)."""
    view.keeps_raw_body = True
    return view


def install(app: Flask) -> None:
    # One byte over the limit tells a body larger than MAX_BODY from one exactly at it.
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY + 1
    app.before_request(_bounded_request)


def _bounded_request() -> None:
    if "\x00" in request.path or b"%00" in request.query_string or b"\x00" in request.query_string:
        raise BadRequest("a NUL byte in the URL")
    body = request.get_data(cache=True)  # the route and the form parser read this copy
    if len(body) > MAX_BODY:
        raise RequestEntityTooLarge(f"the body is larger than {MAX_BODY} bytes")
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "keeps_raw_body", False) or request.mimetype not in FORM_TYPES:
        return
    if b"\x00" in body or b"%00" in body:
        raise BadRequest("a NUL byte in the form")
