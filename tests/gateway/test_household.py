from datetime import date

import pytest

from gateway import clock
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.factories import child, enrolment, spouse
from ussd_menus.services import Refused


@pytest.fixture
def services(runtime):
    return GatewayMenuServices(runtime)


@pytest.fixture
def member(services):
    return services.enrol(enrolment())


def years_ago(years: int, extra_days: int = 0) -> date:
    today = clock.local_date()
    return date(today.year - years, today.month, 1 if today.day > 1 else today.day)


def refusal(call) -> tuple[str, dict]:
    with pytest.raises(Refused) as refused:
        call()
    return refused.value.reason, refused.value.params


def test_a_spouse_and_four_children_are_covered_at_the_base_price(services, member):
    services.add_dependent(member.id, spouse())
    for n in range(4):
        services.add_dependent(member.id, child(f"Enfant Test {n}"))
    rights = services.rights(member.id)
    assert [d.relation for d in rights.household] == ["spouse"] + ["child"] * 4
    assert rights.period_price == 10000


def test_a_fifth_child_costs_the_supplement_and_the_ceiling_is_explained(services, member):
    for n in range(5):
        services.add_dependent(member.id, child(f"Enfant Test {n}"))
    assert services.rights(member.id).period_price == 10000 + 1000
    for n in range(5, 10):
        services.add_dependent(member.id, child(f"Enfant Test {n}"))
    assert services.rights(member.id).period_price == 10000 + 6 * 1000
    assert refusal(lambda: services.add_dependent(member.id, child("Enfant Test 10"))) == (
        "household.child_limit", {"limit": 10},
    )


def test_a_second_spouse_pays_the_spouse_supplement(services, member):
    services.add_dependent(member.id, spouse("Conjoint Un"))
    services.add_dependent(member.id, spouse("Conjoint Deux"))
    assert services.rights(member.id).period_price == 10000 + 2500


def test_children_over_the_age_limit_need_to_be_in_school_and_under_26(services, member):
    assert refusal(lambda: services.add_dependent(member.id, child(born=years_ago(22)))) == (
        "household.child_too_old_school", {"limit": 21, "school_limit": 26},
    )
    services.add_dependent(member.id, child(born=years_ago(22), in_school=True))
    assert refusal(lambda: services.add_dependent(member.id, child("Autre Test", born=years_ago(27), in_school=True))) == (
        "household.child_too_old", {"limit": 26},
    )


def test_the_same_person_is_not_listed_twice(services, member):
    services.add_dependent(member.id, child("Kodjo Test"))
    assert refusal(lambda: services.add_dependent(member.id, child("kodjo  test")))[0] == "household.already_listed"


def test_household_limits_come_from_the_rules(services, member):
    limits = services.household_limits(member.id)
    assert (limits.max_spouses, limits.max_children, limits.extra_child_monthly) == (1, 4, 1000)


def rows(runtime, member_id: int) -> list[tuple]:
    from sqlalchemy import select

    from gateway.models import Dependent

    with runtime.db() as session:
        found = session.scalars(select(Dependent).where(Dependent.member_id == member_id).order_by(Dependent.id))
        return [(d.id, d.full_name, d.birth_date, d.removal, d.corrects_id, d.removed_at is not None) for d in found]


def test_a_correction_keeps_the_row_before_dated_and_names_it(services, member, runtime):
    kodjo = services.add_dependent(member.id, child("Kodjo Tst", born=date(2015, 5, 1)))
    fixed = services.correct_dependent(member.id, kodjo.id, full_name="Kodjo Test")
    refixed = services.correct_dependent(member.id, fixed.id, birth_date=date(2015, 6, 1))
    assert rows(runtime, member.id) == [
        (kodjo.id, "Kodjo Tst", date(2015, 5, 1), "corrected", None, True),
        (fixed.id, "Kodjo Test", date(2015, 5, 1), "corrected", kodjo.id, True),
        (refixed.id, "Kodjo Test", date(2015, 6, 1), None, fixed.id, False),
    ]
    assert [d.full_name for d in services.household(member.id)] == ["Kodjo Test"]


def test_a_correction_is_refused_by_the_same_rules(services, member):
    kodjo = services.add_dependent(member.id, child("Kodjo Test"))
    assert refusal(lambda: services.correct_dependent(member.id, kodjo.id, birth_date=years_ago(30)))[0] == (
        "household.child_too_old")
    services.add_dependent(member.id, child("Yawa Test", born=date(2016, 1, 1)))
    assert refusal(lambda: services.correct_dependent(member.id, kodjo.id, full_name="yawa test",
                                                      birth_date=date(2016, 1, 1)))[0] == "household.already_listed"


def test_removing_dates_the_row_and_an_extra_child_takes_the_freed_place(services, member, runtime):
    children = [services.add_dependent(member.id, child(f"Enfant Test {n}")) for n in range(5)]
    assert services.rights(member.id).period_price == 11_000  # the fifth child is an extra
    left_on = services.remove_dependent(member.id, children[0].id)
    assert left_on == clock.local_date()
    assert services.rights(member.id).period_price == 10_000  # four children: no supplement any more
    assert rows(runtime, member.id)[0][3:] == ("removed", None, True)
    assert refusal(lambda: services.remove_dependent(member.id, children[0].id))[0] == "household.gone"
