"""Groups (cooperatives, mutuelles, chambers of trades): one payment shared by members.

The split is fixed when the payment is asked for (equally, or by a list) and stored
with it; when the provider confirms the whole amount, each member's account gets their
share in one ledger entry. A confirmed amount that differs from the total cannot be
shared without a human: it goes to suspense and into the report.
"""
from __future__ import annotations

import csv
import io
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.amu_numbers import InvalidAmuNumber, clean_amu_number
from gateway.models import Group, GroupMember, Member, PaymentSplit
from gateway.services.dues import share

KINDS = ("cooperative", "mutuelle", "chamber")


class GroupError(ValueError):
    pass


def create_group(session: Session, *, name: str, kind: str, leader: Member) -> Group:
    if kind not in KINDS:
        raise GroupError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if not 2 <= len(name.strip()) <= 80:
        raise GroupError("a group name has 2 to 80 characters")
    group = Group(code="G" + "".join(secrets.choice("0123456789") for _ in range(6)), name=name.strip(),
                  kind=kind, leader_id=leader.id)
    session.add(group)
    session.flush()
    add_member(session, group, leader)
    return group


def add_member(session: Session, group: Group, member: Member) -> None:
    if session.scalar(select(GroupMember.id).where(GroupMember.group_id == group.id,
                                                   GroupMember.member_id == member.id)) is None:
        session.add(GroupMember(group_id=group.id, member_id=member.id))
        session.flush()


def members_of(session: Session, group_id: int) -> list[Member]:
    return list(
        session.scalars(
            select(Member)
            .join(GroupMember, GroupMember.member_id == Member.id)
            .where(GroupMember.group_id == group_id, GroupMember.left_at.is_(None))
            .order_by(Member.id)
        )
    )


def groups_led_by(session: Session, member_id: int) -> list[Group]:
    return list(session.scalars(select(Group).where(Group.leader_id == member_id).order_by(Group.id)))


def groups_led_by_with_sizes(session: Session, member_id: int) -> list[tuple[Group, int]]:
    """The groups `member_id` leads, each with its number of current members (as
    `members_of` counts them), in one query: the USSD home asks on every dial."""
    current = (GroupMember.group_id == Group.id) & GroupMember.left_at.is_(None)
    rows = session.execute(
        select(Group, func.count(GroupMember.id))
        .outerjoin(GroupMember, current)
        .where(Group.leader_id == member_id)
        .group_by(Group.id)
        .order_by(Group.id)
    )
    return [(group, size) for group, size in rows]


def equal_split(amount: int, members: list[Member]) -> list[tuple[int, int]]:
    if not members:
        raise GroupError("the group has no members")
    if amount < len(members):
        raise GroupError(f"{amount} F cannot be shared among {len(members)} members")
    return [(m.id, share(amount, len(members), i)) for i, m in enumerate(members)]


def split_from_csv(session: Session, group_id: int, text: str) -> list[tuple[int, int]]:
    """Read `amu_number,amount` lines (a header first). Every member must belong to the
    group, once; amounts are whole francs. Errors name the line."""
    members = {m.amu_number: m for m in members_of(session, group_id)}
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["amu_number", "amount"]:
        raise GroupError("line 1: the header must be amu_number,amount")
    split, seen = [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            raise GroupError(f"line {number}: expected amu_number,amount")
        try:
            amu_number = clean_amu_number(row[0])
        except InvalidAmuNumber as exc:
            raise GroupError(f"line {number}: {exc}") from None
        if amu_number not in members:
            raise GroupError(f"line {number}: {amu_number} is not a member of this group")
        if amu_number in seen:
            raise GroupError(f"line {number}: {amu_number} is listed twice")
        amount_text = row[1].strip().replace(" ", "")
        if not amount_text.isdigit() or int(amount_text) <= 0:
            raise GroupError(f"line {number}: amount must be whole francs, not {row[1]!r}")
        seen.add(amu_number)
        split.append((members[amu_number].id, int(amount_text)))
    if not split:
        raise GroupError("the list has no member")
    return split


def splits_of(session: Session, intent_id: int) -> list[tuple[int, int]]:
    return list(
        session.execute(
            select(PaymentSplit.member_id, PaymentSplit.amount).where(PaymentSplit.intent_id == intent_id)
            .order_by(PaymentSplit.member_id)
        ).all()
    )
