"""Worked examples, in the words of docs/scheme.md: exact days and francs for a market seller,
a cotton grower, a member who comes back after a suspension and a price change.

Every payment goes through the real services (confirmed_payment); the daily jobs run on
the days the story needs them, with the gateway's clock moved there (clock.travel_to).
"""
from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from gateway import clock
from gateway.jobs.daily import generate_dues, send_reminders, sync_states
from gateway.ledger_check import check_ledger
from gateway.models import CoveragePeriod, Due, Reminder
from gateway.services.dues import standing
from gateway.services.membership import history
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.contribution_scenarios import add_rules, drop_added_rules, rules_version
from tests.gateway.payment_helpers import confirmed_payment, credit, join, lome, texts


def days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def morning_jobs(day: date) -> None:
    """What the worker does each morning: the week's dues (04:00), states (05:00)."""
    with clock.travel_to(lome(day, 4)):
        generate_dues()
    with clock.travel_to(lome(day, 5)):
        sync_states()


def rights_on(runtime, member_id: int, day: date):
    """`Mes droits` as the member sees it that evening."""
    with clock.travel_to(lome(day, 20)):
        return GatewayMenuServices(runtime).rights(member_id)


def standing_on(runtime, member_id: int, day: date):
    with runtime.db() as session:
        return standing(session, member_id, day)


def periods(runtime, member_id: int) -> list[tuple[date, date, int]]:
    with runtime.db() as session:
        return [(p.starts_on, p.ends_on, p.price) for p in session.scalars(
            select(CoveragePeriod).where(CoveragePeriod.member_id == member_id).order_by(CoveragePeriod.starts_on))]


def state_history(runtime, member_id: int) -> list[tuple[str, datetime]]:
    with runtime.db() as session:
        return [(e.state, e.effective_at.astimezone(clock.LOME)) for e in history(session, member_id)]


def midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clock.LOME)


def ledger_is_clean(runtime) -> bool:
    with runtime.db() as session:
        return check_ledger(session)[1] == []


# --- a market seller who pays 500 F a day ------------------------------------------------


def test_a_market_seller_paying_500_f_a_day(runtime):
    """Ama sells vegetables at Lomé's grand marché and pays 500 F every evening. Her
    household's month costs 10 000 F, so her 20th payment buys her first month, from
    that day; meanwhile each receipt shows what she has saved."""
    with clock.travel_to(lome(date(2026, 3, 2), 8)):
        ama = join(runtime, phone="+22890000051", full_name="Ama Test", rhythm="daily", rhythm_weekday=None,
                   occupation="trader", region="grand_lome")
    for day in days(date(2026, 3, 2), date(2026, 3, 10)):
        confirmed_payment(runtime, ama.id, 500, day)
    assert credit(runtime, ama.id) == 4_500
    assert texts(runtime, "receipt_saving")[-1].endswith(
        "Épargne: 4 500 F, encore 5 500 F pour le mois suivant. Menu *858#")
    assert rights_on(runtime, ama.id, date(2026, 3, 10)).state == "pending"

    # Her dues: 10 000 F over March's 31 days (322 or 323 F a day) from the day she
    # joined: 2 to 10 March is 2 903 F; she paid 4 500 F, 1 597 F ahead.
    morning_jobs(date(2026, 3, 10))
    ahead = standing_on(runtime, ama.id, date(2026, 3, 10))
    assert (ahead.due, ahead.paid, ahead.arrears, ahead.advance) == (2_903, 4_500, 0, 1_597)
    assert (ahead.next_due, ahead.next_amount) == (date(2026, 3, 11), 323)

    for day in days(date(2026, 3, 11), date(2026, 3, 21)):
        confirmed_payment(runtime, ama.id, 500, day)
    # 21 March: 20 x 500 F = 10 000 F buys 21 March - 20 April; the 90-day wait runs to 19 June.
    assert periods(runtime, ama.id) == [(date(2026, 3, 21), date(2026, 4, 20), 10_000)]
    first_month = rights_on(runtime, ama.id, date(2026, 3, 21))
    assert (first_month.state, first_month.covered_until, first_month.waiting_ends, first_month.credit) == (
        "waiting", date(2026, 4, 20), date(2026, 6, 19), 0)
    assert texts(runtime, "receipt_covered")[-1].startswith("AMU Togo: 500 F payés le 21/03/2026")
    # in the waiting period the receipt says until when she paid and from when care is paid, not "covered"
    assert "Payé jusqu'au 20/04/2026, soins pris en charge dès le 19/06/2026." in texts(runtime, "receipt_covered")[-1]

    for day in days(date(2026, 3, 22), date(2026, 3, 31)):
        confirmed_payment(runtime, ama.id, 500, day)
    assert credit(runtime, ama.id) == 5_000  # saved toward her second month

    # She falls ill and pays nothing in April. March's dues (9 678 F from the 2nd) are paid,
    # April's 10 000 F (333 or 334 F a day) are paid up to the 15th by what is left.
    for day in (date(2026, 4, 15), date(2026, 4, 21), date(2026, 4, 30)):
        morning_jobs(day)
    behind = standing_on(runtime, ama.id, date(2026, 4, 30))
    assert (behind.due, behind.paid, behind.arrears, behind.oldest_unpaid) == (19_678, 15_000, 4_678, date(2026, 4, 16))
    # Her month ended on 20 April: grace from the 21st, still covered; still in her waiting
    # period for care until 19 June; suspended on 21 June if nothing comes.
    ill = rights_on(runtime, ama.id, date(2026, 4, 30))
    assert (ill.state, ill.covered_until, ill.waiting_ends, ill.credit) == ("grace", date(2026, 4, 20), date(2026, 6, 19), 5_000)

    # Back at the market on 1 May, 500 F a day: on 10 May her savings reach 10 000 F and
    # buy the month she missed (21 April - 20 May), so her cover has no hole.
    for day in days(date(2026, 5, 1), date(2026, 5, 10)):
        confirmed_payment(runtime, ama.id, 500, day)
    assert periods(runtime, ama.id)[-1] == (date(2026, 4, 21), date(2026, 5, 20), 10_000)
    back = rights_on(runtime, ama.id, date(2026, 5, 10))
    assert (back.state, back.covered_until, back.waiting_ends, back.credit) == ("waiting", date(2026, 5, 20), date(2026, 6, 19), 0)
    assert [s for s, _at in state_history(runtime, ama.id)] == ["pending", "waiting", "grace", "waiting"]
    assert state_history(runtime, ama.id)[2] == ("grace", midnight(date(2026, 4, 21)))
    morning_jobs(date(2026, 5, 10))
    caught_up = standing_on(runtime, ama.id, date(2026, 5, 10))
    # May's dues to the 10th: 10 000 x 10 // 31 = 3 225 F, so 22 903 F due since she joined
    # against 20 000 F paid: March and April are settled, and 1 May's 322 F; 2 May is not.
    assert (caught_up.due, caught_up.paid, caught_up.arrears, caught_up.oldest_unpaid) == (
        22_903, 20_000, 2_903, date(2026, 5, 2))
    assert ledger_is_clean(runtime)


