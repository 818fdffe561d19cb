from __future__ import annotations

import sys

import click


@click.group()
def ledger():
    """The double-entry ledger."""


@ledger.command()
@click.pass_obj
def check(ctx):
    """Check every invariant of the ledger; exit 1 listing what is broken.

    Checked: each entry's legs sum to zero and number at least two; no member account
    is overdrawn; each succeeded payment is credited exactly once, with the amount the
    provider confirmed, and nothing else is credited; each cover period was paid at its
    price; each reversal mirrors its entry. Balances per account kind are printed too.
    """
    from gateway.ledger_check import check_ledger, totals

    runtime = ctx.runtime
    with runtime.db() as session:
        checked, problems = check_ledger(session)
        balances = totals(session)
    broken = {p.invariant for p in problems}
    for name in checked:
        click.echo(f"{'FAIL' if name in broken else 'ok  '}  {name}")
    for problem in problems:
        click.echo(f"  - {problem.invariant}: {problem.detail}")
    click.echo("balances: " + ", ".join(f"{k} {v:+,} F".replace(",", " ") for k, v in sorted(balances.items())) if balances else "balances: ledger is empty")
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
