"""Who is covered on which day: Afi's household on a calendar (see conftest), each answer
with its reason and the date that matters, through `eligibility()` itself."""
from datetime import date, datetime, timezone

import pytest

from gateway import clock
from gateway.models import Dependent, Member
from gateway.services.eligibility import (
    DayOutOfRange, InvalidBeneficiary, eligibility, parse_beneficiary,
)
from tests.gateway.payment_helpers import confirmed_payment, join, lome


def answers_on(runtime, member_id: int, day: date) -> dict[str, tuple]:
    """{relation or name: (covered, reason, date that matters)} on `day`, asked that day."""
    with clock.travel_to(lome(day, 9)), runtime.db() as session:
        found = eligibility(session, session.get(Member, member_id), day)
        return {a.person.full_name.split()[0]: (a.covered, a.reason, a.key_date) for a in found.answers}


def test_in_the_waiting_period_nobody_is_covered_and_care_starts_on_8_september(runtime, afi):
    assert answers_on(runtime, afi.member_id, date(2025, 7, 1)) == {
        "Afi": (False, "waiting", date(2025, 9, 8)),
        "Komla": (False, "waiting", date(2025, 9, 8)),
        "Koffi": (False, "waiting", date(2025, 9, 8)),
        "Ama": (False, "waiting", date(2025, 9, 8)),
    }


def test_the_day_the_waiting_period_ends_care_is_paid(runtime, afi):
    assert answers_on(runtime, afi.member_id, date(2025, 9, 7))["Afi"] == (False, "waiting", date(2025, 9, 8))
    assert answers_on(runtime, afi.member_id, date(2025, 9, 8))["Afi"] == (True, "active", date(2026, 6, 9))


def test_active_the_spouse_is_covered_the_child_in_school_too_the_child_of_21_not(runtime, afi):
    assert answers_on(runtime, afi.member_id, date(2025, 10, 1)) == {
        "Afi": (True, "active", date(2026, 6, 9)),
        "Komla": (True, "active", date(2026, 6, 9)),  # a spouse has no age limit
        "Koffi": (True, "active", date(2026, 6, 9)),  # 21, in school: covered to 26
        "Ama": (False, "age_limit", date(2025, 8, 1)),  # 21 on 1 August 2025, not in school
    }


def test_in_grace_a_child_of_22_in_school_is_covered_and_one_not_in_school_is_not(runtime, afi):
    # 5 August 2026: cover ended 9 June, suspension on 10 August; both children are 22
    assert answers_on(runtime, afi.member_id, date(2026, 8, 5)) == {
        "Afi": (True, "grace", date(2026, 8, 10)),
        "Komla": (True, "grace", date(2026, 8, 10)),
        "Koffi": (True, "grace", date(2026, 8, 10)),
        "Ama": (False, "age_limit", date(2025, 8, 1)),
    }


def test_suspended_after_two_unpaid_months_with_the_price_and_the_new_waiting_period(runtime, afi):
    day = date(2026, 9, 1)
    assert answers_on(runtime, afi.member_id, day)["Afi"] == (False, "suspended", date(2026, 8, 10))
    with clock.travel_to(lome(day)), runtime.db() as session:
        found = eligibility(session, session.get(Member, afi.member_id), day)
    assert (found.state, found.resume_price, found.waiting_days) == ("suspended", 102_000, 90)


def test_the_period_paid_for_ends_the_day_before_a_child_reaches_the_age_limit(runtime, afi):
    with clock.travel_to(lome(date(2025, 10, 1))), runtime.db() as session:
        found = eligibility(session, session.get(Member, afi.member_id), date(2025, 10, 1))
    periods = {a.person.full_name.split()[0]: a.period for a in found.answers}
    assert periods["Afi"] == (date(2025, 9, 8), date(2026, 6, 9))
    assert periods["Koffi"] == (date(2025, 9, 8), date(2026, 6, 9))  # 26 only in 2030
    assert periods["Ama"] is None


