"""The embedded default's moving parts, started inside one process: the fake payment
provider (a real HTTP server on a local port) and the once-a-minute sweep."""
from __future__ import annotations

from gateway.jobs.sweep import start_ticker


def start_embedded_services(runtime, public_url: str) -> None:
    """Point callbacks at `public_url`, run the fake provider if it is the one in use
    and none is configured, and start the sweep ticker."""
    if runtime.settings.payment_provider == "fake" and not runtime.adapter_settings.get("AMU_FAKE_BASE_URL"):
        runtime.startembedded_fake_provider(public_url)
    else:
        runtime.adapter_settings["AMU_PUBLIC_URL"] = public_url
    start_ticker(runtime)


def serve_in_background(runtime) -> str:
    """Serve the gateway on a free local port (for `amu ussd`, so that the fake
    provider's callbacks reach it over HTTP); returns its URL."""
    from payment_adapters.wsgi_thread import serve_wsgi_in_thread

    from gateway.web import create_app

    url, _stop = serve_wsgi_in_thread(create_app(runtime=runtime))
    return url


def payments_in_this_process(runtime) -> None:
    """For a CLI command on the embedded default: serve the callback route and run the
    fake provider here, so that a payment it starts completes before it exits."""
    if runtime.settings.embedded:
        start_embedded_services(runtime, serve_in_background(runtime))


def wait_for_payments(runtime, timeout: float = 15.0) -> None:
    """Let in-process jobs and the fake provider finish (a CLI exits only after them)."""
    drain = getattr(runtime.queue, "drain", None)
    fake = runtime.embedded_fake
    for _ in range(3):
        if drain:
            drain(timeout)
        if fake is not None:
            fake.provider.wait_idle(timeout)
    if drain:
        drain(timeout)
