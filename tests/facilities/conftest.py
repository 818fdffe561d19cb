"""A household on a calendar, and a clinic that checks it.

Afi (yearly rhythm) joins on 2 June 2025 with her spouse Komla and two children: Koffi,
born 1 March 2004, in school, and Ama, born 1 August 2004, not in school. She pays
102 000 F on 10 June 2025: a year of cover, 10/06/2025 to 09/06/2026, with a 90-day
waiting period ("délai de carence") to 8 September 2025. Nothing more: grace from
10 June 2026, suspended on 10 August 2026 (two whole unpaid months).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from gateway import clock
from gateway.services.facilities import add_facility
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.factories import child, spouse
from tests.gateway.payment_helpers import confirmed_payment, join, lome

CLINIC_PHONE = "+22890000077"
AFI_PHONE = "+22890000061"


@dataclass(frozen=True)
class Household:
    member_id: int
    amu_number: str

    def number(self, rank: int) -> str:
        return f"{self.amu_number}-{rank:02d}"


@dataclass(frozen=True)
class Clinic:
    id: int
    api_key: str
    phone: str


@pytest.fixture
def afi(runtime) -> Household:
    services = GatewayMenuServices(runtime)
    with clock.travel_to(lome(date(2025, 6, 2), 9)):
        member = join(runtime, phone=AFI_PHONE, full_name="Afi Test-Koffi", rhythm="yearly", rhythm_weekday=None)
        services.add_dependent(member.id, spouse("Komla Test", date(1985, 1, 1)))
        services.add_dependent(member.id, child("Koffi Test", date(2004, 3, 1), in_school=True))
        services.add_dependent(member.id, child("Ama Test", date(2004, 8, 1), sex="F"))
    confirmed_payment(runtime, member.id, 102_000, date(2025, 6, 10))
    return Household(member.id, member.amu_number)


@pytest.fixture
def clinic(runtime) -> Clinic:
    with runtime.db.begin() as session:
        issued = add_facility(session, "Clinique de la Paix", "clinic", "grand_lome", [CLINIC_PHONE])
    return Clinic(issued.facility_id, issued.api_key, CLINIC_PHONE)
