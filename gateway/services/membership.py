"""Membership states and their dated, append-only history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from gateway.models import Member, MembershipEvent

# docs/scheme.md: pending -> waiting -> active -> grace -> suspended; a payment moves a
# suspended member back through waiting.
# When the scheme waives the new waiting period after a suspension, a payment moves a
# suspended member straight back to active.
ALLOWED = {
    None: {"pending"},
    "pending": {"waiting", "active"},
    "waiting": {"active", "grace"},
    "active": {"grace"},
    "grace": {"active", "waiting", "suspended"},
    "suspended": {"waiting", "active"},
}


class IllegalTransition(ValueError):
    pass


def current_event(session: Session, member_id: int) -> MembershipEvent | None:
    """The latest recorded state, read from the history (the member row keeps it too:
    `Member.state` and `Member.state_since`, which the services read)."""
    return session.scalar(
        select(MembershipEvent)
        .where(MembershipEvent.member_id == member_id)
        .order_by(MembershipEvent.effective_at.desc(), MembershipEvent.id.desc())
        .limit(1)
    )


def history(session: Session, member_id: int) -> list[MembershipEvent]:
    return list(
        session.scalars(
            select(MembershipEvent)
            .where(MembershipEvent.member_id == member_id)
            .order_by(MembershipEvent.effective_at, MembershipEvent.id)
        )
    )


def path_between(start: str | None, goal: str) -> list[str]:
    """The shortest chain of allowed states from `start` to `goal` (goal included)."""
    frontier, seen = [(start, [])], {start}
    while frontier:
        state, path = frontier.pop(0)
        if state == goal:
            return path
        for following in sorted(ALLOWED.get(state, ())):
            if following not in seen:
                seen.add(following)
                frontier.append((following, path + [following]))
    raise IllegalTransition(f"no way from {start} to {goal}")


def record_transition(session: Session, member: Member, state: str, at: datetime, reason: str) -> MembershipEvent:
    """Append the state to the history and keep it on the member row (the caller holds
    the member's lock). A member row without a recorded since has no history yet."""
    previous = member.state if member.state_since is not None else None
    if state not in ALLOWED.get(previous, set()):
        raise IllegalTransition(f"member #{member.id}: {previous} -> {state} is not allowed")
    event = MembershipEvent(member_id=member.id, state=state, effective_at=at, reason=reason)
    session.add(event)
    member.state, member.state_since = state, at
    return event
