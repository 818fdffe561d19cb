"""Joining: a member, their first (pending) state, and the SMS with their AMU number."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.reference import codes
from config.schemes import SchemeRules
from gateway import clock
from gateway.amu_numbers import new_amu_number
from gateway.jobs.queue import JobQueue
from gateway.models import Member
from gateway.phones import normalise_phone
from gateway.services import dues
from gateway.services.membership import record_transition
from gateway.sms.outbox import queue_sms
from gateway.errors import Refusal
from languages import registry
from ussd_menus.services import EnrolmentRequest

NUMBER_ATTEMPTS = 5
DUES_AHEAD = timedelta(days=7)


def validate(request: EnrolmentRequest, rules: SchemeRules, today: date) -> None:
    if not registry().knows(request.language):
        raise ValueError(f"unknown language {request.language!r}")
    if request.sex not in ("F", "M"):
        raise ValueError(f"sex must be F or M, not {request.sex!r}")
    for field, allowed in (("occupation", "occupations"), ("region", "regions"), ("rhythm", "rhythms")):
        if getattr(request, field) not in codes(allowed):
            raise ValueError(f"unknown {field} {getattr(request, field)!r}")
    if request.rhythm == "weekly" and request.rhythm_weekday not in range(7):
        raise ValueError("a weekly rhythm needs a weekday 0-6")
    if request.rhythm == "seasonal" and not (request.rhythm_months and all(1 <= m <= 12 for m in request.rhythm_months)):
        raise ValueError("a seasonal rhythm needs harvest months 1-12")
    if not 2 <= len(request.full_name.strip()) <= 80:
        raise ValueError("full name must have 2 to 80 characters")
    if request.birth_date > today:
        raise Refusal("born_in_future")
    if clock.age_on(request.birth_date, today) < rules.member_min_age:
        raise Refusal("too_young", min_age=rules.member_min_age)


def enrol(session: Session, queue: JobQueue, request: EnrolmentRequest, scheme_id: int, rules: SchemeRules) -> Member:
    """Create the member. A phone joins once; a concurrent second attempt is stopped
    by the unique constraint on phone, not by the check before it."""
    now = clock.now()
    validate(request, rules, clock.local_date(now))
    phone = normalise_phone(request.phone)
    if session.scalar(select(Member.id).where(Member.phone == phone)) is not None:
        raise Refusal("already_member")
    for _ in range(NUMBER_ATTEMPTS):
        member = Member(
            amu_number=new_amu_number(),
            phone=phone,
            full_name=" ".join(request.full_name.split()),
            birth_date=request.birth_date,
            sex=request.sex,
            occupation=request.occupation,
            region=request.region,
            language=request.language,
            rhythm=request.rhythm,
            rhythm_weekday=request.rhythm_weekday if request.rhythm == "weekly" else None,
            rhythm_months=sorted(set(request.rhythm_months)) if request.rhythm == "seasonal" else [],
            network=request.network,
            scheme_id=scheme_id,
            joined_at=now,
        )
        try:
            with session.begin_nested():
                session.add(member)
                session.flush()
        except IntegrityError:
            if session.scalar(select(Member.id).where(Member.phone == phone)) is not None:
                raise Refusal("already_member") from None
            continue  # the random AMU number was taken: draw another
        break
    else:
        raise RuntimeError("could not draw a free AMU number")
    record_transition(session, member, "pending", now, "joined by USSD")
    dues.generate_dues(session, member, clock.local_date(now) + DUES_AHEAD)
    queue_sms(
        session, queue, phone=phone, kind="welcome", language=member.language, member_id=member.id,
        name=member.full_name, amu_number=member.amu_number,
    )
    return member
