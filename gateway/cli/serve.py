from __future__ import annotations

import click

from gateway.cli import fail


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.pass_obj
def serve(ctx, host: str, port: int, threads: int):
    """Run the gateway (one process, waitress).

    On the embedded default the SQLite file is migrated first. In production run
    gunicorn instead (see Procfile) so that several processes share Redis.
    """
    import errno
    import socket

    from waitress import create_server

    from gateway.cli.db import upgrade_database
    from gateway.embedded import start_embedded_services
    from gateway.web import create_app
    from gateway.web.limits import MAX_BODY

    def cannot_listen(exc: OSError):
        if exc.errno == errno.EADDRINUSE:
            fail(f"port {port} on {host} is already in use (another `amu serve`?): stop it or choose --port")
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")

    try:  # the port first: nothing starts (migrations, fake provider, sweep) for a gateway that cannot listen
        with socket.create_server((host, port), reuse_port=False):
            pass
    except OSError as exc:
        cannot_listen(exc)
    settings = ctx.settings
    if settings.is_sqlite:
        upgrade_database(settings.database_url)
    runtime = ctx.runtime
    app = create_app(runtime=runtime)
    try:  # taken meanwhile
        # waitress would buffer a body of up to 1 GB before the app could refuse it
        server = create_server(app, host=host, port=port, threads=threads, ident="amu-gateway",
                               max_request_body_size=MAX_BODY + 1)
    except OSError as exc:
        cannot_listen(exc)
    if settings.embedded:
        start_embedded_services(runtime, settings.raw.get("AMU_PUBLIC_URL") or f"http://127.0.0.1:{port}")
    click.echo(f"AMU gateway on http://{host}:{port}  (USSD: POST /ussd/africastalking)")
    server.run()


@click.command()
@click.option("--burst", is_flag=True, help="stop when the queue is empty")
@click.pass_obj
def worker(ctx, burst: bool):
    """Run an RQ worker with its scheduler (needs REDIS_URL).

    Jobs run in the worker's own process (RQ's SimpleWorker): they are short database
    transactions and HTTP calls with timeouts, and forking a process per job would
    cost more than the job. Run several workers for parallelism. The scheduler (delayed
    jobs and retries) is a thread of the worker that rides over Redis outages.
    """
    settings = ctx.settings
    if not settings.redis_url:
        fail("amu worker needs REDIS_URL; on the embedded default jobs run inside `amu serve`")
    from gateway.jobs.sweep import start_ticker
    from gateway.jobs.worker import run_worker

    runtime = ctx.runtime
    start_ticker(runtime)
    run_worker(runtime, burst=burst)
