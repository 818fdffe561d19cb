"""Dues follow the member's rhythm on the calendar, and payments pay the oldest first."""
from datetime import date

from config.schemes import load_definitions
from sqlalchemy import delete

from gateway.models import Due, Member
from gateway.services.dues import dues_on, expected_between, generate_dues, share, standing
from tests.gateway.payment_helpers import confirmed_payment, join, lome

RULES = load_definitions()[0].versions[0]


def member(rhythm: str, weekday=None, months=()) -> Member:
    return Member(rhythm=rhythm, rhythm_weekday=weekday, rhythm_months=list(months), dependents=[])


def month_of(m: Member, year: int, month: int) -> list[tuple[date, int]]:
    import calendar

    last = calendar.monthrange(year, month)[1]
    return list(expected_between(m, date(year, month, 1), date(year, month, last), lambda _d: RULES))


def test_shares_are_whole_francs_that_sum_exactly():
    assert [share(10_000, 3, i) for i in range(3)] == [3_333, 3_333, 3_334]
    assert sum(share(10_000, 31, i) for i in range(31)) == 10_000


def test_a_market_day_payer_owes_the_month_over_the_month_s_market_days():
    saturday = member("weekly", weekday=5)
    four = month_of(saturday, 2026, 2)   # February 2026 has 4 Saturdays
    five = month_of(saturday, 2026, 1)   # January 2026 has 5
    assert [a for _d, a in four] == [2_500] * 4
    assert [a for _d, a in five] == [2_000] * 5
    assert all(d.weekday() == 5 for d, _a in four + five)


def test_a_daily_payer_owes_a_thirtieth_or_so_every_day_and_a_month_to_the_franc():
    days = month_of(member("daily"), 2026, 4)
    assert len(days) == 30 and sum(a for _d, a in days) == 10_000 and {a for _d, a in days} == {333, 334}


def test_calendar_rhythms_owe_their_period_on_its_first_day():
    year = list(expected_between(member("quarterly"), date(2026, 1, 1), date(2026, 12, 31), lambda _d: RULES))
    assert year == [(date(2026, m, 1), 28_500) for m in (1, 4, 7, 10)]
    assert dues_on(member("yearly"), date(2026, 1, 1), RULES) == 102_000
    assert dues_on(member("half_yearly"), date(2026, 7, 1), RULES) == 54_000
    assert dues_on(member("monthly"), date(2026, 7, 2), RULES) == 0


def test_a_cotton_grower_owes_the_year_over_the_harvest_months():
    grower = member("seasonal", months=(12, 1, 2))
    year = list(expected_between(grower, date(2026, 1, 1), date(2026, 12, 31), lambda _d: RULES))
    assert year == [(date(2026, 1, 1), 34_000), (date(2026, 2, 1), 34_000), (date(2026, 12, 1), 34_000)]


def test_a_price_change_applies_to_dues_from_its_date():
    dearer = type(RULES).from_json({**RULES.to_json(), "effective_from": "2026-07-01", "monthly_price": 12_000})
    rules_for = lambda day: dearer if day >= dearer.effective_from else RULES  # noqa: E731
    monthly = list(expected_between(member("monthly"), date(2026, 5, 1), date(2026, 8, 1), rules_for))
    assert monthly == [(date(2026, 5, 1), 10_000), (date(2026, 6, 1), 10_000), (date(2026, 7, 1), 12_000),
                       (date(2026, 8, 1), 12_000)]


def test_standing_pays_the_oldest_due_first(runtime):
    joined = join(runtime, rhythm="weekly", rhythm_weekday=2)  # Wednesdays
    with runtime.db.begin() as session:
        m = session.get(Member, joined.id)
        m.joined_at = lome(date(2026, 1, 1))
        session.execute(delete(Due))
        m.dues_until = None
        generate_dues(session, m, date(2026, 2, 28))
    confirmed_payment(runtime, joined.id, 3_000, date(2026, 1, 20))
    with runtime.db() as session:
        place = standing(session, joined.id, date(2026, 1, 31))
    # January 2026 has 4 Wednesdays: 7, 14, 21, 28 -> 2 500 F each
    assert (place.due, place.paid, place.arrears, place.oldest_unpaid) == (10_000, 3_000, 7_000, date(2026, 1, 14))
    assert (place.next_due, place.next_amount) == (date(2026, 2, 4), 2_500)