# --- a cotton grower who pays at harvest --------------------------------------------------


def test_a_cotton_grower_pays_a_year_at_harvest(runtime):
    """Yao grows cotton in the Savanes and is paid for his crop from December to February.
    In January he pays 102 000 F: a year of cover at the yearly price (15% off 12 months),
    then no reminder until the next harvest."""
    with clock.travel_to(lome(date(2026, 1, 2), 9)):
        yao = join(runtime, phone="+22890000052", full_name="Yao Test", sex="M", rhythm="seasonal",
                   rhythm_weekday=None, rhythm_months=(12, 1, 2), occupation="farmer", region="savanes")
    confirmed_payment(runtime, yao.id, 102_000, date(2026, 1, 15))

    assert 102_000 == 12 * 10_000 * 85 // 100
    assert periods(runtime, yao.id) == [(date(2026, 1, 15), date(2027, 1, 14), 102_000)]
    paid = rights_on(runtime, yao.id, date(2026, 1, 15))
    assert (paid.state, paid.covered_until, paid.waiting_ends, paid.credit, paid.period_label) == (
        "waiting", date(2027, 1, 14), date(2026, 4, 15), 0, "yearly")  # 90 days after 15 January
    assert "Payé jusqu'au 14/01/2027, soins pris en charge dès le 15/04/2026." in texts(runtime, "receipt_covered")[-1]
    assert rights_on(runtime, yao.id, date(2026, 4, 14)).state == "waiting"
    assert rights_on(runtime, yao.id, date(2026, 4, 15)).state == "active"
    assert rights_on(runtime, yao.id, date(2027, 1, 14)).state == "active"
    assert rights_on(runtime, yao.id, date(2027, 1, 15)).state == "grace"

    # His dues are a third of the yearly price on the 1st of each harvest month, none
    # between: the evening reminder round (a due is announced the evening before) finds
    # nothing to say to him from March to November, and nothing in the harvest either,
    # as his payment is ahead of his dues. The round runs on each month's last day and
    # mid-month: every evening would say the same, only slower (generate_dues rescans
    # every day since his last due, with a rules query per day).
    evenings = sorted({date(2026, m, 1) - timedelta(days=1) for m in range(2, 13)} | {date(2026, 12, 31)}
                      | {date(2026, m, 15) for m in range(1, 13)})
    for day in evenings:
        with clock.travel_to(lome(day, 18)):
            generate_dues()
            send_reminders()
    with runtime.db() as session:
        dues = list(session.execute(select(Due.due_on, Due.amount).where(Due.member_id == yao.id).order_by(Due.due_on)))
        reminded = list(session.scalars(select(Reminder.kind).where(Reminder.member_id == yao.id)))
    assert [(d, a) for d, a in dues if d <= date(2027, 1, 1)] == [
        (date(2026, 2, 1), 34_000), (date(2026, 12, 1), 34_000), (date(2027, 1, 1), 34_000)]
    assert reminded == []
    in_season = standing_on(runtime, yao.id, date(2026, 12, 31))
    assert (in_season.due, in_season.paid, in_season.advance, in_season.next_due) == (68_000, 102_000, 34_000, date(2027, 1, 1))
    assert ledger_is_clean(runtime)


