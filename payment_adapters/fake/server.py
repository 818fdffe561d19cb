"""The fake provider over HTTP: a small Flask app around a `FakeProvider`.

Provider endpoints are described in `payment_adapters.fake.protocol`. Scripting
endpoints, for manual sessions (same Authorization as the rest):

- ``GET /_admin/collections``: every collection, as the provider sees it.
- ``POST /_admin/script`` {"reference": "...", "behaviour": {...}} or
  {"next": [{...}, ...]}: see `payment_adapters.fake.scripting.Behaviour` for fields.
- ``POST /_admin/release`` {"order": ["ref2", "ref1"]} (or {} to shuffle): send held callbacks.
- ``POST /_admin/payouts`` {"amount": 50000}: send money to the merchant's bank account
  (a payout line in the statement).
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from flask import Flask, Response, jsonify, request

from ..timestamps import parse_timestamp
from ..wsgi_thread import serve_wsgi_in_thread
from .protocol import STATEMENT_MAX_PAGE_SIZE, STATEMENT_PAGE_SIZE
from .provider import FakeProvider
from .scripting import Behaviour


def create_app(provider: FakeProvider) -> Flask:
    app = Flask("payment_adapters.fake")

    @app.before_request
    def check_api_key():
        expected = f"Bearer {provider.api_key}"
        if provider.api_key and request.headers.get("Authorization") != expected:
            return jsonify(error="unauthorized", message="bad or missing API key"), 401
        return None

    @app.post("/v1/collections")
    def initiate():
        status, body = provider.initiate(request.get_json(silent=True))
        return jsonify(body), status

    @app.get("/v1/collections/<key>")
    def collection_status(key: str):
        status, body = provider.status(key)
        return jsonify(body), status

    @app.get("/v1/statement.csv")
    def statement_export():
        try:
            since, until = _window()
        except ValueError as exc:
            return jsonify(error="invalid_request", message=str(exc)), 422
        return Response(provider.statement_csv(since, until), mimetype="text/csv")

    @app.get("/v1/statement")
    def statement_listing():
        try:
            since, until = _window()
            page = _whole("page", 1, 1, 10**9)
            per_page = _whole("per_page", STATEMENT_PAGE_SIZE, 1, STATEMENT_MAX_PAGE_SIZE)
            after = _whole("after", None, 0, 2**62)
        except ValueError as exc:
            return jsonify(error="invalid_request", message=str(exc)), 422
        return jsonify(provider.statement_page(since, until, page, per_page, after))

    @app.get("/_admin/collections")
    def all_collections():
        return jsonify(collections=provider.collections())

    @app.post("/_admin/script")
    def script():
        data = request.get_json(silent=True) or {}
        try:
            if "reference" in data:
                behaviour = Behaviour.from_dict(data.get("behaviour", {}))
                provider.script(str(data["reference"]), behaviour)
            else:
                provider.script_next(*(Behaviour.from_dict(b) for b in data.get("next", [])))
        except (TypeError, ValueError) as exc:
            return jsonify(error="invalid_request", message=str(exc)), 400
        return jsonify(ok=True)

    @app.post("/_admin/release")
    def release():
        order = (request.get_json(silent=True) or {}).get("order")
        try:
            released = provider.release_held(order)
        except KeyError as exc:
            return jsonify(error="not_held", message=str(exc)), 409
        return jsonify(released=released)

    @app.post("/_admin/payouts")
    def payout():
        try:
            line = provider.pay_out((request.get_json(silent=True) or {}).get("amount"))
        except ValueError as exc:
            return jsonify(error="invalid_request", message=str(exc)), 400
        return jsonify(line), 201

    return app


def serve_in_thread(
    host: str = "127.0.0.1", port: int = 0, provider: FakeProvider | None = None
) -> tuple[str, Callable[[], None]]:
    """Run the fake provider on a local port; return (base_url, stop).

    Pass your own `provider` to script it; `stop()` shuts the server and cancels
    pending settlements.
    """
    provider = provider or FakeProvider()
    base_url, stop_server = serve_wsgi_in_thread(create_app(provider), host, port)

    def stop() -> None:
        provider.close()
        stop_server()

    return base_url, stop


def _window() -> tuple[datetime | None, datetime | None]:
    since, until = (request.args.get(name) for name in ("since", "until"))
    return (parse_timestamp(since) if since else None, parse_timestamp(until) if until else None)


def _whole(name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.args.get(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}")
    return int(text)
