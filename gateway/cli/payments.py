from __future__ import annotations

from datetime import date, datetime, time

import click

from gateway.cli import fail
from gateway.models.payments import INTENT_STATUSES


def _since(value: str | None):
    if value is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(value), time.min).astimezone()
    except ValueError:
        fail(f"--since must be a date like 2026-11-23, not {value!r}")


@click.group()
def payments():
    """Payment intents: list them, ask providers about unfinished ones."""


@payments.command("list")
@click.option("--status", type=click.Choice(INTENT_STATUSES), help="only intents in this status")
@click.option("--since", help="only intents created on or after this date (YYYY-MM-DD, Lomé)")
@click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100_000))
@click.pass_obj
def list_payments(ctx, status: str | None, since: str | None, limit: int):
    """List payment intents, newest first, with their amounts and provider references.

    A mismatch column marks payments the provider confirmed for a different amount
    than asked: they are credited as confirmed and shown here for finance.
    """
    from rich.console import Console
    from rich.table import Table
    from sqlalchemy import select

    from gateway.clock import LOME
    from gateway.money import francs
    from gateway.models import Member, PaymentIntent

    start = _since(since)
    runtime = ctx.runtime
    query = (
        select(PaymentIntent, Member.amu_number)
        .join(Member, Member.id == PaymentIntent.member_id)
        .order_by(PaymentIntent.created_at.desc(), PaymentIntent.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(PaymentIntent.status == status)
    if start:
        query = query.where(PaymentIntent.created_at >= start)
    table = Table(show_lines=False)
    for column in ("created (Lomé)", "reference", "member", "payer", "network", "provider", "amount", "confirmed", "status", "provider ref", "note"):
        table.add_column(column, justify="right" if column in ("amount", "confirmed") else "left")
    total = count = 0
    with runtime.db() as session:
        for intent, amu_number in session.execute(query):
            count += 1
            total += intent.confirmed_amount or 0
            table.add_row(
                f"{intent.created_at.astimezone(LOME):%Y-%m-%d %H:%M}", intent.reference, amu_number, intent.payer_phone,
                intent.network, intent.provider, francs(intent.amount),
                "" if intent.confirmed_amount is None else francs(intent.confirmed_amount),
                intent.status, intent.provider_reference or "",
                "amount mismatch" if intent.amount_mismatch else (intent.failure_reason or ""),
            )
    console = Console()
    console.print(table)
    console.print(f"{count} payment(s); confirmed total {francs(total)}")


@payments.command()
@click.pass_obj
def poll(ctx):
    """Ask the providers now about every payment without a final status.

    The worker does this on its own with backoff; this is for finance or support who
    want an answer now. Prints what changed.
    """
    from sqlalchemy import select

    from gateway.jobs.payments import poll_payment
    from gateway.models import PaymentIntent
    from gateway.models.payments import UNSETTLED

    runtime = ctx.runtime
    with runtime.db() as session:
        before = dict(
            session.execute(
                select(PaymentIntent.id, PaymentIntent.status).where(PaymentIntent.status.in_(UNSETTLED))
            ).all()
        )
    with click.progressbar(list(before), label="asking providers", show_pos=True) as intents:
        for intent_id in intents:
            poll_payment(intent_id, force=True)
    with runtime.db() as session:
        rows = session.execute(select(PaymentIntent.id, PaymentIntent.reference, PaymentIntent.status)
                               .where(PaymentIntent.id.in_(list(before)))).all()
    changed = [(ref, before[i], s) for i, ref, s in rows if before[i] != s]
    for reference, old, new in changed:
        click.echo(f"{reference}: {old} -> {new}")
    click.echo(f"{len(before)} asked, {len(changed)} changed")
