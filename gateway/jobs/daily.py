"""The daily rounds over every member, in batches so that one slow member never holds
a long transaction: dues for the coming week, membership states, reminders."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, select

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
    """Dues at least DUES_AHEAD ahead for everyone; a member is visited about once a
    DUES_AHEAD, when their dues run short, and given two DUES_AHEAD's worth."""
    today = clock.local_date()
    until = today + 2 * DUES_AHEAD
    short = or_(Member.dues_until.is_(None), Member.dues_until < today + DUES_AHEAD)
    made = _each_member(_member_ids(get_runtime(), short), lambda s, m: dues.generate_dues(s, m, until))
    log.info("dues generated for %s member(s) up to %s", made, until)
    return made


def sync_states() -> int:
    """Only the members whose state time may have changed: their state_check_on has come."""
    now = clock.now()
    due = Member.state_check_on <= clock.local_date(now)
    changed = _each_member(_member_ids(get_runtime(), due), lambda s, m: coverage.catch_up(s, m, now, "daily state check"))
    log.info("membership state changed for %s member(s)", changed)
    return changed


def send_reminders() -> int:
    runtime = get_runtime()
    now = clock.now()
    if clock.local_hour(now) not in reminders.DAYTIME:
        log.info("no reminders at night")
        return 0
    with runtime.db() as session:
        candidates = reminders.candidates(session, clock.local_date(now))
    sent = _each_member(candidates, lambda s, m: reminders.remind(s, runtime.queue, m, now))
    log.info("%s reminder(s) queued", sent)
    return sent


# (job, Lomé hour from which it runs once a day)
DAILY = (
    ("gateway.jobs.daily.generate_dues", 4),
    ("gateway.jobs.daily.sync_states", 5),
    ("gateway.jobs.daily.send_reminders", 18),  # the evening before market day
)
