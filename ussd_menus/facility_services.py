"""What the menus ask the gateway about health facilities' checks, beside `MenuServices`:
a facility's phone checks a person's rights; a member sees the checks of their household
and reports one that was not theirs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol


@dataclass(frozen=True)
class FacilityView:
    id: int
    name: str


@dataclass(frozen=True)
class BeneficiaryView:
    """A person of the household, as a facility may see them."""

    number: str  # "1234567890-01": AMU number and rank in the household (00: the member)
    relation: str  # member | spouse | child
    masked_name: str  # "Ko*** Me****"
    birth_year: int


@dataclass(frozen=True)
class CheckAnswer:
    code: str  # the check code the facility writes on its claim
    number: str
    masked_name: str
    relation: str
    day: date  # the day of care asked about
    covered: bool
    # active | grace | waiting | suspended | pending | age_limit | not_in_household;
    # suspended_no_wait / pending_no_wait when no waiting period follows a payment
    reason: str
    date: date | None  # the date that matters for the reason
    amount: int  # francs to pay to be covered again (suspended, pending)
    waiting_days: int
    rate: int  # percent the scheme pays
    child_age_limit: int
    child_age_limit_in_school: int


@dataclass(frozen=True)
class CheckView:
    """A check of the member's household, as the member sees it."""

    code: str
    facility: str
    day: date
    person: str  # the first name of the dependant checked; "" for the member


class FacilityMenuServices(Protocol):
    def facility_of_phone(self, phone: str) -> FacilityView | None: ...

    def facility_household(self, phone: str, number_or_phone: str) -> list[BeneficiaryView]:
        """The people of the household of the member with this AMU number or phone.
        Raises Refused: facility.bad_number, facility.unknown, facility.too_many (the
        facility's checks a minute), facility.not_registered (the phone is no facility's)."""

    def facility_check(self, phone: str, number: str, language: str) -> CheckAnswer:
        """Check person `number` today: kept, the member told, the answer sent to `phone`
        by SMS too. Raises Refused: facility.unknown, facility.not_registered."""

    def recent_checks(self, member_id: int) -> list[CheckView]:
        """Checks of the member's household the member may still report, newest first."""

    def report_check(self, member_id: int, code: str) -> None:
        """'Ce n'était pas moi'. Raises Refused("report.unknown") when the check is not one
        of `recent_checks`."""
