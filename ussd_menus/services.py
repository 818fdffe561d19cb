"""The narrow interface between the USSD menus and the rest of the gateway.

The menus know no HTTP and no SQL: they receive an object that satisfies
`MenuServices` and talk to it with the plain dataclasses below. The gateway
provides the real implementation (`gateway.services.menu_facade`); tests use an
in-memory one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


class Refused(Exception):
    """A service said no for a reason the member must read.

    `reason` is a catalog key (e.g. ``"household.too_many_children"``) and
    `params` fill its placeholders.
    """

    def __init__(self, reason: str, **params):
        super().__init__(reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Option:
    """An entry of a reference list (occupation, region, rhythm...)."""

    code: str
    labels: dict[str, str]  # language -> label, e.g. {"fr": "Commerçant", "en": "Trader"}


@dataclass(frozen=True)
class ReferenceLists:
    occupations: list[Option]
    regions: list[Option]
    rhythms: list[Option]  # daily, weekly, monthly, quarterly, half_yearly, yearly, seasonal


@dataclass(frozen=True)
class EnrolmentRequest:
    phone: str  # E.164
    network: str | None  # "yas" | "moov" | None: the network that carried the session
    language: str  # "fr" | "en"
    full_name: str
    birth_date: date
    sex: str  # "F" | "M"
    occupation: str  # Option.code
    region: str  # Option.code
    rhythm: str  # Option.code
    rhythm_weekday: int | None = None  # 0 = Monday .. 6 = Sunday, for "weekly"
    rhythm_months: tuple[int, ...] = ()  # 1..12, for "seasonal"


@dataclass(frozen=True)
class MemberView:
    id: int
    amu_number: str
    full_name: str
    phone: str
    language: str
    rhythm: str


@dataclass(frozen=True)
class DependentView:
    id: int
    relation: str  # "spouse" | "child"
    full_name: str
    birth_date: date


@dataclass(frozen=True)
class DependentRequest:
    relation: str  # "spouse" | "child"
    full_name: str
    birth_date: date
    sex: str
    in_school: bool = False


@dataclass(frozen=True)
class HouseholdLimits:
    max_spouses: int
    max_children: int
    child_age_limit: int
    child_age_limit_in_school: int
    extra_spouse_monthly: int  # francs a month for a spouse beyond the limit
    extra_child_monthly: int
    max_extra_spouses: int = 0  # how many more, at the supplement, the scheme accepts
    max_extra_children: int = 0


@dataclass(frozen=True)
class RightsView:
    state: str  # pending | waiting | active | grace | suspended
    covered_until: date | None  # the last day paid for
    waiting_ends: date | None  # the first day care is paid (end of the waiting period, "délai de carence")
    suspended_since: date | None
    credit: int  # francs saved toward the next billing period
    period_price: int  # price of the member's billing period, francs
    period_label: str  # "monthly" | "quarterly" | "half_yearly" | "yearly"
    coverage_rate: int  # percent paid by the scheme, e.g. 80
    household: list[DependentView] = field(default_factory=list)
    suspends_on: date | None = None  # in grace: the day rights are suspended without a payment
    next_waiting_days: int = 0  # pending or suspended: days of waiting after the payment that starts cover

    @property
    def to_next_period(self) -> int:
        """Francs still to pay before the next billing period is bought."""
        return max(self.period_price - self.credit, 0)


@dataclass(frozen=True)
class Payee:
    """The member a payment is for, as a payer may see them (name masked). Found by
    phone, the phone is shown masked instead of the AMU number."""

    member_id: int
    amu_number: str
    masked_name: str  # e.g. "Ko*** Me*****"
    masked_phone: str | None = None  # e.g. "90****12", when the payer typed the member's phone


@dataclass(frozen=True)
class PaymentOffer:
    """What the pay screens propose for one member. For someone else than the member,
    only the plan's figures: nothing derived from the member's account."""

    suggested: list[int]  # francs, best first (what is due with any arrears, the rest of the period, the period)
    minimum: int
    maximum: int
    period_price: int
    arrears: int = 0  # francs overdue, included in suggested[0] (the member's own offer only)


@dataclass(frozen=True)
class PaymentStarted:
    reference: str
    amount: int
    network: str
    reused: bool  # the same payment dialled again within a minute: no second PIN prompt


@dataclass(frozen=True)
class PaymentLine:
    day: date  # Lomé date the payment was made
    amount: int  # francs confirmed (or asked, while not confirmed)
    reference: str
    status: str  # created | pending | succeeded | failed | expired
    payer_is_member: bool
    payer: str | None = None  # who paid, when not the member: a name or a masked phone
    group: str | None = None  # the group whose payment this is a share of


@dataclass(frozen=True)
class RhythmView:
    rhythm: str  # Option.code of reference_lists().rhythms
    weekday: int | None  # 0 = Monday, for "weekly"
    months: tuple[int, ...]  # harvest months, for "seasonal"; sorted, so Dec-Feb reads (1, 2, 12)
    reminders: bool  # SMS reminders on
    period_label: str  # monthly | quarterly | half_yearly | yearly: what the money buys
    period_price: int
    instalment: int  # the next due of this rhythm, francs (e.g. 2 500 F a market day): the pay screen's amount
    arrears: int = 0  # francs overdue today


@dataclass(frozen=True)
class GroupView:
    id: int
    code: str
    name: str
    members: int  # how many members share a payment


class MenuServices(Protocol):
    def member_by_phone(self, phone: str) -> MemberView | None: ...

    def phone_language(self, phone: str) -> str | None:
        """The language remembered for this phone (member or not), if any."""

    def set_language(self, phone: str, language: str) -> None: ...

    def reference_lists(self) -> ReferenceLists: ...

    def enrol(self, request: EnrolmentRequest) -> MemberView:
        """Create the member (state pending) and queue the SMS with the AMU number.

        Raises Refused (e.g. "join.already_member", "join.too_young").
        """

    def rights(self, member_id: int) -> RightsView: ...

    def household(self, member_id: int) -> list[DependentView]: ...

    def household_limits(self, member_id: int) -> HouseholdLimits: ...

    def add_dependent(self, member_id: int, request: DependentRequest) -> DependentView:
        """Raises Refused with one of: household.born_in_future, household.already_listed,
        household.spouse_limit(limit), household.child_limit(limit), household.child_too_old(limit),
        household.child_too_old_school(limit, school_limit)."""

    def correct_dependent(self, member_id: int, dependent_id: int, full_name: str | None = None,
                          birth_date: date | None = None) -> DependentView:
        """The dependant as corrected; the row before the correction stays in the history.
        Raises Refused("household.gone") or the refusals of add_dependent."""

    def remove_dependent(self, member_id: int, dependent_id: int) -> date:
        """The day the dependant leaves the household (kept in the history, dated).
        Raises Refused("household.gone") when they are no longer in it."""

    def find_payee(self, number: str, payer_phone: str) -> Payee:
        """The member with this AMU number (10 digits) or phone. Raises Refused with
        "pay.bad_entry" (neither), "pay.bad_number" (wrong check digit),
        "pay.unknown_member" / "pay.unknown_phone" (nobody), or "pay.too_many_lookups"
        (this payer looked up too many members this hour)."""

    def payment_limits(self, member_id: int) -> tuple[int, int]:
        """(smallest, largest) payment in francs for this member's scheme."""

    def payment_offer(self, member_id: int, payer_phone: str) -> PaymentOffer:
        """The member's own offer when `payer_phone` is theirs; else the plan's price only."""

    def start_payment(self, member_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        """Saves the payment intent; the collection starts after the session ends.
        Raises Refused("pay.too_small", minimum=...) or ("pay.too_large", maximum=...)."""

    def recent_payments(self, member_id: int, limit: int = 5) -> list[PaymentLine]: ...

    def rhythm_of(self, member_id: int) -> RhythmView: ...

    def change_rhythm(self, member_id: int, rhythm: str, weekday: int | None = None,
                      months: tuple[int, ...] = ()) -> RhythmView:
        """Past dues stay; dues from tomorrow follow the new rhythm."""

    def set_reminders(self, member_id: int, on: bool) -> None: ...

    def groups_led_by(self, member_id: int) -> list[GroupView]: ...

    def start_group_payment(self, group_id: int, payer_phone: str, network: str, amount: int) -> PaymentStarted:
        """Shared equally among the group's members. Raises Refused("pay.too_small",
        minimum=...), ("pay.too_large", maximum=...) or ("group.too_small_to_share", members=...)."""
