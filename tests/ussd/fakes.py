"""An in-memory MenuServices, with the rules a real one enforces kept simple."""
from __future__ import annotations

import copy
from dataclasses import dataclass, replace
from datetime import date

from stdnum import verhoeff

from config.reference import reference_lists
from ussd_menus.facility_services import BeneficiaryView, CheckAnswer, CheckView, FacilityView
from ussd_menus.services import (
    DependentRequest, DependentView, EnrolmentRequest, GroupView, HouseholdLimits, MemberView, Payee,
    PaymentLine, PaymentOffer, PaymentStarted, ReferenceLists, Refused, RhythmView, RightsView,
)

TODAY = date(2025, 6, 15)


# the gateway's own lists: codes from config/reference.toml, labels from each language's lists.toml
REFERENCE = reference_lists()

LIMITS = HouseholdLimits(
    max_spouses=1, max_children=4, child_age_limit=21, child_age_limit_in_school=26,
    extra_spouse_monthly=2500, extra_child_monthly=1000, max_extra_spouses=3, max_extra_children=6,
)


# What each billing period costs, and the period each rhythm buys (as gateway.services.billing says).
PRICES = {"monthly": 10_000, "quarterly": 28_500, "half_yearly": 54_000, "yearly": 102_000}
PERIOD_OF_RHYTHM = {
    "daily": "monthly", "weekly": "monthly", "monthly": "monthly", "quarterly": "quarterly",
    "half_yearly": "half_yearly", "yearly": "yearly", "seasonal": "yearly",
}
MARKET_DAYS_A_MONTH, DAYS_A_MONTH = 4, 30

OFFER = PaymentOffer(suggested=[10_000, 2_500], minimum=100, maximum=1_500_000, period_price=10_000)
PUBLIC_OFFER = PaymentOffer(suggested=[10_000], minimum=100, maximum=1_500_000, period_price=10_000)
LOOKUPS_PER_HOUR = 10
WAITING = ("created", "pending")  # a payment asked again while one of these is on its way is reused


def amu_number(body: str) -> str:
    """Nine digits and the check digit the gateway uses (Verhoeff)."""
    return body + verhoeff.calc_check_digit(body)


def mask_name(full_name: str) -> str:
    """As the gateway masks a payee's name: "Kossi Mensah" -> "Ko*** Me****"."""
    return " ".join(word[:2] + "*" * (len(word) - 2) for word in full_name.split())


def mask_phone(e164: str) -> str:
    """As the gateway masks a phone on screen: "+22890112233" -> "+228 90 XX XX 33"."""
    return f"{e164[:4]} {e164[4:6]} XX XX {e164[-2:]}"


@dataclass(frozen=True)
class FakePayment:
    member_id: int  # a group payment names the group's leader, as the gateway does
    payer_phone: str
    network: str
    amount: int
    reference: str
    status: str = "created"
    day: date = TODAY
    group_id: int | None = None
    share: int | None = None  # a group payment: this member's share


def rights(state: str = "active", **changes) -> RightsView:
    """A RightsView with plausible defaults for `state`."""
    defaults = dict(
        state=state, covered_until=None, waiting_ends=None, suspended_since=None, credit=0,
        period_price=10000, period_label="monthly", coverage_rate=80,
    )
    defaults.update({
        "pending": {"next_waiting_days": 90},
        "waiting": {"covered_until": date(2025, 9, 30), "waiting_ends": date(2025, 8, 12)},
        "active": {"covered_until": date(2025, 7, 31)},
        "grace": {"covered_until": date(2025, 6, 1), "suspends_on": date(2025, 8, 2)},
        "suspended": {"suspended_since": date(2025, 4, 1), "next_waiting_days": 90},
    }.get(state, {}))
    defaults.update(changes)
    return RightsView(**defaults)


