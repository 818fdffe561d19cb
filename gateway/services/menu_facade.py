"""The gateway's implementation of the menus' MenuServices: one short transaction a call."""
from __future__ import annotations

from sqlalchemy import func, select

from config.reference import reference_lists
from gateway import clock, ledger
from gateway.amu_numbers import InvalidAmuNumber, clean_amu_number
from gateway.masking import mask_name
from gateway.models import Group, Member, PaymentIntent, PhonePreference
from gateway.rules import rules_on, scheme_id
from gateway.runtime import Runtime
from gateway.services import coverage, enrolment, entitlement, groups, household, rhythm
from gateway.services.billing import suggested_amounts
from gateway.services.facility_menus import FacilityMenus
from gateway.services.locks import lock_member
from gateway.services.payments import start_payment
from ussd_menus.services import (
    DependentRequest,
    DependentView,
    EnrolmentRequest,
    GroupView,
    HouseholdLimits,
    MemberView,
    Payee,
    PaymentLine,
    PaymentOffer,
    PaymentStarted,
    ReferenceLists,
    Refused,
    RhythmView,
    RightsView,
)


def member_view(member: Member) -> MemberView:
    return MemberView(member.id, member.amu_number, member.full_name, member.phone, member.language, member.rhythm)


class GatewayMenuServices(FacilityMenus):  # FacilityMenus: health facilities' checks
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.db = runtime.db

    def member_by_phone(self, phone: str) -> MemberView | None:
        with self.db() as session:
            member = session.scalar(select(Member).where(Member.phone == phone))
            return member_view(member) if member else None

    def phone_language(self, phone: str) -> str | None:
        """The member's language, else the phone's preference, in one query (the menus ask
        only for a phone that is not a member: they have the member's already)."""
        members = select(Member.language).where(Member.phone == phone).scalar_subquery()
        preferences = select(PhonePreference.language).where(PhonePreference.phone == phone).scalar_subquery()
        with self.db() as session:
            return session.scalar(select(func.coalesce(members, preferences)))

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
            member = lock_member(session, member_id)  # two sessions adding at once respect the limits
            if member is None:
                raise LookupError(f"no member #{member_id}")
            rules = rules_on(session, member.scheme_id, clock.local_date())
            dependent = household.add_dependent(session, member, request, rules)
            return DependentView(dependent.id, dependent.relation, dependent.full_name, dependent.birth_date)

    def find_payee(self, amu_number: str) -> Payee:
        try:
            number = clean_amu_number(amu_number)
        except InvalidAmuNumber:
            raise Refused("pay.bad_number") from None
        with self.db() as session:
            member = session.scalar(select(Member).where(Member.amu_number == number))
            if member is None:
                raise Refused("pay.unknown_member")
            return Payee(member.id, member.amu_number, mask_name(member.full_name))

    def payment_offer(self, member_id: int) -> PaymentOffer:
        with self.db() as session:
            member = self._member(session, member_id)
            today = clock.local_date()
            rules = rules_on(session, member.scheme_id, today)
            price = coverage.next_period_price(session, member, today)
            credit = ledger.member_credit(session, member.id)
            return PaymentOffer(
                suggested=suggested_amounts(rules, member.rhythm, price, credit),
                minimum=rules.min_payment,
                maximum=self.runtime.settings.max_payment,
                credit=credit,
                period_price=price,
            )

    def start_payment(self, member_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        with self.db.begin() as session:
            intent, reused = start_payment(
                session, self.runtime, member_id=member_id, payer_phone=payer_phone, network=network, amount=amount
            )
            return PaymentStarted(intent.reference, intent.amount, intent.network, reused)

    def recent_payments(self, member_id: int, limit: int = 5) -> list[PaymentLine]:
        with self.db() as session:
            member = self._member(session, member_id)
            intents = session.scalars(
                select(PaymentIntent)
                .where(PaymentIntent.member_id == member_id)
                .order_by(PaymentIntent.created_at.desc(), PaymentIntent.id.desc())
                .limit(limit)
            )
            return [
                PaymentLine(
                    day=clock.local_date(i.created_at),
                    amount=i.confirmed_amount if i.confirmed_amount is not None else i.amount,
                    reference=i.reference,
                    status=i.status,
                    payer_is_member=i.payer_phone == member.phone,
                )
                for i in intents
            ]

    def rhythm_of(self, member_id: int) -> RhythmView:
        with self.db() as session:
            return rhythm.rhythm_view(session, self._member(session, member_id))

    def change_rhythm(self, member_id: int, new_rhythm: str, weekday: int | None = None,
                      months: tuple[int, ...] = ()) -> RhythmView:
        with self.db.begin() as session:
            member = lock_member(session, member_id)
            if member is None:
                raise LookupError(f"no member #{member_id}")
            rhythm.change_rhythm(session, member, new_rhythm, weekday, months)
            return rhythm.rhythm_view(session, member)

    def set_reminders(self, member_id: int, on: bool) -> None:
        with self.db.begin() as session:
            self._member(session, member_id).reminders = on

    def groups_led_by(self, member_id: int) -> list[GroupView]:
        with self.db() as session:
            led = groups.groups_led_by_with_sizes(session, member_id)
            return [GroupView(g.id, g.code, g.name, size) for g, size in led]

    def start_group_payment(self, group_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        with self.db.begin() as session:
            group = session.get(Group, group_id)
            if group is None:
                raise LookupError(f"no group #{group_id}")
            members = groups.members_of(session, group_id)
            if amount < len(members):
                raise Refused("group.too_small_to_share", members=len(members))
            intent, reused = start_payment(
                session, self.runtime, member_id=group.leader_id, payer_phone=payer_phone, network=network,
                amount=amount, group_id=group.id, splits=groups.equal_split(amount, members),
            )
            return PaymentStarted(intent.reference, intent.amount, intent.network, reused)
