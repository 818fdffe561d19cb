"""The `amu` command. Exit codes: 0 ok, 1 problems found, 2 bad usage or bad input."""
from __future__ import annotations

import sys

import click

from config.settings import Settings


class Context:
    """Builds the runtime only when a command needs it, so --help never touches a database."""

    def __init__(self):
        self._runtime = None

    @property
    def settings(self) -> Settings:
        try:
            return Settings.from_env()
        except ValueError as exc:
            fail(str(exc))

    @property
    def runtime(self):
        if self._runtime is None:
            from gateway.runtime import build_runtime, set_runtime

            self._runtime = build_runtime(self.settings)
            set_runtime(self._runtime)
        return self._runtime


def fail(reason: str, code: int = 2):
    click.echo(f"amu: {reason}", err=True)
    sys.exit(code)


def find_member(session, number_or_phone: str):
    """The member with this AMU number (10 digits) or phone (any Togo format). Exits 2
    when the text is neither (bad input), 1 when no member has it (none found)."""
    from sqlalchemy import select

    from gateway.amu_numbers import InvalidAmuNumber, clean_amu_number
    from gateway.models import Member
    from gateway.phones import InvalidPhone, normalise_phone

    try:
        condition = Member.amu_number == clean_amu_number(number_or_phone)
    except InvalidAmuNumber as number_error:
        try:
            condition = Member.phone == normalise_phone(number_or_phone)
        except InvalidPhone:
            fail(f"{number_or_phone!r} is neither an AMU number ({number_error}) nor a Togo mobile number")
    member = session.scalar(select(Member).where(condition))
    if member is None:
        fail(f"no member with {number_or_phone!r}", 1)
    return member


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def main(ctx: click.Context):
    """AMU Gateway: USSD and mobile-money contributions for Togo's health insurance.

    With no DATABASE_URL or REDIS_URL set, every command works on the embedded default
    (SQLite file ./var/amu.sqlite3, jobs in process, SMS written to the log).
    """
    ctx.obj = Context()


def _register() -> None:
    from gateway.cli import db, facilities, groups, ledger, members, payments, serve, ussd, ussd_smpp

    main.add_command(serve.serve)
    main.add_command(serve.worker)
    main.add_command(db.db)
    main.add_command(ussd.ussd)
    main.add_command(ussd_smpp.ussd_smpp)
    main.add_command(members.members)
    main.add_command(payments.payments)
    main.add_command(ledger.ledger)
    main.add_command(groups.groups)
    main.add_command(facilities.facilities)


_register()