def rhythm_view(rhythm: str = "monthly", weekday: int | None = None, months: tuple[int, ...] = (),
                reminders: bool = True, prices: dict[str, int] = PRICES) -> RhythmView:
    """A RhythmView as the gateway computes it, simplified: the usual instalment is the
    period's price, a market day's or a day's share of a month, or a harvest month's
    share of the year."""
    period = PERIOD_OF_RHYTHM[rhythm]
    price = prices[period]
    instalment = {
        "daily": price // DAYS_A_MONTH, "weekly": price // MARKET_DAYS_A_MONTH,
        "seasonal": price // max(len(months), 1),
    }.get(rhythm, price)
    # the gateway keeps harvest months sorted, whatever order they were given in
    return RhythmView(rhythm, weekday, tuple(sorted(set(months))), reminders, period, price, instalment)


@dataclass(frozen=True)
class FakeGroup:
    leader_id: int
    view: GroupView


def age(birth: date, today: date = TODAY) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class FakeServices:
    def __init__(self, reference: ReferenceLists = REFERENCE, limits: HouseholdLimits = LIMITS):
        self.reference = reference
        self.limits = limits
        self.members: dict[str, MemberView] = {}
        self.languages: dict[str, str] = {}
        self.rights_views: dict[int, RightsView] = {}
        self.dependents: dict[int, list[DependentView]] = {}
        self.enrolments: list[EnrolmentRequest] = []
        self.refuse_enrolment: Refused | None = None
        self.next_amu_number = "1234567890"
        self.offers: dict[int, PaymentOffer] = {}  # by member id; OFFER when absent (PUBLIC_OFFER for others)
        self.public_offers: dict[int, PaymentOffer] = {}
        self.lookups: dict[str, int] = {}  # by payer phone, this hour
        self.removed: list[tuple[int, DependentView]] = []  # (member id, the dependant as they were)
        self.payments: list[FakePayment] = []  # oldest first
        self.refuse_payment: Refused | None = None
        self.max_extra_spouses, self.max_extra_children = 3, 6
        self.prices = dict(PRICES)
        self.rhythms: dict[int, RhythmView] = {}  # by member id
        self.groups: list[FakeGroup] = []
        self.calls: list[str] = []
        self.init_facilities()

    def fork(self) -> "FakeServices":
        """An independent copy. Every value kept is immutable (frozen dataclasses, strings),
        so copying the containers is enough."""
        twin = copy.copy(self)
        for name in ("members", "languages", "rights_views", "offers", "public_offers", "rhythms", "lookups",
                     "facilities", "check_answers", "checks"):
            setattr(twin, name, dict(getattr(self, name)))
        for name in ("enrolments", "calls", "payments", "groups", "removed", "facility_checks", "reported"):
            setattr(twin, name, list(getattr(self, name)))
        twin.dependents = {member_id: list(people) for member_id, people in self.dependents.items()}
        return twin

    # set-up helpers
    def add_member(self, phone: str, full_name: str = "Kossi Mensah", language: str = "fr",
                   state: RightsView | None = None, dependents: list[DependentView] = (),
                   number: str | None = None, rhythm: RhythmView | None = None) -> MemberView:
        rhythm = rhythm or rhythm_view(prices=self.prices)
        member = MemberView(
            id=len(self.members) + 1, amu_number=number or amu_number(f"1234567{len(self.members):02d}"),
            full_name=full_name, phone=phone, language=language, rhythm=rhythm.rhythm,
        )
        self.members[phone] = member
        self.dependents[member.id] = list(dependents)
        self.rights_views[member.id] = state or rights("pending")
        self.rhythms[member.id] = rhythm
        return member

    def add_group(self, leader: MemberView, name: str, members: int, code: str | None = None) -> GroupView:
        group_id = len(self.groups) + 1
        group = GroupView(group_id, code or f"GRP{group_id:03d}", name, members)
        self.groups.append(FakeGroup(leader.id, group))
        return group

    def add_payment(self, member_id: int, amount: int, status: str, day: date = TODAY,
                    payer_phone: str = "+22890000000", network: str = "yas",
                    group_id: int | None = None, share: int | None = None) -> FakePayment:
        payment = FakePayment(member_id, payer_phone, network, amount, f"AMU{len(self.payments) + 1:010d}", status, day,
                              group_id, share)
        self.payments.append(payment)
        return payment

    # MenuServices
    def member_by_phone(self, phone: str) -> MemberView | None:
        self.calls.append("member_by_phone")
        return self.members.get(phone)

    def phone_language(self, phone: str) -> str | None:
        return self.languages.get(phone)

    def set_language(self, phone: str, language: str) -> None:
        """As the gateway does: the phone's preference, and the member's language if any."""
        self.languages[phone] = language
        if phone in self.members:
            self.members[phone] = replace(self.members[phone], language=language)

    def reference_lists(self) -> ReferenceLists:
        return self.reference

    def enrol(self, request: EnrolmentRequest) -> MemberView:
        if self.refuse_enrolment:
            raise self.refuse_enrolment
        if request.phone in self.members:
            raise Refused("join.already_member")
        self.enrolments.append(request)
        rhythm = rhythm_view(request.rhythm, request.rhythm_weekday, request.rhythm_months, prices=self.prices)
        member = self.add_member(request.phone, request.full_name, request.language, rhythm=rhythm)
        member = replace(member, amu_number=self.next_amu_number, rhythm=request.rhythm)
        self.members[request.phone] = member
        return member

    def rights(self, member_id: int) -> RightsView:
        view = self.rights_views[member_id]
        return replace(view, household=list(self.dependents[member_id]))

    def household(self, member_id: int) -> list[DependentView]:
        return list(self.dependents[member_id])

    def household_limits(self, member_id: int) -> HouseholdLimits:
        return self.limits

    def add_dependent(self, member_id: int, request: DependentRequest) -> DependentView:
        """Refuses as gateway.services.household does; extra dependents (beyond the
        base household) are accepted, up to the scheme's extra maximum."""
        current = self.dependents[member_id]
        if request.birth_date > TODAY:
            raise Refused("household.born_in_future")
        if any((d.full_name, d.birth_date) == (request.full_name, request.birth_date) for d in current):
            raise Refused("household.already_listed")
        same = sum(1 for d in current if d.relation == request.relation)
        if request.relation == "spouse" and same >= self.limits.max_spouses + self.max_extra_spouses:
            raise Refused("household.spouse_limit", limit=self.limits.max_spouses + self.max_extra_spouses)
        if request.relation == "child":
            if age(request.birth_date) >= self.limits.child_age_limit_in_school:
                raise Refused("household.child_too_old", limit=self.limits.child_age_limit_in_school)
            if age(request.birth_date) >= self.limits.child_age_limit and not request.in_school:
                raise Refused("household.child_too_old_school", limit=self.limits.child_age_limit,
                              school_limit=self.limits.child_age_limit_in_school)
            if same >= self.limits.max_children + self.max_extra_children:
                raise Refused("household.child_limit", limit=self.limits.max_children + self.max_extra_children)
        added = DependentView(
            id=100 + sum(len(d) for d in self.dependents.values()), relation=request.relation,
            full_name=request.full_name, birth_date=request.birth_date,
        )
        current.append(added)
        return added

    def _current(self, member_id: int, dependent_id: int) -> DependentView:
        found = next((d for d in self.dependents[member_id] if d.id == dependent_id), None)
        if found is None:
            raise Refused("household.gone")
        return found

    def correct_dependent(self, member_id: int, dependent_id: int, full_name: str | None = None,
                          birth_date: date | None = None) -> DependentView:
        """As the gateway: the row before is kept (in `removed`), the corrected one replaces it."""
        old = self._current(member_id, dependent_id)
        new = replace(old, id=old.id + 1000, full_name=full_name or old.full_name,
                      birth_date=birth_date or old.birth_date)
        if new.relation == "child" and age(new.birth_date) >= self.limits.child_age_limit_in_school:
            raise Refused("household.child_too_old", limit=self.limits.child_age_limit_in_school)
        people = self.dependents[member_id]
        people[people.index(old)] = new
        self.removed.append((member_id, old))
        return new

    def remove_dependent(self, member_id: int, dependent_id: int) -> date:
        old = self._current(member_id, dependent_id)
        self.dependents[member_id].remove(old)
        self.removed.append((member_id, old))
        return TODAY

    def find_payee(self, number: str, payer_phone: str) -> Payee:
        """As the gateway: an AMU number (10 digits) or a phone, each lookup counted."""
        self.lookups[payer_phone] = self.lookups.get(payer_phone, 0) + 1
        if self.lookups[payer_phone] > LOOKUPS_PER_HOUR:
            raise Refused("pay.too_many_lookups")
        digits = number.replace(" ", "")
        if len(digits) == 10 and digits.isdigit():
            if not verhoeff.is_valid(digits):
                raise Refused("pay.bad_number")
            member = next((m for m in self.members.values() if m.amu_number == digits), None)
            if member is None:
                raise Refused("pay.unknown_member")
            return Payee(member.id, member.amu_number, mask_name(member.full_name))
        local = digits.removeprefix("+").removeprefix("228")
        if len(local) != 8:
            raise Refused("pay.bad_entry")
        member = self.members.get("+228" + local)
        if member is None:
            raise Refused("pay.unknown_phone")
        return Payee(member.id, member.amu_number, mask_name(member.full_name), mask_phone(member.phone))

    def payment_limits(self, member_id: int) -> tuple[int, int]:
        offer = self.offers.get(member_id, OFFER)
        return offer.minimum, offer.maximum

    def payment_offer(self, member_id: int, payer_phone: str) -> PaymentOffer:
        """The member's own offer, or the plan's price for anyone else (as the gateway)."""
        own = any(m.id == member_id and m.phone == payer_phone for m in self.members.values())
        if own:
            return self.offers.get(member_id, OFFER)
        return self.public_offers.get(member_id, self.offers.get(member_id, PUBLIC_OFFER))

    def start_payment(self, member_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        return self._start(member_id, None, payer_phone, network, amount)

    def _start(self, member_id: int, group_id: int | None, payer_phone: str, network: str,
               amount: int) -> PaymentStarted:
        if self.refuse_payment:
            raise self.refuse_payment
        offer = self.payment_offer(member_id, payer_phone)
        if amount < offer.minimum:
            raise Refused("pay.too_small", minimum=offer.minimum)
        if amount > offer.maximum:
            raise Refused("pay.too_large", maximum=offer.maximum)
        same = (member_id, group_id, payer_phone, amount)
        for earlier in self.payments:
            if (earlier.member_id, earlier.group_id, earlier.payer_phone, earlier.amount) == same \
                    and earlier.status in WAITING:
                return PaymentStarted(earlier.reference, earlier.amount, earlier.network, reused=True)
        payment = self.add_payment(member_id, amount, "created", payer_phone=payer_phone, network=network,
                                   group_id=group_id)
        return PaymentStarted(payment.reference, amount, network, reused=False)

    def recent_payments(self, member_id: int, limit: int = 5) -> list[PaymentLine]:
        """As the gateway: the member's payments, payments by others (the payer's first name
        if a member, else the phone masked) and shares of group payments."""
        member_phone = next(m.phone for m in self.members.values() if m.id == member_id)
        names = {m.phone: m.full_name.split()[0] for m in self.members.values()}
        groups = {g.view.id: g.view.name for g in self.groups}
        newest_first = [p for p in reversed(self.payments) if p.member_id == member_id][:limit]
        return [PaymentLine(p.day, p.share or p.amount, p.reference, p.status, p.payer_phone == member_phone,
                            payer=None if p.payer_phone == member_phone or p.group_id else
                            names.get(p.payer_phone, f"{p.payer_phone[4:6]}XXXX{p.payer_phone[-2:]}"),
                            group=groups.get(p.group_id))
                for p in newest_first]


    def rhythm_of(self, member_id: int) -> RhythmView:
        return self.rhythms[member_id]

    def change_rhythm(self, member_id: int, rhythm: str, weekday: int | None = None,
                      months: tuple[int, ...] = ()) -> RhythmView:
        if rhythm not in {option.code for option in self.reference.rhythms}:
            raise ValueError(f"unknown rhythm {rhythm!r}")
        if (rhythm == "weekly") != (weekday is not None) or (rhythm == "seasonal") != bool(months):
            raise ValueError(f"{rhythm!r} with weekday {weekday!r} and months {months!r}")
        reminders = self.rhythms[member_id].reminders
        self.rhythms[member_id] = rhythm_view(rhythm, weekday, months, reminders, self.prices)
        return self.rhythms[member_id]

    def set_reminders(self, member_id: int, on: bool) -> None:
        self.rhythms[member_id] = replace(self.rhythms[member_id], reminders=on)

    def groups_led_by(self, member_id: int) -> list[GroupView]:
        self.calls.append("groups_led_by")
        return [group.view for group in self.groups if group.leader_id == member_id]

    def start_group_payment(self, group_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        """Refuses as gateway.services.menu_facade does: the share check comes first."""
        group = next(group for group in self.groups if group.view.id == group_id)
        if amount < group.view.members:
            raise Refused("group.too_small_to_share", members=group.view.members)
        return self._start(group.leader_id, group_id, payer_phone, network, amount)


    # health facilities (ussd_menus.facility_services), kept simple
    def init_facilities(self) -> None:
        self.facilities: dict[str, FacilityView] = {}  # by phone
        self.check_answers: dict[str, CheckAnswer] = {}  # by beneficiary number: what a check answers
        self.checks: dict[int, list[CheckView]] = {}  # by member id: recent checks of the household
        self.facility_checks: list[tuple[str, str, str]] = []  # (facility phone, number, language) checked
        self.reported: list[tuple[int, str]] = []  # (member id, code) reported "Ce n'était pas moi"
        self.refuse_lookup: Refused | None = None

    def add_facility(self, phone: str, name: str = "Clinique Test") -> FacilityView:
        self.facilities[phone] = FacilityView(len(self.facilities) + 1, name)
        return self.facilities[phone]

    def facility_of_phone(self, phone: str) -> FacilityView | None:
        return self.facilities.get(phone)

    def facility_household(self, phone: str, number_or_phone: str) -> list[BeneficiaryView]:
        if phone not in self.facilities:
            raise Refused("facility.not_registered")
        if self.refuse_lookup:
            raise self.refuse_lookup
        if len(number_or_phone) == 10 and not verhoeff.is_valid(number_or_phone):
            raise Refused("facility.bad_number")
        member = next((m for m in self.members.values()
                       if number_or_phone in (m.amu_number, m.phone, m.phone.removeprefix("+228"))), None)
        if member is None:
            raise Refused("facility.unknown")
        people = [BeneficiaryView(f"{member.amu_number}-00", "member", mask_name(member.full_name), 1988)]
        people += [BeneficiaryView(f"{member.amu_number}-{rank:02d}", d.relation, mask_name(d.full_name),
                                   d.birth_date.year) for rank, d in enumerate(self.dependents[member.id], start=1)]
        return people

    def facility_check(self, phone: str, number: str, language: str) -> CheckAnswer:
        if phone not in self.facilities:
            raise Refused("facility.not_registered")
        self.facility_checks.append((phone, number, language))
        return self.check_answers.get(number) or check_answer(number)

    def recent_checks(self, member_id: int) -> list[CheckView]:
        return list(self.checks.get(member_id, []))

    def report_check(self, member_id: int, code: str) -> None:
        recent = self.checks.get(member_id, [])
        if code not in [c.code for c in recent]:
            raise Refused("report.unknown")
        self.checks[member_id] = [c for c in recent if c.code != code]
        self.reported.append((member_id, code))


def check_answer(number: str = "1234567890-00", **changes) -> CheckAnswer:
    """A check's answer with plausible defaults: covered, active until the end of July."""
    values = dict(code="7KQ2MX", number=number, masked_name="Ko*** Me****", relation="member", day=TODAY,
                  covered=True, reason="active", date=date(2025, 7, 31), amount=10_000, waiting_days=90, rate=80,
                  child_age_limit=21, child_age_limit_in_school=26)
    values.update(changes)
    return CheckAnswer(**values)


def dependent(id: int, relation: str, full_name: str, birth_date: date) -> DependentView:
    return DependentView(id=id, relation=relation, full_name=full_name, birth_date=birth_date)