# --- suspended, then back ----------------------------------------------------------------


def test_a_member_suspended_after_two_unpaid_months_comes_back_through_a_new_waiting_period(runtime):
    """Kossi, a moto-taxi driver, pays four months at once in January, then nothing:
    active after his waiting period, in grace when his cover ends, suspended two months
    later. When he pays again in August his cover restarts from that payment, with a new
    90-day waiting period; the months he did not pay are not charged."""
    with clock.travel_to(lome(date(2026, 1, 5), 9)):
        kossi = join(runtime, phone="+22890000053", full_name="Kossi Test", sex="M", rhythm="monthly",
                     rhythm_weekday=None, occupation="moto_taxi", region="plateaux")
    confirmed_payment(runtime, kossi.id, 40_000, date(2026, 1, 5))
    assert periods(runtime, kossi.id) == [
        (date(2026, 1, 5), date(2026, 2, 4), 10_000), (date(2026, 2, 5), date(2026, 3, 4), 10_000),
        (date(2026, 3, 5), date(2026, 4, 4), 10_000), (date(2026, 4, 5), date(2026, 5, 4), 10_000)]

    for day in (date(2026, 4, 10), date(2026, 5, 10), date(2026, 6, 28)):  # the daily job, on some days
        morning_jobs(day)
    with clock.travel_to(lome(date(2026, 6, 28), 18)):  # a week before: the warning
        assert send_reminders() == 1
    assert texts(runtime, "reminder_suspension_soon") == [  # and the new waiting period that would follow
        "AMU Togo: sans paiement, droits suspendus le 05/07/2026, puis délai de carence de 90 jours à la reprise. "
        "Payez par *858#."]
    before = rights_on(runtime, kossi.id, date(2026, 7, 4))
    assert (before.state, before.covered_until) == ("grace", date(2026, 5, 4))
    morning_jobs(date(2026, 7, 5))
    suspended = rights_on(runtime, kossi.id, date(2026, 7, 5))
    assert (suspended.state, suspended.suspended_since) == ("suspended", date(2026, 7, 5))
    morning_jobs(date(2026, 8, 1))

    confirmed_payment(runtime, kossi.id, 10_000, date(2026, 8, 20))
    assert periods(runtime, kossi.id)[-1] == (date(2026, 8, 20), date(2026, 9, 19), 10_000)
    back = rights_on(runtime, kossi.id, date(2026, 8, 20))
    assert (back.state, back.covered_until, back.waiting_ends, back.credit) == (
        "waiting", date(2026, 9, 19), date(2026, 11, 18), 0)
    assert state_history(runtime, kossi.id) == [
        ("pending", lome(date(2026, 1, 5), 9)),
        ("waiting", lome(date(2026, 1, 5), 10)),  # his first payment, the day he joined
        ("active", midnight(date(2026, 4, 5))),  # 90 days after 5 January
        ("grace", midnight(date(2026, 5, 5))),  # the day after his cover ended
        ("suspended", midnight(date(2026, 7, 5))),  # two months after 4 May
        ("waiting", lome(date(2026, 8, 20), 10)),  # the new stint starts with the payment
    ]
    assert ledger_is_clean(runtime)


# --- a price change in the middle of the year --------------------------------------------


@pytest.fixture
def dearer_from_july(runtime):
    """A new rule version: the month costs 11 000 F from 1 July 2026 (announced in May)."""
    add_rules(runtime, rules_version(date(2026, 7, 1), monthly_price=11_000))
    yield
    drop_added_rules(runtime)


