"""The embedded default's moving parts, started inside one process: the fake payment
provider (a real HTTP server on a local port) and the once-a-minute sweep."""
from __future__ import annotations

import time
from datetime import datetime

from sqlalchemy import func, select

from gateway.jobs.sweep import start_ticker
from gateway.models import PaymentIntent
from gateway.models.payments import OPEN


def start_embedded_services(runtime, public_url: str) -> None:
    """Point callbacks at `public_url`, run the fake provider if it is the one in use
    and none is configured, and start the sweep ticker. `runtime.close()` stops them."""
    if runtime.settings.payment_provider == "fake" and not runtime.adapter_settings.get("AMU_FAKE_BASE_URL"):
        runtime.startembedded_fake_provider(public_url)
    else:
        runtime.adapter_settings["AMU_PUBLIC_URL"] = public_url
    runtime.on_close.append(start_ticker(runtime).stop)


def serve_in_background(runtime) -> str:
    """Serve the gateway on a free local port (for `amu ussd`, so that the fake
    provider's callbacks reach it over HTTP); returns its URL. `runtime.close()` stops it."""
    from payment_adapters.wsgi_thread import serve_wsgi_in_thread

    from gateway.web import create_app

    url, stop = serve_wsgi_in_thread(create_app(runtime=runtime), name="amu-gateway")
    runtime.on_close.append(stop)
    return url


def payments_in_this_process(runtime) -> None:
    """For a CLI command on the embedded default: serve the callback route and run the
    fake provider here, so that a payment it starts completes before it exits."""
    if runtime.settings.embedded:
        start_embedded_services(runtime, serve_in_background(runtime))


def wait_for_payments(runtime, since: datetime, timeout: float = 20.0) -> None:
    """Let the payments started since `since` reach a final state (the fake provider
    calls back within seconds), then let their receipts go: a CLI exits only after.
    With Redis, the workers do this and the CLI has nothing to wait for."""
    if not runtime.settings.embedded:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with runtime.db() as session:
            unfinished = session.scalar(
                select(func.count()).select_from(PaymentIntent).where(
                    PaymentIntent.created_at >= since, PaymentIntent.status.in_(OPEN)
                )
            )
        if not unfinished:
            break
        time.sleep(0.1)
    drain = getattr(runtime.queue, "drain", None)
    if drain:
        drain(timeout, scheduled=False)  # a status check due in an hour is not worth waiting for
