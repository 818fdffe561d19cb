"""Run work after a transaction commits (enqueue a job only once its rows exist)."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

_KEY = "amu_after_commit"


def after_commit(session: Session, action: Callable[[], None]) -> None:
    session.info.setdefault(_KEY, []).append(action)


# SQLAlchemy fires these for a SAVEPOINT's release or rollback too (ledger.post and
# reminders use savepoints): the actions wait for the outermost transaction.
@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    actions = session.info.pop(_KEY, [])
    for action in actions:
        action()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.info.pop(_KEY, None)
