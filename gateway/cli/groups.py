from __future__ import annotations

import click

from gateway.cli import fail, find_member


def _group(session, code: str):
    from sqlalchemy import select

    from gateway.models import Group

    group = session.scalar(select(Group).where(Group.code == code.upper()))
    if group is None:
        fail(f"no group {code!r}")
    return group


@click.group()
def groups():
    """Groups (cooperatives, mutuelles, chambers of trades) that pay for their members."""


@groups.command()
@click.argument("name")
@click.option("--kind", type=click.Choice(["cooperative", "mutuelle", "chamber"]), required=True)
@click.option("--leader", required=True, help="the leader's AMU number or phone; the leader pays by USSD")
@click.pass_obj
def create(ctx, name: str, kind: str, leader: str):
    """Create a group; prints its code."""
    from gateway.services.groups import GroupError, create_group

    with ctx.runtime.db.begin() as session:
        try:
            group = create_group(session, name=name, kind=kind, leader=find_member(session, leader))
        except GroupError as exc:
            fail(str(exc))
        click.echo(f"group {group.code} created: {group.name} ({group.kind})")


@groups.command()
@click.argument("code")
@click.argument("members", nargs=-1, required=True)
@click.pass_obj
def add(ctx, code: str, members: tuple[str, ...]):
    """Add members (AMU numbers or phones) to group CODE."""
    from gateway.services.groups import add_member

    with ctx.runtime.db.begin() as session:
        group = _group(session, code)
        for member in members:
            add_member(session, group, find_member(session, member))
    click.echo(f"{len(members)} member(s) added to {code.upper()}")


@groups.command()
@click.argument("code")
@click.pass_obj
def show(ctx, code: str):
    """Group CODE: its leader and members."""
    from gateway.services.groups import members_of

    with ctx.runtime.db() as session:
        group = _group(session, code)
        click.echo(f"{group.code}  {group.name} ({group.kind})")
        for member in members_of(session, group.id):
            role = "leader" if member.id == group.leader_id else ""
            click.echo(f"  {member.amu_number}  {member.full_name:30}  {member.phone}  {role}")


@groups.command()
@click.argument("code")
@click.option("--amount", type=click.IntRange(1), help="total in whole francs, shared equally (omit with --split)")
@click.option("--split", "split_file", type=click.File("r", encoding="utf-8"), help="CSV amu_number,amount: who gets what")
@click.option("--phone", "payer", required=True, help="the wallet that pays (Togo mobile)")
@click.option("--network", type=click.Choice(["yas", "moov"]), help="wallet network (default: from the prefix)")
@click.pass_obj
def pay(ctx, code: str, amount: int | None, split_file, payer: str, network: str | None):
    """Ask the payer's wallet for one payment shared among group CODE's members.

    Equal shares with --amount, or the shares of a CSV file with --split (header
    `amu_number,amount`, one member a line; each must belong to the group). Each member
    gets a receipt once the provider confirms the payment.
    """
    from gateway import clock
    from gateway.embedded import payments_in_this_process, wait_for_payments
    from gateway.phones import InvalidPhone, default_network, normalise_phone
    from gateway.services.groups import GroupError, equal_split, members_of, split_from_csv
    from gateway.errors import Refusal
    from gateway.services.payments import start_payment

    if (amount is None) == (split_file is None):
        fail("give either --amount (equal shares) or --split FILE")
    try:
        payer = normalise_phone(payer)
    except InvalidPhone as exc:
        fail(str(exc))
    network = network or default_network(payer)
    if network is None:
        fail("the payer's network cannot be told from the number: give --network")
    runtime = ctx.runtime
    payments_in_this_process(runtime)
    started = clock.now()
    with runtime.db.begin() as session:
        group = _group(session, code)
        try:
            shares = split_from_csv(session, group.id, split_file.read()) if split_file else equal_split(
                amount, members_of(session, group.id))
        except GroupError as exc:
            fail(f"{getattr(split_file, 'name', 'shares')}: {exc}")
        total = sum(part for _member, part in shares)
        try:
            intent, reused = start_payment(session, runtime, member_id=group.leader_id, payer_phone=payer,
                                           network=network, amount=total, channel="cli", group_id=group.id,
                                           splits=shares)
        except Refusal as refusal:
            fail(f"refused: {refusal}")
        reference = intent.reference
    click.echo(f"payment {reference} of {total} F for {len(shares)} member(s) "
               f"{'already asked' if reused else 'asked'}; the PIN request goes to {payer}")
    wait_for_payments(runtime, since=started)
