"""The menus' facility services (`ussd_menus.facility_services`), one short transaction a
call: a facility's phone checks a person; a member sees and reports checks. Part of
`GatewayMenuServices`; the domain's errors become the menus' refusals here."""
from __future__ import annotations

from gateway import clock
from gateway.masking import mask_name
from gateway.services.eligibility import InvalidBeneficiary, household_on, parse_beneficiary
from gateway.services.facilities import facility_of_phone
from gateway.services.facility_checks import (
    UnknownMember, answer_key, check_rights, find_household, member_by_number, recent_checks, report_check,
    report_window_start, within_check_limit,
)
from gateway.sms.texts import short_name
from ussd_menus.facility_services import BeneficiaryView, CheckAnswer, CheckView, FacilityView
from ussd_menus.services import Refused

class FacilityMenus:
    """Needs `self.runtime` and `self.db`, as GatewayMenuServices has them."""

    def _facility(self, session, phone: str):
        facility = facility_of_phone(session, phone)
        if facility is None:  # removed since the home menu showed the item
            raise Refused("facility.not_registered")
        return facility

    def facility_of_phone(self, phone: str) -> FacilityView | None:
        with self.db() as session:
            facility = facility_of_phone(session, phone)
            return FacilityView(facility.id, facility.name) if facility else None

    def facility_household(self, phone: str, number_or_phone: str) -> list[BeneficiaryView]:
        with self.db() as session:
            facility = self._facility(session, phone)
            if not within_check_limit(self.runtime, facility.id):
                raise Refused("facility.too_many")
            try:
                member = find_household(session, number_or_phone)
            except InvalidBeneficiary:
                raise Refused("facility.bad_number") from None
            except UnknownMember:
                raise Refused("facility.unknown") from None
            return [BeneficiaryView(p.number, p.relation, mask_name(p.full_name), p.birth_date.year)
                    for p, _dependent in household_on(member, clock.local_date())]

    def facility_check(self, phone: str, number: str, language: str) -> CheckAnswer:
        with self.db.begin() as session:
            facility = self._facility(session, phone)
            try:
                amu_number, rank = parse_beneficiary(number)
                member = member_by_number(session, amu_number)
            except (InvalidBeneficiary, UnknownMember):
                raise Refused("facility.unknown") from None
            result = check_rights(session, self.runtime.queue, facility, member, rank, clock.local_date(),
                                  channel="ussd", asked_by=phone, facility_phone=phone, facility_language=language)
            if result is None:
                raise Refused("facility.unknown")
            found, answer = result.eligibility, result.answer
            return CheckAnswer(
                code=result.code, number=answer.person.number, masked_name=mask_name(answer.person.full_name),
                relation=answer.person.relation, day=found.day, covered=answer.covered,
                reason=answer_key(answer, found).removeprefix("answer_"), date=answer.key_date,
                amount=found.resume_price, waiting_days=found.waiting_days, rate=found.coverage_rate,
                child_age_limit=found.child_age_limit, child_age_limit_in_school=found.child_age_limit_in_school,
            )

    def recent_checks(self, member_id: int) -> list[CheckView]:
        since = report_window_start(self.runtime.settings.check_report_days)
        with self.db() as session:
            return [CheckView(check.code, facility, check.service_day, short_name(dependant) if dependant else "")
                    for check, facility, dependant in recent_checks(session, member_id, since)]

    def report_check(self, member_id: int, code: str) -> None:
        since = report_window_start(self.runtime.settings.check_report_days)
        with self.db.begin() as session:
            if report_check(session, member_id, code, since) is None:
                raise Refused("report.unknown")
