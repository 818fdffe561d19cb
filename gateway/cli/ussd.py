from __future__ import annotations

import uuid

import click

from gateway.cli import fail


def _show(console, text: str, end: bool) -> None:
    from rich.panel import Panel

    console.print(Panel(text, title="END" if end else "CON", width=34, title_align="left"))


@click.command()
@click.option("--phone", default="+22890000001", show_default=True, help="the phone dialling (any Togo format)")
@click.option("--network", type=click.Choice(["yas", "moov"]), help="network carrying the session (default: from the prefix)")
@click.option("--input", "script", help='scripted entries, e.g. "1*Kossi Mensah*01021990"; omit for an interactive phone')
@click.option("--service-code", default="*858#", show_default=True)
@click.pass_obj
def ussd(ctx, phone: str, network: str | None, script: str | None, service_code: str):
    """A USSD session in the terminal, as a phone would see it.

    Interactive: type each entry and press Enter; Ctrl-D hangs up. Scripted: --input
    gives the entries separated by '*', as the phone's cumulative text would.
    """
    from rich.console import Console

    from gateway.cli.db import upgrade_database
    from gateway import clock
    from gateway.embedded import payments_in_this_process, wait_for_payments
    from gateway.phones import InvalidPhone, default_network, normalise_phone
    from gateway.ussd_hop import UssdHop
    from ussd_menus.engine import UssdRequest

    try:
        phone = normalise_phone(phone)
    except InvalidPhone as exc:
        fail(str(exc))
    settings = ctx.settings
    if settings.is_sqlite:
        upgrade_database(settings.database_url, echo=lambda _line: None)
    runtime = ctx.runtime
    payments_in_this_process(runtime)
    started = clock.now()
    hop = UssdHop(runtime)
    console = Console()
    session_id = "cli-" + uuid.uuid4().hex[:12]
    network = network or default_network(phone)
    entries = script.split("*") if script is not None else None
    typed: list[str] = []

    def send() -> bool:
        reply = hop.handle(UssdRequest(session_id, phone, network, service_code, "*".join(typed)))
        _show(console, reply.text, reply.end)
        return reply.end

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
    wait_for_payments(runtime, since=started)
