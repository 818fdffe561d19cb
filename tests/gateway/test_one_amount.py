"""One amount per rhythm (issue 9 item 4): what the Sunday reminder asks a daily payer to
pay on Monday is exactly what the pay screen offers first on Monday, and Mon rythme
gives the same due with the same arrears, named as such ("dont ... de retard")."""
from datetime import date

import pytest

from gateway import clock
from gateway.jobs.daily import generate_dues
from gateway.models import Member
from gateway.money import francs
from gateway.services import reminders
from gateway.services.dues import dues_on
from gateway.rules import rules_on
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.payment_helpers import confirmed_payment, join, lome

SUNDAY, MONDAY = date(2026, 3, 8), date(2026, 3, 9)


def reminder_on(runtime, member_id: int, day: date):
    with clock.travel_to(lome(day, 18)):
        generate_dues()
        with runtime.db() as session:
            return reminders.reminder_for(session, session.get(Member, member_id), day)


def screens_on(runtime, member: Member, day: date):
    """(the pay screen's offer, Mon rythme) as the member sees them that morning."""
    with clock.travel_to(lome(day, 8)):
        generate_dues()
        services = GatewayMenuServices(runtime)
        return services.payment_offer(member.id, member.phone), services.rhythm_of(member.id)


@pytest.mark.parametrize("paid", [0, 1_000])
def test_a_daily_payer_reads_one_amount_on_sunday_evening_and_monday(runtime, paid):
    with clock.travel_to(lome(date(2026, 3, 2), 9)):
        member = join(runtime, phone="+22890000091", rhythm="daily", rhythm_weekday=None)
    if paid:
        confirmed_payment(runtime, member.id, paid, date(2026, 3, 4))
    kind, sms = reminder_on(runtime, member.id, SUNDAY)
    offer, rhythm = screens_on(runtime, member, MONDAY)
    with runtime.db() as session:
        row = session.get(Member, member.id)
        rules = rules_on(session, row.scheme_id, MONDAY)
        monday_due = dues_on(row, MONDAY, rules)
        late = sum(dues_on(row, date(2026, 3, d), rules) for d in range(2, 9)) - paid
    assert kind == "due" and sms["template"] == "reminder_due_arrears"
    assert (sms["amount"], sms["arrears"]) == (francs(monday_due + late), francs(late))
    assert (offer.suggested[0], offer.arrears) == (monday_due + late, late)  # "2 258 F dont 1 935 F de retard"
    assert (rhythm.instalment, rhythm.arrears) == (monday_due, late)  # "Vous cotisez 323 F chaque jour", "Retard"
    assert offer.suggested[0] < 10_000  # not the month: the day's due and what is late


def test_a_market_seller_up_to_date_reads_the_market_days_due_everywhere(runtime):
    with clock.travel_to(lome(date(2026, 3, 2), 9)):
        member = join(runtime, phone="+22890000092", rhythm="weekly", rhythm_weekday=1)  # Tuesdays
    kind, sms = reminder_on(runtime, member.id, date(2026, 3, 2))  # Monday evening, before the 3 March market
    offer, rhythm = screens_on(runtime, member, date(2026, 3, 3))
    assert (kind, sms["template"], sms["amount"]) == ("due", "reminder_due", "2 000 F")  # five Tuesdays in March
    assert (offer.suggested[0], offer.arrears, rhythm.instalment, rhythm.arrears) == (2_000, 0, 2_000, 0)


def test_the_sunday_reminder_text_names_the_arrears(runtime):
    with clock.travel_to(lome(date(2026, 3, 2), 9)):
        member = join(runtime, phone="+22890000093", rhythm="daily", rhythm_weekday=None)
    with clock.travel_to(lome(SUNDAY, 18)):
        generate_dues()
        with runtime.db.begin() as session:
            reminders.remind(session, runtime.queue, session.get(Member, member.id), clock.now())
    from tests.gateway.payment_helpers import texts

    (text,) = texts(runtime, "reminder_due")
    assert text.startswith("AMU Togo: demain lundi 09/03, à payer ") and " de retard. Payez par *858#." in text
