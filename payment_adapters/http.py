"""JSON over HTTP with `requests`: explicit (connect, read) timeouts, an injectable
session, transport failures turned into `ProviderUnavailable` and 4xx answers into
`ProviderRefused`. `loads` is how every provider JSON (answers and callbacks) is read."""
from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Mapping

import requests

from .errors import PaymentAdapterError, ProviderRefused, ProviderUnavailable

# 408 and 429 mean "not now": like a 5xx, the request may be retried after asking the status.
_RETRYABLE_4XX = {408, 429}


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict | None  # the JSON object answered, None when the body is not one
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class JsonHttpClient:
    def __init__(
        self,
        provider: str,
        base_url: str,
        timeout: tuple[float, float],
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
    ):
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        self.headers = {"Accept": "application/json", **(headers or {})}

    def post(self, path: str, payload: Any) -> Reply:
        return self.request("POST", path, payload=payload)

    def get(self, path: str, params: Mapping[str, str] | None = None) -> Reply:
        return self.request("GET", path, params=params)

    def request(self, method: str, path: str, *, payload: Any = None,
                params: Mapping[str, str] | None = None) -> Reply:
        url = f"{self.base_url}/{path.lstrip('/')}"
        try:
            response = self.session.request(
                method, url, json=payload, params=params, headers=self.headers,
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise ProviderUnavailable(
                f"{self.provider}: {method} {path} timed out (limits {self.timeout} s)") from None
        except requests.RequestException as exc:
            raise ProviderUnavailable(
                f"{self.provider}: {method} {path} failed: {type(exc).__name__}") from None
        if response.status_code >= 500 or response.status_code in _RETRYABLE_4XX:
            raise ProviderUnavailable(
                f"{self.provider}: {method} {path} answered HTTP {response.status_code}")
        return Reply(response.status_code, _json_object(response.text), response.text)

    def json_of(self, reply: Reply, what: str) -> dict:
        """The JSON object of a reply that must have one, else ProviderUnavailable."""
        if reply.body is None:
            raise ProviderUnavailable(
                f"{self.provider}: unreadable answer to {what} (HTTP {reply.status})")
        return reply.body

    def answer(self, reply: Reply, what: str) -> dict:
        """The JSON object of a 2xx reply; any other reply raises `unexpected`."""
        if not reply.ok:
            raise self.unexpected(reply, what)
        return self.json_of(reply, what)

    def unexpected(self, reply: Reply, what: str) -> PaymentAdapterError:
        """The error for a reply the adapter cannot use.

        A 4xx means the provider understood and said no: `ProviderRefused`, coded by the
        body's ``error`` (else ``http_<status>``), with its ``message`` (else the start
        of the text) and any per-field ``errors``. (408, 429 and 5xx never get here:
        `request` raised `ProviderUnavailable`.) Anything else is `ProviderUnavailable`.
        """
        if 400 <= reply.status < 500:
            body = reply.body or {}
            error = body.get("error")
            code = error if isinstance(error, str) and error else f"http_{reply.status}"
            message = str(body.get("message") or reply.text[:200])
            if isinstance(body.get("errors"), dict):
                message += " " + "; ".join(f"{k}: {v}" for k, v in body["errors"].items())
            return ProviderRefused(code, message.strip(), http_status=reply.status, raw=body)
        return ProviderUnavailable(f"{self.provider}: unexpected answer to {what} "
                                   f"(HTTP {reply.status}): {reply.text[:200]!r}")


def loads(data: str | bytes) -> Any:
    """Provider JSON, with fractional numbers as exact `Decimal`s: a float would round
    ``1000.00000000000000001`` to ``1000`` before the whole-francs check sees it.
    Raises ValueError (UnicodeDecodeError included) when `data` is not JSON."""
    return json.loads(data, parse_float=Decimal)


def _json_object(text: str) -> dict | None:
    try:
        value = loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
