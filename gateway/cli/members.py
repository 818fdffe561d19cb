from __future__ import annotations

import click

from gateway.cli import fail, find_member


@click.group()
def members():
    """Members: look one up."""


@members.command()
@click.argument("number_or_phone")
@click.pass_obj
def show(ctx, number_or_phone: str):
    """One member: household, plan, state and its history, covered-until, balance, SMS.

    NUMBER_OR_PHONE is a 10-digit AMU number or a phone in any Togo format.
    """
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from gateway import clock
    from gateway.money import francs
    from gateway.models import SmsMessage
    from gateway.rules import rules_on
    from gateway.services import entitlement, membership
    from gateway.services.household import current_dependents

    runtime = ctx.runtime
    console = Console()
    with runtime.db() as session:
        member = find_member(session, number_or_phone)
        today = clock.local_date()
        rights = entitlement.rights(session, member, rules_on(session, member.scheme_id, today), today)
        summary = Table.grid(padding=(0, 2))
        for label, value in (
            ("AMU number", member.amu_number),
            ("Name", member.full_name),
            ("Phone", f"{member.phone} ({member.network or 'network unknown'})"),
            ("Born", f"{member.birth_date:%d/%m/%Y}, sex {member.sex}"),
            ("Occupation / region", f"{member.occupation} / {member.region}"),
            ("Rhythm", _rhythm(member)),
            ("Plan", f"{rights.period_label}, {francs(rights.period_price)}"),
            ("State", rights.state),
            ("Covered until", f"{rights.covered_until:%d/%m/%Y}" if rights.covered_until else "-"),
            ("Waiting period ends", f"{rights.waiting_ends:%d/%m/%Y}" if rights.waiting_ends else "-"),
            ("Saved credit", francs(rights.credit)),
            ("Language", member.language),
            ("Joined", f"{member.joined_at:%Y-%m-%d %H:%M} UTC"),
        ):
            summary.add_row(f"[bold]{label}[/]", str(value))
        console.print(summary)

        household = Table(title="Household", title_justify="left")
        for column in ("relation", "name", "born", "in school", "extra"):
            household.add_column(column)
        household.add_row("member", member.full_name, f"{member.birth_date:%d/%m/%Y}", "", "")
        for d in current_dependents(member):
            household.add_row(d.relation, d.full_name, f"{d.birth_date:%d/%m/%Y}", "yes" if d.in_school else "", "yes" if d.extra else "")
        console.print(household)

        states = Table(title="State history", title_justify="left")
        for column in ("since", "state", "reason"):
            states.add_column(column)
        for event in membership.history(session, member.id):
            states.add_row(f"{event.effective_at:%Y-%m-%d %H:%M}", event.state, event.reason)
        console.print(states)

        messages = Table(title="SMS", title_justify="left")
        for column in ("at", "kind", "status", "text"):
            messages.add_column(column)
        for m in session.scalars(select(SmsMessage).where(SmsMessage.member_id == member.id).order_by(SmsMessage.id)):
            messages.add_row(f"{m.created_at:%Y-%m-%d %H:%M}", m.kind, m.status, m.text)
        console.print(messages)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _rhythm(member) -> str:
    if member.rhythm == "weekly" and member.rhythm_weekday is not None:
        return f"weekly, on {WEEKDAYS[member.rhythm_weekday]}"
    if member.rhythm == "seasonal":
        return "seasonal, months " + ", ".join(str(m) for m in member.rhythm_months)
    return member.rhythm


@members.command()
@click.option("--region", help="only this region (code, e.g. maritime)")
@click.option("--occupation", help="only this occupation (code, e.g. trader)")
@click.option("--format", "output", type=click.Choice(["table", "csv"]), default="table", show_default=True)
@click.option("--on", "day", help="as of this date (YYYY-MM-DD, Lomé); default today")
@click.pass_obj
def late(ctx, region: str | None, occupation: str | None, output: str, day: str | None):
    """Members behind on their dues: by how much and since when, most behind first.

    Dues come from each member's rhythm; payments pay the oldest due first. Exit 0
    whether or not anyone is late (this is a list, not a check).
    """
    import csv
    import sys
    from datetime import date

    from config.reference import codes
    from gateway import clock
    from gateway.money import francs
    from gateway.services.late import late_members

    if region and region not in codes("regions"):
        fail(f"unknown region {region!r}; one of: {', '.join(sorted(codes('regions')))}")
    if occupation and occupation not in codes("occupations"):
        fail(f"unknown occupation {occupation!r}; one of: {', '.join(sorted(codes('occupations')))}")
    try:
        as_of = date.fromisoformat(day) if day else clock.local_date()
    except ValueError:
        fail(f"--on must be a date like 2026-11-23, not {day!r}")
    with ctx.runtime.db() as session:
        rows = late_members(session, as_of, region, occupation)
    columns = ("amu_number", "full_name", "phone", "region", "occupation", "rhythm", "due", "paid", "arrears",
               "since", "days_late")
    if output == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([getattr(row, c) for c in columns])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Late on {as_of:%d/%m/%Y}", title_justify="left")
    for column in columns:
        table.add_column(column.replace("_", " "), justify="right" if column in ("due", "paid", "arrears", "days_late") else "left")
    for row in rows:
        table.add_row(row.amu_number, row.full_name, row.phone, row.region, row.occupation, row.rhythm,
                      francs(row.due), francs(row.paid), francs(row.arrears), f"{row.since:%d/%m/%Y}", str(row.days_late))
    console = Console()
    console.print(table)
    console.print(f"{len(rows)} member(s) late, {francs(sum(r.arrears for r in rows))} in arrears")
