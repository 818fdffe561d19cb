"""The gateway's implementation of the menus' MenuServices: one short transaction a call."""
from __future__ import annotations

from sqlalchemy import select

from config.reference import reference_lists
from gateway import clock
from gateway.models import Member, PhonePreference
from gateway.rules import rules_on, scheme_id
from gateway.runtime import Runtime
from gateway.services import enrolment, entitlement, household
from ussd_menus.services import (
    DependentRequest,
    DependentView,
    EnrolmentRequest,
    HouseholdLimits,
    MemberView,
    ReferenceLists,
    RightsView,
)


def member_view(member: Member) -> MemberView:
    return MemberView(member.id, member.amu_number, member.full_name, member.phone, member.language, member.rhythm)


class GatewayMenuServices:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.db = runtime.db

    def member_by_phone(self, phone: str) -> MemberView | None:
        with self.db() as session:
            member = session.scalar(select(Member).where(Member.phone == phone))
            return member_view(member) if member else None

    def phone_language(self, phone: str) -> str | None:
        with self.db() as session:
            language = session.scalar(select(Member.language).where(Member.phone == phone))
            return language or session.scalar(select(PhonePreference.language).where(PhonePreference.phone == phone))

    def set_language(self, phone: str, language: str) -> None:
        if language not in ("fr", "en"):
            raise ValueError(f"unknown language {language!r}")
        with self.db.begin() as session:
            member = session.scalar(select(Member).where(Member.phone == phone))
            if member is not None:
                member.language = language
            preference = session.get(PhonePreference, phone)
            if preference is None:
                session.add(PhonePreference(phone=phone, language=language))
            else:
                preference.language = language

    def reference_lists(self) -> ReferenceLists:
        return reference_lists()

    def enrol(self, request: EnrolmentRequest) -> MemberView:
        with self.db.begin() as session:
            scheme = scheme_id(session, self.runtime.settings.scheme)
            rules = rules_on(session, scheme, clock.local_date())
            member = enrolment.enrol(session, self.runtime.queue, request, scheme, rules)
            return member_view(member)

    def _member(self, session, member_id: int) -> Member:
        member = session.get(Member, member_id)
        if member is None:
            raise LookupError(f"no member #{member_id}")
        return member

    def rights(self, member_id: int) -> RightsView:
        with self.db() as session:
            member = self._member(session, member_id)
            today = clock.local_date()
            return entitlement.rights(session, member, rules_on(session, member.scheme_id, today), today)

    def household(self, member_id: int) -> list[DependentView]:
        with self.db() as session:
            return entitlement.dependent_views(self._member(session, member_id))

    def household_limits(self, member_id: int) -> HouseholdLimits:
        with self.db() as session:
            rules = rules_on(session, self._member(session, member_id).scheme_id, clock.local_date())
            return HouseholdLimits(
                max_spouses=rules.max_spouses,
                max_children=rules.max_children,
                child_age_limit=rules.child_age_limit,
                child_age_limit_in_school=rules.child_age_limit_in_school,
                extra_spouse_monthly=rules.extra_spouse_monthly,
                extra_child_monthly=rules.extra_child_monthly,
            )

    def add_dependent(self, member_id: int, request: DependentRequest) -> DependentView:
        with self.db.begin() as session:
            member = self._member(session, member_id)
            rules = rules_on(session, member.scheme_id, clock.local_date())
            dependent = household.add_dependent(session, member, request, rules)
            return DependentView(dependent.id, dependent.relation, dependent.full_name, dependent.birth_date)
