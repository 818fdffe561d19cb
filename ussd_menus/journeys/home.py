"""The two home menus: a phone that is not a member yet, and a member."""
from ..screens import HOME_MEMBER, HOME_NEW, Journey, Menu
from .pay_group import leads_a_group

JOURNEY = Journey("home", (
    Menu(HOME_NEW, "home.title", (
        ("home.join", "join.name"),
        ("home.pay_other", "pay_other.start"),
        ("home.language", "lang.menu"),
    ), nav=False),
    Menu(HOME_MEMBER, "home.title", (
        ("home.pay", "pay.start"),
        ("home.rights", "rights.show"),
        ("home.payments", "payments.start"),
        ("home.household", "household.list"),
        ("home.pay_other", "pay_other.start"),
        ("home.rhythm", "rhythm.start"),
        ("home.pay_group", "pay_group.start"),
        ("home.language", "lang.menu"),
    ), nav=False, shown_if={"pay_group.start": leads_a_group}),
))
