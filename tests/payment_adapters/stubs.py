"""Local stand-ins for the outside world: a provider that answers recorded payloads,
and a receiver that stores callbacks the way the gateway would. Both listen on
127.0.0.1 with a system-chosen port; neither reaches the internet."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, Response, request

from payment_adapters.base import CollectionRequest, InboundCallback
from payment_adapters.wsgi_thread import serve_wsgi_in_thread

PAYLOADS = Path(__file__).parent / "payloads"


def payload(name: str) -> dict:
    """A recorded JSON payload, e.g. ``payload("paygate/pay_registered.json")``."""
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def payload_bytes(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def collection_request(reference: str = "AMU-PAY-000123", amount: int = 2500,
                       phone: str = "+22890000001", network: str = "yas",
                       callback_url: str = "http://127.0.0.1:9/payments/x/callback",
                       ) -> CollectionRequest:
    return CollectionRequest(reference=reference, amount=amount, phone=phone, network=network,
                             description="Cotisation AMU", callback_url=callback_url)


def pay(adapter, receiver: "CallbackReceiver", reference: str = "AMU-PAY-1",
        amount: int = 2500, network: str = "yas"):
    """Initiate a collection whose callback goes to `receiver`."""
    return adapter.initiate(collection_request(reference=reference, amount=amount,
                                               network=network, callback_url=receiver.url))


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    content_type: str
    delay: float


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    json: object
    headers: dict
    query: dict


class StubProvider:
    """Answers each (method, path) with scripted answers; the last one repeats."""

    def __init__(self):
        self.answers: dict[tuple[str, str], list[Answer]] = {}
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self.url, self.stop = serve_wsgi_in_thread(self._app())

    def answer(self, method: str, path: str, status: int = 200, json_body: object = None,
               *, text: str | None = None, delay: float = 0.0) -> None:
        if text is not None:
            body, content_type = text.encode(), "text/html"
        else:
            body, content_type = json.dumps(json_body).encode(), "application/json"
        with self._lock:
            self.answers.setdefault((method, path), []).append(
                Answer(status, body, content_type, delay))

    def _app(self) -> Flask:
        app = Flask("stub-provider")

        @app.route("/", defaults={"path": ""}, methods=["GET", "POST"])
        @app.route("/<path:path>", methods=["GET", "POST"])
        def respond(path: str):
            key = (request.method, "/" + path)
            with self._lock:
                self.seen.append(Seen(request.method, "/" + path,
                                      request.get_json(silent=True), dict(request.headers),
                                      request.args.to_dict()))
                queue = self.answers.get(key)
                answer = (queue.pop(0) if len(queue) > 1 else queue[0]) if queue else None
            if answer is None:
                return Response(b'{"error": "no stub"}', 404, content_type="application/json")
            if answer.delay:
                time.sleep(answer.delay)
            return Response(answer.body, answer.status, content_type=answer.content_type)

        return app


class CallbackReceiver:
    """The gateway's callback route in miniature: stores each raw request."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[InboundCallback] = []
        self._arrived = threading.Condition()
        base_url, self.stop = serve_wsgi_in_thread(self._app())
        self.url = f"{base_url}/payments/fake/callback"

    def wait_for(self, count: int, timeout: float = 5.0) -> list[InboundCallback]:
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.received) >= count, timeout):
                raise AssertionError(f"expected {count} callbacks, got {len(self.received)}")
            return list(self.received)

    def _app(self) -> Flask:
        app = Flask("callback-receiver")

        @app.post("/payments/fake/callback")
        def callback():
            stored = InboundCallback(headers=dict(request.headers), body=request.get_data(),
                                     query=request.args.to_dict(),
                                     remote_addr=request.remote_addr or "")
            with self._arrived:
                self.received.append(stored)
                self._arrived.notify_all()
            return "", self.status

        return app
