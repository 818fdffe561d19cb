from __future__ import annotations

import logging
import signal
import threading

import click

from gateway.cli import fail

log = logging.getLogger("amu.smpp")
SUMMARY_EVERY = 300  # seconds between the log's summary lines


@click.command("ussd-smpp")
@click.pass_obj
def ussd_smpp(ctx):
    """The USSD-over-SMPP bridge (Procfile `ussd`): bind as a transceiver to the
    operator's USSD hub and answer every USSD message with the same menus as the HTTP
    channels.

    Settings, from the environment: AMU_SMPP_HOST, AMU_SMPP_PORT, AMU_SMPP_SYSTEM_ID,
    AMU_SMPP_PASSWORD, AMU_SMPP_SYSTEM_TYPE, AMU_SMPP_ADDRESS_RANGE (what the operator
    gives), AMU_SMPP_DIALECT (default | mica | 6d | smpp34: how the hub marks sessions),
    AMU_SMPP_NETWORK (yas | moov: the wallet offered first), and the link's AMU_SMPP_WINDOW,
    AMU_SMPP_WORKERS, AMU_SMPP_ENQUIRE_LINK, AMU_SMPP_RESPONSE_TIMEOUT,
    AMU_SMPP_RECONNECT_DELAY, AMU_SMPP_THROTTLE_DELAY.

    Runs until stopped (SIGTERM, Ctrl-C): it finishes the hops under way, sends their
    screens, unbinds. A lost link is bound again, with a growing delay. Run one process
    per bind the operator grants; with REDIS_URL set they share the sessions.
    """
    from gateway.cli.db import upgrade_database
    from gateway.embedded import payments_in_this_process
    from gateway.smpp.bridge import UssdSmppBridge
    from gateway.smpp.dialects import dialect_named
    from gateway.smpp.link import THROTTLE_CEILING

    settings = ctx.settings
    if not settings.smpp_host or not settings.smpp_system_id:
        fail("set AMU_SMPP_HOST and AMU_SMPP_SYSTEM_ID (and AMU_SMPP_PASSWORD) to the operator's USSD hub")
    try:
        dialect = dialect_named(settings.smpp_dialect)
    except ValueError as exc:
        fail(str(exc))
    if settings.is_sqlite:
        upgrade_database(settings.database_url, echo=lambda _line: None)
    runtime = ctx.runtime
    payments_in_this_process(runtime)
    if settings.embedded:
        log.warning("no REDIS_URL: sessions live in this process; run a single bridge")
    if settings.pin_prompt_delay < THROTTLE_CEILING:
        log.warning("AMU_PIN_PROMPT_DELAY is %s s: a throttled hub may still show the last screen when "
                    "the PIN prompt comes (keep it above %g s)", settings.pin_prompt_delay, THROTTLE_CEILING)
    bridge = UssdSmppBridge(runtime).start()
    click.echo(f"USSD over SMPP: binding to {settings.smpp_host}:{settings.smpp_port} as "
               f"{settings.smpp_system_id!r}, dialect {dialect.name}")
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    waited = 0.0
    while not stopping.wait(1.0):
        waited += 1.0
        if waited % SUMMARY_EVERY == 0:
            log.info("so far: %s", bridge.summary())
    bridge.stop()
    click.echo(f"stopped: {bridge.summary()}")