def test_a_price_change_applies_from_its_date_to_cover_and_dues(runtime, dearer_from_july):
    """From 1 July 2026 the month costs 11 000 F. Afi pays 21 000 F on 1 June: June at
    10 000 F and July, bought in June, at July's 11 000 F. Her dues follow the same dates."""
    with clock.travel_to(lome(date(2026, 6, 1), 8)):
        afi = join(runtime, phone="+22890000054", rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, afi.id, 21_000, date(2026, 6, 1))
    assert periods(runtime, afi.id) == [
        (date(2026, 6, 1), date(2026, 6, 30), 10_000), (date(2026, 7, 1), date(2026, 7, 31), 11_000)]
    assert credit(runtime, afi.id) == 0
    for day in (date(2026, 6, 25), date(2026, 7, 25)):
        morning_jobs(day)
    with runtime.db() as session:
        dues = list(session.execute(select(Due.due_on, Due.amount).where(Due.member_id == afi.id).order_by(Due.due_on)))
    assert dues == [(date(2026, 6, 1), 10_000), (date(2026, 7, 1), 11_000), (date(2026, 8, 1), 11_000)]
    july = standing_on(runtime, afi.id, date(2026, 7, 31))
    assert (july.due, july.paid, july.arrears, july.next_due, july.next_amount) == (21_000, 21_000, 0, date(2026, 8, 1), 11_000)
    assert rights_on(runtime, afi.id, date(2026, 7, 1)).period_price == 11_000
    assert ledger_is_clean(runtime)


def test_a_month_that_starts_after_a_price_rise_is_not_bought_at_the_old_price(runtime, dearer_from_july):
    """Kodjo pays 10 000 F on 1 June and again on 20 June: June is bought, but July costs
    11 000 F, so his 10 000 F waits as savings until he adds 1 000 F on 1 July."""
    with clock.travel_to(lome(date(2026, 6, 1), 8)):
        kodjo = join(runtime, phone="+22890000055", full_name="Kodjo Test", sex="M", rhythm="monthly",
                     rhythm_weekday=None)
    confirmed_payment(runtime, kodjo.id, 10_000, date(2026, 6, 1))
    confirmed_payment(runtime, kodjo.id, 10_000, date(2026, 6, 20))
    assert periods(runtime, kodjo.id) == [(date(2026, 6, 1), date(2026, 6, 30), 10_000)]
    assert credit(runtime, kodjo.id) == 10_000
    confirmed_payment(runtime, kodjo.id, 1_000, date(2026, 7, 1))
    assert periods(runtime, kodjo.id)[-1] == (date(2026, 7, 1), date(2026, 7, 31), 11_000)
    assert credit(runtime, kodjo.id) == 0
    assert ledger_is_clean(runtime)


def test_after_a_price_rise_mes_droits_says_what_the_next_month_still_needs(runtime, dearer_from_july):
    """On 20 June Kodjo is covered to 30 June and has 10 000 F saved; July, his next month,
    costs 11 000 F. `Mes droits` says 1 000 F more buys it, not that July is paid."""
    with clock.travel_to(lome(date(2026, 6, 1), 8)):
        kodjo = join(runtime, phone="+22890000055", full_name="Kodjo Test", sex="M", rhythm="monthly",
                     rhythm_weekday=None)
    confirmed_payment(runtime, kodjo.id, 10_000, date(2026, 6, 1))
    confirmed_payment(runtime, kodjo.id, 10_000, date(2026, 6, 20))
    assert credit(runtime, kodjo.id) == 10_000 and len(periods(runtime, kodjo.id)) == 1
    assert rights_on(runtime, kodjo.id, date(2026, 6, 20)).to_next_period == 1_000


def test_a_receipt_in_grace_after_a_price_rise_asks_for_the_old_price_of_the_month_owed(runtime, dearer_from_july):
    """Covered to 31 May, Esi pays 9 000 F on 5 July (in grace): the month her money buys
    next is June, at June's 10 000 F, so 1 000 F more is needed, not 2 000 F."""
    with clock.travel_to(lome(date(2026, 5, 1), 8)):
        esi = join(runtime, phone="+22890000056", full_name="Esi Test", rhythm="monthly", rhythm_weekday=None)
    confirmed_payment(runtime, esi.id, 10_000, date(2026, 5, 1))
    confirmed_payment(runtime, esi.id, 9_000, date(2026, 7, 5))
    assert rights_on(runtime, esi.id, date(2026, 7, 5)).state == "grace"
    assert texts(runtime, "receipt_saving")[-1].endswith("Épargne: 9 000 F, encore 1 000 F pour le mois suivant. Menu *858#")
    confirmed_payment(runtime, esi.id, 1_000, date(2026, 7, 6))  # and 1 000 F does buy June
    assert periods(runtime, esi.id)[-1] == (date(2026, 6, 1), date(2026, 6, 30), 10_000)
