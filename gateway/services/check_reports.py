"""Facilities' checks as lists for the scheme's staff (`amu facilities checks`)."""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway import clock
from gateway.models import Facility, FacilityCheck, FacilityCheckAnswer


CHECK_COLUMNS = ("code", "facility_id", "facility", "beneficiary", "service_day", "checked_at", "channel", "asked_by",
                 "covered", "reason", "answers", "flagged_at")


def _local(moment: datetime | None) -> str | None:
    return moment.astimezone(clock.LOME).strftime("%Y-%m-%d %H:%M") if moment else None


def check_rows(session: Session, *, flagged: bool = False, facility_id: int | None = None,
               since: date | None = None) -> list[dict]:
    """One row per check, newest first, with the last answer given and how many times
    it was asked."""
    last = (select(FacilityCheckAnswer.check_id, func.max(FacilityCheckAnswer.id).label("answer_id"),
                   func.count().label("answers"))
            .group_by(FacilityCheckAnswer.check_id).subquery())
    query = (select(FacilityCheck, Facility.name, FacilityCheckAnswer, last.c.answers)
             .join(Facility, Facility.id == FacilityCheck.facility_id)
             .join(last, last.c.check_id == FacilityCheck.id)
             .join(FacilityCheckAnswer, FacilityCheckAnswer.id == last.c.answer_id)
             .order_by(FacilityCheck.created_at.desc(), FacilityCheck.id.desc()))
    if flagged:
        query = query.where(FacilityCheck.flagged_at.is_not(None))
    if facility_id is not None:
        query = query.where(FacilityCheck.facility_id == facility_id)
    if since is not None:
        query = query.where(FacilityCheck.created_at >= datetime.combine(since, time.min, tzinfo=clock.LOME))
    return [{
        "code": check.code,
        "facility_id": check.facility_id,
        "facility": name,
        "beneficiary": check.beneficiary,
        "service_day": check.service_day.isoformat(),
        "checked_at": _local(check.created_at),
        "channel": answer.channel,
        "asked_by": answer.asked_by,
        "covered": answer.covered,
        "reason": answer.reason,
        "answers": answers,
        "flagged_at": _local(check.flagged_at),
    } for check, name, answer, answers in session.execute(query)]