def test_a_member_who_joined_and_paid_nothing_is_told_what_to_pay(runtime):
    with clock.travel_to(lome(date(2025, 6, 2))):
        member = join(runtime, phone="+22890000062", rhythm="monthly", rhythm_weekday=None)
    with clock.travel_to(lome(date(2025, 6, 3))), runtime.db() as session:
        found = eligibility(session, session.get(Member, member.id), date(2025, 6, 3))
    assert (found.answers[0].covered, found.answers[0].reason) == (False, "pending")
    assert (found.resume_price, found.waiting_days) == (10_000, 90)


def test_a_past_day_is_judged_by_the_stint_it_fell_in_not_the_last_one(runtime):
    """Covered in 2025, suspended, back in 2026 with a new waiting period: a claim for
    care in 2025 was covered, one in the gap was not, one in the new stint waits."""
    with clock.travel_to(lome(date(2025, 1, 2))):
        member = join(runtime, phone="+22890000063", rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, member.id, 60_000, date(2025, 1, 2))  # 2 Jan - 1 Jul 2025, care from 2 April
    confirmed_payment(runtime, member.id, 10_000, date(2025, 10, 1))  # suspended since 2 Sept; new stint
    with clock.travel_to(lome(date(2025, 10, 2))), runtime.db() as session:
        afi = session.get(Member, member.id)
        on = {day: (a.covered, a.reason, a.key_date) for day in (date(2025, 5, 1), date(2025, 9, 15), date(2025, 10, 2))
              for a in [eligibility(session, afi, day).answers[0]]}
    assert on == {
        date(2025, 5, 1): (True, "active", date(2025, 7, 1)),
        date(2025, 9, 15): (False, "suspended", date(2025, 9, 2)),
        date(2025, 10, 2): (False, "waiting", date(2025, 12, 30)),
    }


def test_in_grace_before_the_waiting_period_ended_care_is_not_paid(runtime):
    """One month bought, the 90-day wait runs past it: in grace but not yet covered."""
    with clock.travel_to(lome(date(2025, 3, 2))):
        member = join(runtime, phone="+22890000064", rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, member.id, 10_000, date(2025, 3, 2))  # 2 March - 1 April; care from 31 May
    assert answers_on(runtime, member.id, date(2025, 4, 15))["Afi"] == (False, "waiting", date(2025, 5, 31))


def test_a_dependant_added_after_the_day_or_removed_before_it_was_not_in_the_household(runtime, afi):
    with runtime.db.begin() as session:
        komla = session.query(Dependent).filter_by(member_id=afi.member_id, relation="spouse").one()
        komla.removed_at = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with clock.travel_to(lome(date(2026, 2, 1))), runtime.db() as session:
        member = session.get(Member, afi.member_id)
        assert [a.person.rank for a in eligibility(session, member, date(2026, 2, 1)).answers] == [0, 2, 3]
        removed = eligibility(session, member, date(2026, 2, 1)).answer_for(1)
        assert (removed.covered, removed.reason) == (False, "not_in_household")
        before_joining = eligibility(session, member, date(2025, 5, 1))
        assert [a.person.rank for a in before_joining.answers] == [0]
        assert eligibility(session, member, date(2025, 12, 1)).answer_for(1).reason == "active"
        assert eligibility(session, member, date(2026, 2, 1)).answer_for(9) is None


def test_a_day_before_the_schemes_first_rules_has_no_answer(runtime, afi):
    with runtime.db() as session, pytest.raises(DayOutOfRange):
        eligibility(session, session.get(Member, afi.member_id), date(2023, 12, 31))


VALID = "1234567890"  # nine digits and their Verhoeff check digit


@pytest.mark.parametrize("text, parsed", [
    (VALID, (VALID, 0)), (f"{VALID}-02", (VALID, 2)), (f" {VALID[:5]} {VALID[5:]}-00 ", (VALID, 0)),
])
def test_beneficiary_numbers_are_the_amu_number_and_a_rank(text, parsed):
    assert parse_beneficiary(text) == parsed


@pytest.mark.parametrize("text", ["", "12345", f"{VALID}-1", f"{VALID}-001", f"{VALID}-ab", "1234567891", "abc"])
def test_anything_else_is_not_a_beneficiary_number(text):
    with pytest.raises(InvalidBeneficiary):
        parse_beneficiary(text)
