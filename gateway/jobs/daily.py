"""The daily rounds over every member, in batches so that one slow member never holds
a long transaction: dues for the coming week, membership states, reminders."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from gateway import clock
from gateway.models import Member
from gateway.runtime import get_runtime
from gateway.services import coverage, dues, reminders
from gateway.services.locks import lock_member

log = logging.getLogger("amu.daily")

BATCH = 200
DUES_AHEAD = timedelta(days=7)


def _member_ids(runtime, where=None) -> list[int]:
    query = select(Member.id).order_by(Member.id)
    if where is not None:
        query = query.where(where)
    with runtime.db() as session:
        return list(session.scalars(query))


def _each_member(ids: list[int], work) -> int:
    """Run work(session, member) for each member, BATCH members per transaction."""
    runtime = get_runtime()
    done = 0
    for start in range(0, len(ids), BATCH):
        with runtime.db.begin() as session:
            for member_id in ids[start : start + BATCH]:
                member = lock_member(session, member_id)
                if member is not None and work(session, member):
                    done += 1
    return done


def generate_dues() -> int:
    until = clock.local_date() + DUES_AHEAD
    made = _each_member(_member_ids(get_runtime()), lambda s, m: dues.generate_dues(s, m, until))
    log.info("dues generated for %s member(s) up to %s", made, until)
    return made


def sync_states() -> int:
    now = clock.now()
    changed = _each_member(
        _member_ids(get_runtime()), lambda s, m: coverage.sync_state(s, m, now, "daily state check")
    )
    log.info("membership state changed for %s member(s)", changed)
    return changed


def send_reminders() -> int:
    runtime = get_runtime()
    now = clock.now()
    if clock.local_hour(now) not in reminders.DAYTIME:
        log.info("no reminders at night")
        return 0
    sent = _each_member(
        _member_ids(runtime, Member.reminders.is_(True)),
        lambda s, m: reminders.remind(s, runtime.queue, m, now),
    )
    log.info("%s reminder(s) queued", sent)
    return sent


# (job, Lomé hour from which it runs once a day)
DAILY = (
    ("gateway.jobs.daily.generate_dues", 4),
    ("gateway.jobs.daily.sync_states", 5),
    ("gateway.jobs.daily.send_reminders", 18),  # the evening before market day
)
