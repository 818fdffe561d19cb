"""Mon rythme de cotisation: the rhythm in words, changing it as when joining, SMS reminders."""
import pytest

from ussd_menus.journeys.rhythm import season_order
from ussd_menus.services import Option, ReferenceLists, RhythmView

from .conftest import MEMBER_PHONE
from .fakes import REFERENCE, rhythm_view
from .phone import NAV_EN, NAV_FR, Phone, con, end
from .test_home import HOME_MEMBER_FR
from .test_join import RHYTHMS_FR

OPTIONS_FR = ("1. Changer de rythme", "2. Stopper les rappels SMS", *NAV_FR)
OPTIONS_EN = ("1. Change rhythm", "2. Stop SMS reminders", *NAV_EN)
WEEKDAYS_FR = con("Jour de marché:", "1. Lundi", "2. Mardi", "3. Mercredi", "4. Jeudi", "5. Vendredi",
                  "6. Samedi", "7. Dimanche", *NAV_FR)
PAST_DUES_FR = "Les échéances passées ne changent pas."
MONTHLY_FR = con("Vous cotisez 10 000 F chaque mois.", "Rappels SMS: activés.", *OPTIONS_FR)


def member_on(engine, services, rhythm: RhythmView, language="fr", max_chars=160) -> Phone:
    services.add_member(MEMBER_PHONE, language=language, rhythm=rhythm)
    return Phone(engine, services, MEMBER_PHONE, max_chars=max_chars)


def rhythm_now(services) -> RhythmView:
    return services.rhythms[services.members[MEMBER_PHONE].id]


def test_a_monthly_member_sees_the_month_price_and_the_reminders(member_phone):
    member_phone.dial()
    assert member_phone.send("6") == MONTHLY_FR


def test_a_weekly_member_sees_the_market_day_instalment(engine, services):
    phone = member_on(engine, services, rhythm_view("weekly", weekday=1))
    phone.dial()
    assert phone.send("6") == con(
        "Vous cotisez 2 500 F chaque mardi (jour de marché).", "Rappels SMS: activés.", *OPTIONS_FR,
    )  # the month's price gave way on 160 characters


def test_a_wider_screen_adds_what_the_month_costs(engine, services):
    phone = member_on(engine, services, rhythm_view("weekly", weekday=1), max_chars=182)
    phone.dial()
    assert phone.send("6") == con(
        "Vous cotisez 2 500 F chaque mardi (jour de marché).", "Soit 10 000 F par mois.", "Rappels SMS: activés.",
        *OPTIONS_FR,
    )


def test_a_daily_member_sees_the_month_price_too(engine, services):
    phone = member_on(engine, services, rhythm_view("daily"))
    phone.dial()
    assert phone.send("6") == con(
        "Vous cotisez 333 F chaque jour.", "Soit 10 000 F par mois.", "Rappels SMS: activés.", *OPTIONS_FR,
    )


def test_a_seasonal_member_sees_the_harvest_months_in_season_order(engine, services):
    phone = member_on(engine, services, rhythm_view("seasonal", months=(12, 1, 2)), max_chars=182)
    assert rhythm_now(services).months == (1, 2, 12)  # kept sorted, as the gateway does
    phone.dial()
    assert phone.send("6") == con(
        "Vous cotisez 34 000 F à la récolte (déc., janv., févr.).", "Soit 102 000 F par an.",
        "Rappels SMS: activés.", *OPTIONS_FR,
    )


def test_in_english_weekly_and_seasonal(engine, services):
    phone = member_on(engine, services, rhythm_view("weekly", weekday=5), language="en")
    phone.dial()
    assert phone.send("6") == con(
        "You pay 2 500 F every Saturday (market day).", "That is 10 000 F a month.", "SMS reminders: on.",
        *OPTIONS_EN,
    )
    services.rhythms[1] = rhythm_view("seasonal", months=(11, 12, 1), reminders=False)
    phone.dial()
    assert phone.send("6") == con(
        "You pay 34 000 F at harvest (Nov, Dec, Jan).", "That is 102 000 F a year.", "SMS reminders: off.",
        "1. Change rhythm", "2. Get SMS reminders", *NAV_EN,
    )


