"""A facility checks a person's rights: the answer is kept, a check code names the check
(facility, person, day) for the claim, and the member is told by SMS, so that a check
they did not make can be reported ("Ce n'était pas moi").

What a facility learns is the answer and no more: no phone number, no payment, no
saved credit (what to pay to resume is the price of a period, whatever was saved).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from gateway import clock
from gateway.jobs.queue import JobQueue
from gateway.models import Dependent, Facility, FacilityCheck, FacilityCheckAnswer, Member
from gateway.money import francs
from gateway.phones import InvalidPhone, normalise_phone
from gateway.services.eligibility import Answer, Eligibility, InvalidBeneficiary, eligibility, parse_beneficiary
from gateway.sms.outbox import queue_sms
from gateway.sms.texts import phrase

# six characters a person reads and types without doubt: no 0/O, no 1/I/L
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
CODE_ATTEMPTS = 5
FACILITY_NAME_IN_SMS = 30
CHECK_WINDOW = 60  # seconds: AMU_FACILITY_CHECKS_PER_MINUTE counts per minute


class UnknownMember(LookupError):
    """No member has this AMU number or phone."""


@dataclass(frozen=True)
class CheckResult:
    code: str
    eligibility: Eligibility
    answer: Answer  # the person asked about
    created: bool  # False: the same facility asked about the same person and day before


def within_check_limit(runtime, facility_id: int) -> bool:
    """Count one more check (a FHIR request, a USSD look-up) for the facility; False once
    past AMU_FACILITY_CHECKS_PER_MINUTE this minute."""
    return runtime.rate_limiter.allow(f"facility:{facility_id}", runtime.settings.facility_checks_per_minute,
                                      CHECK_WINDOW)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def member_by_number(session: Session, amu_number: str) -> Member:
    """The member with their dependants, in one statement (an answer names them all)."""
    member = session.execute(select(Member).options(joinedload(Member.dependents))
                             .where(Member.amu_number == amu_number)).unique().scalar_one_or_none()
    if member is None:
        raise UnknownMember(amu_number)
    return member


def find_household(session: Session, text: str) -> Member:
    """The member whose household is asked about, by AMU number (10 digits) or by the
    member's phone. Raises InvalidBeneficiary (a typo) or UnknownMember."""
    digits = "".join(ch for ch in text if not ch.isspace())
    if len(digits) == 10 and digits.isdigit():
        return member_by_number(session, parse_beneficiary(digits)[0])
    try:
        phone = normalise_phone(digits)
    except InvalidPhone:
        raise InvalidBeneficiary("neither an AMU number nor a Togo mobile number") from None
    member = session.scalar(select(Member).where(Member.phone == phone))
    if member is None:
        raise UnknownMember(phone)
    return member


def answer_key(answer: Answer, found: Eligibility) -> str:
    """The text that says why: `answer_<reason>`, without the waiting period when none follows."""
    if answer.reason in ("suspended", "pending") and not found.waiting_days:
        return f"answer_{answer.reason}_no_wait"
    return f"answer_{answer.reason}"


def answer_params(answer: Answer, found: Eligibility) -> dict:
    return {
        "date": f"{answer.key_date:%d/%m/%Y}" if answer.key_date else "",
        "amount": francs(found.resume_price),
        "days": found.waiting_days,
        "rate": found.coverage_rate,
        "share": 100 - found.coverage_rate,
        "limit": found.child_age_limit,
        "school_limit": found.child_age_limit_in_school,
    }


def answer_text(answer: Answer, found: Eligibility, language: str) -> str:
    """'COUVERT, droits payés jusqu'au 20/07/2026. AMU 80%, patient 20%.'"""
    return phrase(answer_key(answer, found), language, **answer_params(answer, found))


def _the_check(session: Session, facility: Facility, member: Member, answer: Answer, day: date) -> tuple[int, str, bool]:
    """(id, code, made now) of the check of this person by this facility for this day:
    made with a new code, or the one made before. One statement when it is new: the
    unique indexes decide, also between two requests at once (the second waits for the
    first and finds its check)."""
    person = answer.person
    insert = (postgresql if session.get_bind().dialect.name == "postgresql" else sqlite).insert
    same = select(FacilityCheck.id, FacilityCheck.code).where(
        FacilityCheck.facility_id == facility.id, FacilityCheck.member_id == member.id,
        func.coalesce(FacilityCheck.dependent_id, 0) == (person.dependent_id or 0), FacilityCheck.service_day == day)
    for _ in range(CODE_ATTEMPTS):
        code = new_code()
        made = session.scalar(insert(FacilityCheck).values(
            code=code, facility_id=facility.id, member_id=member.id, dependent_id=person.dependent_id,
            beneficiary=person.number, service_day=day, created_at=clock.now(),
        ).on_conflict_do_nothing().returning(FacilityCheck.id))
        if made is not None:
            return made, code, True
        found = session.execute(same).first()
        if found is not None:
            return found.id, found.code, False
        # else the code drawn was another check's: draw again
    raise RuntimeError("could not draw a free check code")


