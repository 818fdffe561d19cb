"""An in-memory MenuServices, with the rules a real one enforces kept simple."""
from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date

from ussd_menus.services import (
    DependentRequest, DependentView, EnrolmentRequest, HouseholdLimits, MemberView, Option,
    ReferenceLists, Refused, RightsView,
)

TODAY = date(2025, 6, 15)


def _options(*rows: tuple[str, str, str]) -> list[Option]:
    return [Option(code, {"fr": fr, "en": en}) for code, fr, en in rows]


REFERENCE = ReferenceLists(
    occupations=_options(
        ("trader", "Commerçant(e)", "Trader"),
        ("farmer", "Agriculteur", "Farmer"),
        ("artisan", "Artisan", "Craftsperson"),
        ("moto_taxi", "Conducteur de taxi-moto", "Motorbike taxi driver"),
        ("tailor", "Couturier(ère)", "Tailor"),
        ("hairdresser", "Coiffeur(se)", "Hairdresser"),
        ("livestock", "Éleveur", "Livestock farmer"),
        ("fisher", "Pêcheur, mareyeuse", "Fisher, fish trader"),
        ("food_seller", "Vendeuse de nourriture", "Food seller"),
        ("mechanic", "Mécanicien", "Mechanic"),
        ("builder", "Maçon, ouvrier du bâtiment", "Builder"),
        ("domestic", "Employé(e) de maison", "Domestic worker"),
        ("other", "Autre métier", "Other trade"),
    ),
    regions=_options(
        ("grand_lome", "Grand Lomé", "Greater Lomé"),
        ("maritime", "Maritime", "Maritime"),
        ("plateaux", "Plateaux", "Plateaux"),
        ("centrale", "Centrale", "Central"),
        ("kara", "Kara", "Kara"),
        ("savanes", "Savanes", "Savanes"),
    ),
    rhythms=_options(
        ("daily", "Chaque jour", "Every day"),
        ("weekly", "Chaque jour de marché", "Every market day"),
        ("monthly", "Chaque mois", "Every month"),
        ("quarterly", "Chaque trimestre", "Every quarter"),
        ("half_yearly", "Chaque semestre", "Every half-year"),
        ("yearly", "Chaque année", "Every year"),
        ("seasonal", "À la récolte", "At harvest"),
    ),
)

LIMITS = HouseholdLimits(
    max_spouses=1, max_children=4, child_age_limit=21, child_age_limit_in_school=26,
    extra_spouse_monthly=2500, extra_child_monthly=1000,
)


def rights(state: str = "active", **changes) -> RightsView:
    """A RightsView with plausible defaults for `state`."""
    defaults = dict(
        state=state, covered_until=None, waiting_ends=None, suspended_since=None, credit=0,
        period_price=10000, period_label="monthly", coverage_rate=80,
    )
    defaults.update({
        "waiting": {"covered_until": date(2025, 9, 30), "waiting_ends": date(2025, 8, 12)},
        "active": {"covered_until": date(2025, 7, 31)},
        "grace": {"covered_until": date(2025, 6, 1)},
        "suspended": {"suspended_since": date(2025, 4, 1)},
    }.get(state, {}))
    defaults.update(changes)
    return RightsView(**defaults)


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
        self.max_extra_spouses, self.max_extra_children = 3, 6
        self.calls: list[str] = []

    def fork(self) -> "FakeServices":
        """An independent copy (the shared reference lists are immutable)."""
        twin = copy.copy(self)
        for name in ("members", "languages", "rights_views", "dependents", "enrolments", "calls"):
            setattr(twin, name, copy.deepcopy(getattr(self, name)))
        return twin

    # set-up helpers
    def add_member(self, phone: str, full_name: str = "Kossi Mensah", language: str = "fr",
                   state: RightsView | None = None, dependents: list[DependentView] = ()) -> MemberView:
        member = MemberView(
            id=len(self.members) + 1, amu_number=f"12345678{len(self.members):02d}",
            full_name=full_name, phone=phone, language=language, rhythm="monthly",
        )
        self.members[phone] = member
        self.dependents[member.id] = list(dependents)
        self.rights_views[member.id] = state or rights("pending")
        return member

    # MenuServices
    def member_by_phone(self, phone: str) -> MemberView | None:
        self.calls.append("member_by_phone")
        return self.members.get(phone)

    def phone_language(self, phone: str) -> str | None:
        return self.languages.get(phone)

    def set_language(self, phone: str, language: str) -> None:
        self.languages[phone] = language

    def reference_lists(self) -> ReferenceLists:
        return self.reference

    def enrol(self, request: EnrolmentRequest) -> MemberView:
        if self.refuse_enrolment:
            raise self.refuse_enrolment
        if request.phone in self.members:
            raise Refused("join.already_member")
        self.enrolments.append(request)
        member = self.add_member(request.phone, request.full_name, request.language)
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


def dependent(id: int, relation: str, full_name: str, birth_date: date) -> DependentView:
    return DependentView(id=id, relation=relation, full_name=full_name, birth_date=birth_date)
