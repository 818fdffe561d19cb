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
    price; each reversal mirrors its entry; each account's running balance is the sum of
    its legs and each member's paid-to-date what was collected for them. Balances per
    account kind are printed too.
    """
    from gateway.ledger_check import check_ledger, totals
    from gateway.money import signed_francs

    runtime = ctx.runtime
    with runtime.db() as session:
        checked, problems = check_ledger(session)
        balances = totals(session)
    broken = {p.invariant for p in problems}
    for name in checked:
        click.echo(f"{'FAIL' if name in broken else 'ok  '}  {name}")
    for problem in problems:
        click.echo(f"  - {problem.invariant}: {problem.detail}")
    shown = ", ".join(f"{kind} {signed_francs(total)}" for kind, total in sorted(balances.items()))
    click.echo(f"balances: {shown or 'ledger is empty'}")
    if problems:
        click.echo(f"{len(problems)} problem(s) found", err=True)
        sys.exit(1)
