"""The two home menus: a phone that is not a member yet, and a member."""
from ..screens import HOME_MEMBER, HOME_NEW, Journey, Menu
from .check_report import RIGHTS
from .facility_check import is_facility_phone
from .pay_group import leads_a_group

JOURNEY = Journey("home", (
    Menu(HOME_NEW, "home.title", (
        ("home.check", "facility.who"),
        ("home.join", "join.name"),
        ("home.pay_other", "pay_other.start"),
        ("home.language", "lang.menu"),
    ), nav=False, shown_if={"facility.who": is_facility_phone}),
    Menu(HOME_MEMBER, "home.title", (
        ("home.check", "facility.who"),
        ("home.pay", "pay.start"),
        ("home.rights", RIGHTS),
        ("home.payments", "payments.start"),
        ("home.household", "household.list"),
        ("home.pay_other", "pay_other.start"),
        ("home.rhythm", "rhythm.start"),
        ("home.pay_group", "pay_group.start"),
        ("home.language", "lang.menu"),
    ), nav=False, shown_if={"pay_group.start": leads_a_group, "facility.who": is_facility_phone}),
))
