"""Small builders for service-level tests. Phones are clearly fake: +228 90 00 0x xx."""
from __future__ import annotations

from datetime import date

from ussd_menus.services import DependentRequest, EnrolmentRequest


def enrolment(phone: str = "+22890000001", **overrides) -> EnrolmentRequest:
    values = dict(
        phone=phone,
        network="yas",
        language="fr",
        full_name="Afi Test-Koffi",
        birth_date=date(1988, 3, 14),
        sex="F",
        occupation="trader",
        region="maritime",
        rhythm="weekly",
        rhythm_weekday=5,
    )
    values.update(overrides)
    return EnrolmentRequest(**values)


def child(name: str = "Kodjo Test", born: date = date(2015, 5, 1), **overrides) -> DependentRequest:
    return DependentRequest(relation="child", full_name=name, birth_date=born, sex=overrides.pop("sex", "M"), **overrides)


def spouse(name: str = "Komla Test", born: date = date(1985, 1, 1)) -> DependentRequest:
    return DependentRequest(relation="spouse", full_name=name, birth_date=born, sex="M")
