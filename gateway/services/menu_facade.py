"""The gateway's implementation of the menus' MenuServices: one short transaction a call.

The domain refuses in its own words (gateway.errors.Refusal); this is where a refusal
becomes the menus' `Refused` with the catalog key the member reads."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import func, select

from config.reference import reference_lists
from gateway import clock, ledger
from gateway.amu_numbers import LENGTH as AMU_NUMBER_LENGTH, InvalidAmuNumber, clean_amu_number
from gateway.errors import Refusal
from gateway.lookup_limits import lookup_limit
from gateway.masking import mask_name
from gateway.models import Group, Member, PaymentIntent, PaymentSplit, PhonePreference
from gateway.phones import InvalidPhone, masked, normalise_phone
from gateway.rules import rules_on, scheme_id
from gateway.runtime import Runtime
from gateway.services import coverage, enrolment, entitlement, groups, household, rhythm
from gateway.services.billing import suggested_amounts
from gateway.services.facility_menus import FacilityMenus
from gateway.services.locks import lock_member
from gateway.services.payers import payer_label
from gateway.services.payments import start_payment
from languages import registry
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


# the domain's refusals -> the menus' catalog keys (their params are the same)
CATALOG_KEYS = {
    "amount_too_small": "pay.too_small",
    "amount_too_large": "pay.too_large",
    "born_in_future": "join.born_in_future",
    "too_young": "join.too_young",
    "already_member": "join.already_member",
    "dependent_born_in_future": "household.born_in_future",
    "already_listed": "household.already_listed",
    "spouse_limit": "household.spouse_limit",
    "child_limit": "household.child_limit",
    "child_too_old": "household.child_too_old",
    "child_too_old_out_of_school": "household.child_too_old_school",
    "dependant_gone": "household.gone",
}


@contextmanager
def refusals_for_the_menus():
    try:
        yield
    except Refusal as refusal:
        raise Refused(CATALOG_KEYS[refusal.kind], **refusal.params) from None


def member_view(member: Member) -> MemberView:
    return MemberView(member.id, member.amu_number, member.full_name, member.phone, member.language, member.rhythm)


class GatewayMenuServices(FacilityMenus):  # FacilityMenus: health facilities' checks
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.db = runtime.db
        self.lookups = lookup_limit(runtime)

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
        if not registry().knows(language):
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
        with refusals_for_the_menus(), self.db.begin() as session:
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
                max_extra_spouses=rules.max_extra_spouses,
                max_extra_children=rules.max_extra_children,
            )

    def _locked(self, session, member_id: int) -> Member:
        member = lock_member(session, member_id)  # two sessions changing a household at once respect the limits
        if member is None:
            raise LookupError(f"no member #{member_id}")
        return member

    def add_dependent(self, member_id: int, request: DependentRequest) -> DependentView:
        with refusals_for_the_menus(), self.db.begin() as session:
            member = self._locked(session, member_id)
            rules = rules_on(session, member.scheme_id, clock.local_date())
            dependent = household.add_dependent(session, member, request, rules)
            return DependentView(dependent.id, dependent.relation, dependent.full_name, dependent.birth_date)

    def correct_dependent(self, member_id: int, dependent_id: int, full_name: str | None = None,
                          birth_date: date | None = None) -> DependentView:
        with refusals_for_the_menus(), self.db.begin() as session:
            member = self._locked(session, member_id)
            rules = rules_on(session, member.scheme_id, clock.local_date())
            dependent = household.correct_dependent(session, member, dependent_id, rules,
                                                    full_name=full_name, birth_date=birth_date)
            return DependentView(dependent.id, dependent.relation, dependent.full_name, dependent.birth_date)

    def remove_dependent(self, member_id: int, dependent_id: int) -> date:
        with refusals_for_the_menus(), self.db.begin() as session:
            member = self._locked(session, member_id)
            rules = rules_on(session, member.scheme_id, clock.local_date())
            return clock.local_date(household.remove_dependent(session, member, dependent_id, rules).removed_at)

    def find_payee(self, number: str, payer_phone: str) -> Payee:
        """By AMU number (10 digits) or phone; each attempt counts toward the payer's hour."""
        if not self.lookups.allow(payer_phone):
            raise Refused("pay.too_many_lookups")
        digits = "".join(ch for ch in number if ch.isdigit())
        if len(digits) == AMU_NUMBER_LENGTH and not number.startswith("+"):
            try:
                found = Member.amu_number == clean_amu_number(digits)
            except InvalidAmuNumber:
                raise Refused("pay.bad_number") from None
            unknown, by_phone = "pay.unknown_member", False
        else:
            try:
                found = Member.phone == normalise_phone(number)
            except InvalidPhone:
                raise Refused("pay.bad_entry") from None
            unknown, by_phone = "pay.unknown_phone", True
        with self.db() as session:
            member = session.scalar(select(Member).where(found))
            if member is None:
                raise Refused(unknown)
            return Payee(member.id, member.amu_number, mask_name(member.full_name),
                         masked(member.phone) if by_phone else None)

    def payment_limits(self, member_id: int) -> tuple[int, int]:
        with self.db() as session:
            rules = rules_on(session, self._member(session, member_id).scheme_id, clock.local_date())
            return rules.min_payment, self.runtime.settings.max_payment

    def payment_offer(self, member_id: int, payer_phone: str) -> PaymentOffer:
        """The member's own: what is due with its arrears, what completes the period, the
        period. Someone else's: the plan's price only (and the rhythm's usual due), never a
        figure derived from the member's account."""
        with self.db() as session:
            member = self._member(session, member_id)
            today = clock.local_date()
            rules = rules_on(session, member.scheme_id, today)
            price = coverage.next_period_price(session, member, today)
            due = rhythm.what_is_due(session, member, today)
            own = payer_phone == member.phone
            credit = ledger.member_credit(session, member.id) if own else 0
            arrears = due.arrears if own else 0
            suggested = suggested_amounts(rules, price, credit, due.instalment + arrears)
            return PaymentOffer(
                suggested=suggested,
                minimum=rules.min_payment,
                maximum=self.runtime.settings.max_payment,
                period_price=price,
                arrears=arrears if suggested[:1] == [due.instalment + arrears] else 0,
            )

    def start_payment(self, member_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        with refusals_for_the_menus(), self.db.begin() as session:
            intent, reused = start_payment(
                session, self.runtime, member_id=member_id, payer_phone=payer_phone, network=network, amount=amount
            )
            return PaymentStarted(intent.reference, intent.amount, intent.network, reused)

    def recent_payments(self, member_id: int, limit: int = 5) -> list[PaymentLine]:
        """The member's payments, those made by others for them, and their shares of group
        payments (the share, not the group's total), newest first."""
        with self.db() as session:
            member = self._member(session, member_id)
            shares = select(PaymentSplit.intent_id).where(PaymentSplit.member_id == member_id)
            rows = session.execute(
                select(PaymentIntent, PaymentSplit.amount, Group.name)
                .outerjoin(PaymentSplit, (PaymentSplit.intent_id == PaymentIntent.id)
                           & (PaymentSplit.member_id == member_id))
                .outerjoin(Group, Group.id == PaymentIntent.group_id)
                .where(((PaymentIntent.member_id == member_id) & PaymentIntent.group_id.is_(None))
                       | PaymentIntent.id.in_(shares))
                .order_by(PaymentIntent.created_at.desc(), PaymentIntent.id.desc())
                .limit(limit)
            ).all()
            return [
                PaymentLine(
                    day=clock.local_date(i.created_at),
                    amount=share if share is not None else
                    (i.confirmed_amount if i.confirmed_amount is not None else i.amount),
                    reference=i.reference,
                    status=i.status,
                    payer_is_member=i.payer_phone == member.phone,
                    payer=None if i.payer_phone == member.phone or group else payer_label(session, i.payer_phone),
                    group=group,
                )
                for i, share, group in rows
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
        with refusals_for_the_menus(), self.db.begin() as session:
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
