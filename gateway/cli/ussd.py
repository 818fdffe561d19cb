"""`amu ussd`: a phone in the terminal.

When a gateway answers at --url (by default the gateway's own address, AMU_PUBLIC_URL,
where `make run` serves), the command is only a phone: it posts each entry to that
gateway's USSD route as Africa's Talking would, so sessions and abandoned forms live in
the gateway and a second run can resume the first one's form, and payments complete in
the gateway (its fake provider, its jobs). Without a gateway, one runs in this process
for the length of the command.
"""
from __future__ import annotations

import uuid
from typing import Callable

import click

from gateway.cli import fail

Hop = Callable[[str], tuple[str, bool]]  # cumulative text -> (screen, ended)


def _show(console, text: str, end: bool) -> None:
    from rich.panel import Panel

    console.print(Panel(text, title="END" if end else "CON", width=34, title_align="left"))


def _answers(url: str, timeout: float = 1.0) -> bool:
    import requests

    try:
        reply = requests.get(f"{url}/healthz", timeout=timeout)
        return reply.ok and reply.json().get("status") == "ok"  # an AMU gateway, not any web server
    except (requests.RequestException, ValueError, AttributeError):
        return False


def over_http(url: str, settings, session_id: str, phone: str, network: str | None, service_code: str) -> Hop:
    """Each hop posted to a running gateway's Africa's Talking route."""
    import requests

    code = next((code for code, name in settings.ussd_networks.items() if name == network), "")
    params = {"token": settings.ussd_token} if settings.ussd_token else {}

    def hop(text: str) -> tuple[str, bool]:
        form = {"sessionId": session_id, "phoneNumber": phone, "networkCode": code,
                "serviceCode": service_code, "text": text}
        try:
            reply = requests.post(f"{url}/ussd/africastalking", data=form, params=params, timeout=20)
        except requests.RequestException as exc:
            fail(f"the gateway at {url} stopped answering: {exc.__class__.__name__}")
        if reply.status_code != 200:
            fail(f"the gateway at {url} refused the hop: {reply.status_code} {reply.text.strip()[:120]}")
        return reply.text[4:], reply.text.startswith("END ")

    return hop


def in_process(ctx, session_id: str, phone: str, network: str | None, service_code: str) -> tuple[Hop, Callable]:
    """Each hop answered by a gateway built in this process; returns the hop and what to
    run before exiting (let the payments started reach their end)."""
    from gateway import clock
    from gateway.cli.db import upgrade_database
    from gateway.embedded import payments_in_this_process, wait_for_payments
    from gateway.ussd_hop import UssdHop
    from ussd_menus.engine import UssdRequest

    if ctx.settings.is_sqlite:
        upgrade_database(ctx.settings.database_url, echo=lambda _line: None)
    runtime = ctx.runtime
    payments_in_this_process(runtime)
    started = clock.now()
    engine = UssdHop(runtime)

    def hop(text: str) -> tuple[str, bool]:
        reply = engine.handle(UssdRequest(session_id, phone, network, service_code, text))
        return reply.text, reply.end

    return hop, lambda: wait_for_payments(runtime, since=started)


@click.command()
@click.option("--phone", default="+22890000001", show_default=True, help="the phone dialling (any Togo format)")
@click.option("--network", type=click.Choice(["yas", "moov"]), help="network carrying the session (default: from the prefix)")
@click.option("--input", "script", help='scripted entries, e.g. "1*Kossi Mensah*01021990"; omit for an interactive phone')
@click.option("--service-code", default=None, help="the code dialled (default: AMU_USSD_CODE)")
@click.option("--url", default=None,
              help="a running gateway to talk to (default: AMU_PUBLIC_URL when a gateway answers there, "
                   "else one runs in this command)")
@click.pass_obj
def ussd(ctx, phone: str, network: str | None, script: str | None, service_code: str | None, url: str | None):
    """A USSD session in the terminal, as a phone would see it.

    Interactive: type each entry and press Enter; Ctrl-D hangs up (dial again within a
    few minutes to resume the form). Scripted: --input gives the entries separated by
    '*', as the phone's cumulative text would.
    """
    from rich.console import Console

    from gateway.phones import InvalidPhone, default_network, normalise_phone

    try:
        phone = normalise_phone(phone)
    except InvalidPhone as exc:
        fail(str(exc))
    settings = ctx.settings
    service_code = service_code or settings.ussd_code
    network = network or default_network(phone)
    session_id = "cli-" + uuid.uuid4().hex[:12]
    console = Console()
    target = (url or settings.public_url).rstrip("/")
    if _answers(target):
        hop, finish = over_http(target, settings, session_id, phone, network, service_code), (lambda: None)
        console.print(f"(the gateway at {target})", style="dim", highlight=False)
    elif url:
        fail(f"no gateway answers at {target}: start one with `amu serve` or leave out --url")
    else:
        hop, finish = in_process(ctx, session_id, phone, network, service_code)
        console.print(f"(no gateway at {target}: one runs in this command; its sessions end with it)",
                      style="dim", highlight=False)
    entries = script.split("*") if script is not None else None
    typed: list[str] = []

    def send() -> bool:
        text, ended = hop("*".join(typed))
        _show(console, text, ended)
        return ended

    ended = send()
    while not ended:
        if entries is not None:
            if not entries:
                break
            entry = entries.pop(0)
            console.print(f"> {entry}", style="bold")
        else:
            try:
                entry = click.prompt(">", prompt_suffix=" ", default="", show_default=False)
            except (EOFError, click.Abort):
                console.print("(hung up)")
                break
        typed.append(entry)
        ended = send()
    finish()