def _summary(found: Eligibility) -> list[dict]:
    return [{"number": a.person.number, "relation": a.person.relation, "covered": a.covered, "reason": a.reason,
             "date": a.key_date.isoformat() if a.key_date else None} for a in found.answers]


def check_rights(session: Session, queue: JobQueue, facility: Facility, member: Member, rank: int, day: date, *,
                 channel: str, asked_by: str, disposition=None, facility_phone: str | None = None,
                 facility_language: str = "fr") -> CheckResult | None:
    """Answer whether person `rank` of the member's household is covered on `day`, keep
    the answer, tell the member (first check of the day) and, by USSD, the facility.
    None when the household never had that person. `disposition(code, eligibility,
    answer)` is the text the channel gives (FHIR), kept with the answer."""
    found = eligibility(session, member, day)
    answer = found.answer_for(rank)
    if answer is None:
        return None
    check_id, code, created = _the_check(session, facility, member, answer, day)
    text = disposition(code, found, answer) if disposition else answer_text(answer, found, facility_language)
    session.add(FacilityCheckAnswer(
        check_id=check_id, channel=channel, asked_by=asked_by, asked_at=clock.now(), covered=answer.covered,
        reason=answer.reason, key_date=answer.key_date, answer={"household": _summary(found)}, disposition=text,
    ))
    if created:
        _tell_member(session, queue, facility, member, answer, code, day)
    if facility_phone:
        queue_sms(session, queue, phone=facility_phone, kind="check_facility", language=facility_language,
                  code=code, number=answer.person.number, day=f"{day:%d/%m/%Y}",
                  answer=answer_text(answer, found, facility_language))
    return CheckResult(code, found, answer, created)


def _tell_member(session: Session, queue: JobQueue, facility: Facility, member: Member, answer: Answer,
                 code: str, day: date) -> None:
    params = {"facility": facility.name[:FACILITY_NAME_IN_SMS].strip(), "day": f"{day:%d/%m/%Y}", "code": code}
    if answer.person.rank == 0:
        queue_sms(session, queue, phone=member.phone, kind="check_member", language=member.language,
                  member_id=member.id, **params)
    else:
        queue_sms(session, queue, phone=member.phone, kind="check_dependant", language=member.language,
                  member_id=member.id, name=answer.person.full_name, **params)


def recent_checks(session: Session, member_id: int, since: datetime,
                  limit: int = 5) -> list[tuple[FacilityCheck, str, str | None]]:
    """The checks of the member's household made since `since` and not yet reported,
    newest first, with the facility's name and the dependant's name (None: the member)."""
    rows = session.execute(
        select(FacilityCheck, Facility.name, Dependent.full_name)
        .join(Facility, Facility.id == FacilityCheck.facility_id)
        .outerjoin(Dependent, Dependent.id == FacilityCheck.dependent_id)
        .where(FacilityCheck.member_id == member_id, FacilityCheck.created_at >= since,
               FacilityCheck.flagged_at.is_(None))
        .order_by(FacilityCheck.created_at.desc(), FacilityCheck.id.desc()).limit(limit)
    )
    return [(check, name, dependant) for check, name, dependant in rows]


def report_check(session: Session, member_id: int, code: str, since: datetime) -> FacilityCheck | None:
    """The member says the check was not theirs: flagged for the fraud team. None when
    no recent check of theirs has that code (or it was reported already)."""
    check = session.scalar(select(FacilityCheck).where(
        FacilityCheck.code == code, FacilityCheck.member_id == member_id, FacilityCheck.created_at >= since,
        FacilityCheck.flagged_at.is_(None)))
    if check is not None:
        check.flagged_at = clock.now()
    return check


def report_window_start(days: int) -> datetime:
    return clock.now() - timedelta(days=days)
