"""Run a WSGI app on a local port in a background thread (werkzeug's `make_server`).

Used for the embedded fake provider and for the tests' stand-ins of real providers.
"""
from __future__ import annotations

import threading
from typing import Callable

from werkzeug.serving import make_server


def serve_wsgi_in_thread(app, host: str = "127.0.0.1", port: int = 0,
                         poll_interval: float = 0.01, name: str | None = None) -> tuple[str, Callable[[], None]]:
    """Start `app`; return its base URL and an idempotent `stop()`.

    ``port=0`` lets the system pick a free port, so parallel runs never collide.
    `name` names the thread (default ``wsgi:<port>``).
    """
    server = make_server(host, port, app, threaded=True)
    # A short poll interval makes stop() quick (socketserver's default waits up to 0.5 s).
    thread = threading.Thread(target=server.serve_forever,
                              kwargs={"poll_interval": poll_interval},
                              name=name or f"wsgi:{server.server_port}", daemon=True)
    thread.start()
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    base_url = f"http://{shown_host}:{server.server_port}"
    stopped = threading.Event()

    def stop() -> None:
        if stopped.is_set():
            return
        stopped.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return base_url, stop
