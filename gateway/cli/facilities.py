from __future__ import annotations

import json

import click

from gateway.cli import fail

FORMATS = click.Choice(["table", "csv", "json"])
FACILITY_COLUMNS = ("id", "name", "kind", "region", "phones", "key_id", "key", "checks")
CHECK_TABLE = ("code", "facility", "beneficiary", "service_day", "covered", "reason", "flagged_at")


def _facility(session, facility_id: int):
    from gateway.services.facilities import FacilityError, find_facility

    try:
        return find_facility(session, facility_id)
    except FacilityError as exc:
        fail(str(exc), 1)


def _print_key(issued, output: str, what: str) -> None:
    if output == "json":
        click.echo(json.dumps({"id": issued.facility_id, "name": issued.name, "api_key": issued.api_key}))
        return
    click.echo(f"facility #{issued.facility_id} {issued.name}: {what}")
    click.echo(f"API key (shown once, keep it safe): {issued.api_key}")


def _rows(rows: list[dict], output: str, title: str, columns: tuple[str, ...],
          table_columns: tuple[str, ...] | None = None) -> None:
    """JSON and CSV give every column; a table the ones that fit a terminal."""
    if output == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output == "csv":
        import csv
        import sys

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "; ".join(v) if isinstance(v, list) else v for k, v in row.items()} for row in rows)
    elif not rows:
        click.echo(f"{title}: none")
    else:
        from rich.console import Console
        from rich.table import Table

        shown = table_columns or columns
        table = Table(title=title, title_justify="left")
        for column in shown:
            table.add_column(column)
        for row in rows:
            table.add_row(*("\n".join(v) if isinstance(v, list) else str("" if v is None else v)
                            for v in (row[c] for c in shown)))
        Console().print(table)


@click.group()
def facilities():
    """Health facilities (hospitals, clinics, pharmacies) that check members' rights before
    care (tiers payant): by FHIR with their API key, or by USSD from their registered phones."""


@facilities.command()
@click.argument("name")
@click.option("--kind", type=click.Choice(["hospital", "clinic", "pharmacy"]), required=True)
@click.option("--region", required=True, help="region code, e.g. grand_lome, maritime, kara")
@click.option("--phone", "phones", multiple=True, help="a phone that checks by USSD (repeat for several)")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def add(ctx, name: str, kind: str, region: str, phones: tuple[str, ...], output: str):
    """Register a facility. Prints its API key once: only a hash of it is kept."""
    from gateway.services.facilities import FacilityError, add_facility

    with ctx.runtime.db.begin() as session:
        try:
            issued = add_facility(session, name, kind, region, phones)
        except FacilityError as exc:
            fail(str(exc))
    _print_key(issued, output, f"registered ({kind}, {region}, {len(phones)} phone(s))")


@facilities.command("list")
@click.option("--format", "output", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def list_(ctx, output: str):
    """Every facility: kind, region, phones, API key id and state, checks made."""
    from sqlalchemy import func, select

    from gateway.models import Facility, FacilityCheck, FacilityPhone
    from gateway.services.facilities import key_state

    with ctx.runtime.db() as session:
        counts = dict(session.execute(
            select(FacilityCheck.facility_id, func.count()).group_by(FacilityCheck.facility_id)).all())
        phones: dict[int, list[str]] = {}
        for facility_id, phone in session.execute(
                select(FacilityPhone.facility_id, FacilityPhone.phone).order_by(FacilityPhone.id)):
            phones.setdefault(facility_id, []).append(phone)
        rows = [{
            "id": f.id, "name": f.name, "kind": f.kind, "region": f.region, "phones": phones.get(f.id, []),
            "key_id": f.api_key_id, "key": key_state(f), "checks": counts.get(f.id, 0),
        } for f in session.scalars(select(Facility).order_by(Facility.id))]
    _rows(rows, output, "Facilities", FACILITY_COLUMNS)


@facilities.command("rotate-key")
@click.argument("facility_id", type=int)
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_obj
def rotate_key(ctx, facility_id: int, output: str):
    """A new API key for the facility; the old one stops working at once."""
    from gateway.services.facilities import rotate_key as rotate

    with ctx.runtime.db.begin() as session:
        issued = rotate(session, _facility(session, facility_id))
    _print_key(issued, output, "new API key, the old one no longer works")


@facilities.command("revoke-key")
@click.argument("facility_id", type=int)
@click.pass_obj
def revoke_key(ctx, facility_id: int):
    """Stop the facility's API key (its software gets 401); `rotate-key` issues a new one.
    Its phones still check by USSD until removed with `phones --remove`."""
    from gateway.services.facilities import revoke_key as revoke

    with ctx.runtime.db.begin() as session:
        facility = _facility(session, facility_id)
        revoke(session, facility)
        click.echo(f"facility #{facility.id} {facility.name}: API key {facility.api_key_id} revoked")


@facilities.command()
@click.argument("facility_id", type=int)
@click.option("--add", "adding", multiple=True, help="a phone to register (repeat for several)")
@click.option("--remove", "removing", multiple=True, help="a phone to forget (repeat for several)")
@click.pass_obj
def phones(ctx, facility_id: int, adding: tuple[str, ...], removing: tuple[str, ...]):
    """Show, add or remove the phones that check rights by USSD for the facility."""
    from gateway.services.facilities import FacilityError, change_phones

    with ctx.runtime.db.begin() as session:
        facility = _facility(session, facility_id)
        try:
            current = change_phones(session, facility, adding, removing)
        except FacilityError as exc:
            fail(str(exc))
    click.echo(f"facility #{facility_id}: {', '.join(current) or 'no phone'}")


@facilities.command()
@click.option("--flagged", is_flag=True, help="only checks a member reported: 'Ce n'était pas moi'")
@click.option("--facility", "facility_id", type=int, help="only this facility's checks")
@click.option("--since", help="made on or after this date (YYYY-MM-DD, Lomé)")
@click.option("--format", "output", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def checks(ctx, flagged: bool, facility_id: int | None, since: str | None, output: str):
    """Checks of members' rights: code, facility, person, day of care, the last answer
    given, and when the member reported it (--flagged: for the fraud team)."""
    from datetime import date

    from gateway.services.check_reports import CHECK_COLUMNS, check_rows

    try:
        first_day = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since must be a date like 2026-11-23, not {since!r}")
    with ctx.runtime.db() as session:
        rows = check_rows(session, flagged=flagged, facility_id=facility_id, since=first_day)
    _rows(rows, output, "Flagged checks" if flagged else "Checks", CHECK_COLUMNS, CHECK_TABLE)