def test_a_rhythm_added_to_the_lists_since_reads_from_its_label(engine, services):
    services.reference = ReferenceLists(REFERENCE.occupations, REFERENCE.regions, [
        *REFERENCE.rhythms, Option("fortnightly", {"fr": "Chaque quinzaine", "en": "Every fortnight"}),
    ])
    phone = member_on(engine, services, RhythmView("fortnightly", None, (), True, "monthly", 10_000, 5_000))
    phone.dial()
    assert phone.send("6").startswith("CON Vous cotisez 5 000 F chaque quinzaine.\n")


@pytest.mark.parametrize("months, season", [
    ((1, 2, 12), [12, 1, 2]),
    ((11, 12, 1), [11, 12, 1]),
    ((9, 10, 11, 12), [9, 10, 11, 12]),
    ((3, 7), [3, 7]),  # the longest wait is from July to March
    ((5,), [5]),
    (tuple(range(1, 13)), list(range(1, 13))),
])
def test_the_season_starts_after_the_longest_wait(months, season):
    assert season_order(months) == season


def test_changing_to_weekly_asks_the_market_day_then_confirms(member_phone, services):
    member_phone.dial()
    member_phone.send("6")
    assert member_phone.send("1") == RHYTHMS_FR  # the joining list
    assert member_phone.send("2") == WEEKDAYS_FR
    assert member_phone.send("2") == con(
        "Changer de rythme ?", "Cotisation: Chaque jour de marché (Mardi)", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert rhythm_now(services).rhythm == "monthly"  # nothing changed before "Confirmer"
    assert member_phone.send("1") == end(
        "Nouveau rythme, dès demain:", "Vous cotisez 2 500 F chaque mardi (jour de marché).",
        "Soit 10 000 F par mois.", PAST_DUES_FR,
    )
    assert rhythm_now(services) == rhythm_view("weekly", weekday=1)


def test_changing_to_seasonal_asks_the_first_harvest_month(member_phone, services):
    member_phone.dial()
    member_phone.walk("6", "1")
    assert member_phone.send("7").startswith("CON Premier mois de récolte:\n1. Janvier\n")
    assert member_phone.send("98") == con("Premier mois de récolte:", "11. Novembre", "12. Décembre", *NAV_FR)
    assert member_phone.send("12") == con(
        "Changer de rythme ?", "Cotisation: Aux récoltes (Décembre-Février)", "1. Confirmer", "2. Annuler",
        *NAV_FR,
    )
    assert member_phone.send("1") == end(
        "Nouveau rythme, dès demain:", "Vous cotisez 34 000 F à la récolte (déc., janv., févr.).",
        "Soit 102 000 F par an.", PAST_DUES_FR,
    )
    assert (rhythm_now(services).rhythm, rhythm_now(services).months) == ("seasonal", (1, 2, 12))


def test_changing_to_a_calendar_rhythm_asks_no_more(member_phone, services):
    member_phone.dial()
    member_phone.walk("6", "1")
    assert member_phone.send("4") == con(
        "Changer de rythme ?", "Cotisation: Chaque trimestre", "1. Confirmer", "2. Annuler", *NAV_FR,
    )
    assert member_phone.send("1") == end("Nouveau rythme, dès demain:", "Vous cotisez 28 500 F chaque trimestre.",
                                         PAST_DUES_FR)
    assert rhythm_now(services) == rhythm_view("quarterly")


def test_cancelling_keeps_the_rhythm(member_phone, services):
    member_phone.dial()
    member_phone.walk("6", "1", "2", "3")
    assert member_phone.send("2") == end("Rythme inchangé.")
    assert rhythm_now(services) == rhythm_view("monthly")


def test_changing_in_english(engine, services):
    phone = member_on(engine, services, rhythm_view("monthly"), language="en")
    phone.dial()
    phone.walk("6", "1", "7", "98")
    assert phone.send("11") == con(
        "Change your rhythm?", "Payments: At harvest (November-January)", "1. Confirm", "2. Cancel", *NAV_EN,
    )
    assert phone.send("1") == end(
        "New rhythm, from tomorrow:", "You pay 34 000 F at harvest (Nov, Dec, Jan).", "That is 102 000 F a year.",
        "Past dues stay as they were.",
    )
    assert rhythm_now(services).months == (1, 11, 12)


def test_stopping_then_restarting_the_reminders(member_phone, services):
    member_phone.dial()
    member_phone.send("6")
    assert member_phone.send("2") == end(
        "Rappels SMS stoppés. Pour les reprendre: menu Mon rythme de cotisation."
    )
    assert rhythm_now(services).reminders is False
    member_phone.dial()
    assert member_phone.send("6") == con(
        "Vous cotisez 10 000 F chaque mois.", "Rappels SMS: stoppés.", "1. Changer de rythme",
        "2. Recevoir les rappels SMS", *NAV_FR,
    )
    assert member_phone.send("2") == end("Rappels SMS activés: un SMS la veille de chaque cotisation.")
    assert rhythm_now(services) == rhythm_view("monthly", reminders=True)


def test_reminders_in_english(engine, services):
    phone = member_on(engine, services, rhythm_view("monthly"), language="en")
    phone.dial()
    phone.send("6")
    assert phone.send("2") == end("SMS reminders stopped. To get them again: menu My payment rhythm.")
    phone.dial()
    phone.send("6")
    assert phone.send("2") == end("SMS reminders on: an SMS the day before each payment is due.")
    assert rhythm_now(services).reminders is True


def test_only_two_options(member_phone, services):
    member_phone.dial()
    member_phone.send("6")
    assert member_phone.send("3") == "CON Choix invalide.\n" + MONTHLY_FR.removeprefix("CON ")
    assert rhythm_now(services) == rhythm_view("monthly")


def test_back_walks_the_questions_in_reverse_and_home_abandons(member_phone, services):
    member_phone.dial()
    member_phone.walk("6", "1", "2", "4")  # weekly, Thursday: the confirmation
    assert member_phone.send("0") == WEEKDAYS_FR
    assert "weekday" not in member_phone.session["form"]
    assert member_phone.send("0") == RHYTHMS_FR
    assert member_phone.send("0") == MONTHLY_FR
    member_phone.walk("1", "7")  # seasonal: the harvest months
    assert member_phone.send("00") == HOME_MEMBER_FR
    assert member_phone.session["form"] == {}
    assert rhythm_now(services) == rhythm_view("monthly")


def test_back_from_the_confirmation_lets_the_member_pick_another_day(member_phone, services):
    member_phone.dial()
    member_phone.walk("6", "1", "2", "4", "0", "6", "1")
    assert rhythm_now(services) == rhythm_view("weekly", weekday=5)


def test_arrears_are_named_as_such_in_mon_rythme(engine, services):
    """Mon rythme gives the same amount as the pay screen: the due, and apart, what is late
    (issue 9 item 4; the gateway's figures are checked in tests/gateway/test_one_amount.py)."""
    late = RhythmView("daily", None, (), True, "monthly", 10_000, 323, arrears=1_935)
    phone = member_on(engine, services, late)
    phone.dial()
    assert phone.send("6") == con(
        "Vous cotisez 323 F chaque jour.", "Retard à ce jour: 1 935 F.", "Rappels SMS: activés.", *OPTIONS_FR,
    )  # the month's price gave way to the arrears


def test_arrears_in_english(engine, services):
    late = RhythmView("daily", None, (), True, "monthly", 10_000, 323, arrears=1_935)
    phone = member_on(engine, services, late, language="en")
    phone.dial()
    assert phone.send("6") == con("You pay 323 F every day.", "That is 10 000 F a month.", "Overdue today: 1 935 F.",
                                  "SMS reminders: on.", "1. Change rhythm", "2. Stop SMS reminders", *NAV_EN)
