"""Broken journeys or catalogs are refused when the engine is built, naming the culprit."""
import pytest

from ussd_menus import Engine, MenuDefinitionError, UssdRequest
from languages import registry

CATALOGS = registry().texts()
from ussd_menus.journeys import default_journeys
from ussd_menus.screens import HOME_MEMBER, HOME_NEW, Branch, Choice, End, Journey, Menu

from .fakes import FakeServices


def catalogs(**changes_by_language):
    copy = {language: dict(texts) for language, texts in CATALOGS.items()}
    for language, changes in changes_by_language.items():
        copy[language].update(changes)
    return copy


def homes(*options) -> Journey:
    options = options or (("home.join", "demo.end"),)
    return Journey("home", (Menu(HOME_NEW, "home.title", options), Menu(HOME_MEMBER, "home.title", options)))


DEMO_END = Journey("demo", (End("demo.end", "join.cancelled"),))


def test_the_shipped_journeys_are_valid():
    engine = Engine()
    assert {"home.new", "home.member", "join.name", "rights.show", "household.list", "lang.menu"} <= set(engine.screens)


def test_a_link_to_a_missing_screen_is_named():
    with pytest.raises(MenuDefinitionError, match="screen 'home.new' links to unknown screen 'join.nmae'"):
        Engine([homes(("home.join", "demo.end"), ("home.pay", "join.nmae")), DEMO_END])


def test_a_missing_branch_target_is_named():
    branching = Journey("demo", (
        Choice("demo.pick", "field.sex", "sex", (("F", "sex.F"),), Branch(lambda ctx: "demo.end", ("demo.ned",))),
        End("demo.end", "join.cancelled"),
    ))
    with pytest.raises(MenuDefinitionError, match="'demo.pick' links to unknown screen 'demo.ned'"):
        Engine([homes(("home.join", "demo.pick"), ("home.pay", "demo.end")), branching])


def test_an_unreachable_screen_is_named():
    orphan = Journey("demo", (End("demo.end", "join.cancelled"), End("demo.orphan", "join.cancelled")))
    with pytest.raises(MenuDefinitionError, match="screen 'demo.orphan' cannot be reached from a home menu"):
        Engine([homes(), orphan])


def test_a_missing_home_is_named():
    only_new = Journey("home", (Menu(HOME_NEW, "home.title", (("home.join", "demo.end"),)),))
    with pytest.raises(MenuDefinitionError, match="home screen 'home.member' is not defined"):
        Engine([only_new, DEMO_END])


def test_a_condition_for_an_option_the_menu_does_not_have_is_named():
    home = homes()
    member_home = Menu(HOME_MEMBER, "home.title", (("home.join", "demo.end"),), shown_if={"demo.edn": bool})
    with pytest.raises(MenuDefinitionError, match="'home.member' has a condition for 'demo.edn', not one of its"):
        Engine([Journey("home", (home.screens[0], member_home)), DEMO_END])


def test_an_option_label_used_twice_in_a_menu_is_named():
    # the answer is kept as the label of the option picked: two options cannot share one
    with pytest.raises(MenuDefinitionError, match="screen 'home.new' has the option 'home.join' twice"):
        Engine([homes(("home.join", "demo.end"), ("home.join", "demo.end")), DEMO_END])


def test_a_screen_defined_twice_is_named():
    with pytest.raises(MenuDefinitionError, match="screen 'demo.end' is defined twice"):
        Engine([homes(), DEMO_END, DEMO_END])


def test_a_catalog_key_used_but_not_defined_is_named():
    journey = Journey("demo", (End("demo.end", "demo.goodbye"),))
    with pytest.raises(MenuDefinitionError, match="catalog key 'demo.goodbye' is used but not defined"):
        Engine([homes(), journey])


def test_a_key_declared_by_a_journey_must_exist():
    journey = Journey("demo", (End("demo.end", "join.cancelled"),), keys=("demo.refusal",))
    with pytest.raises(MenuDefinitionError, match="'demo.refusal' is used but not defined"):
        Engine([homes(), journey])


def test_a_key_missing_from_one_language_is_named():
    texts = catalogs()
    del texts["en"]["join.done"]
    with pytest.raises(MenuDefinitionError, match="catalog 'en' lacks key 'join.done'"):
        Engine(catalogs=texts)


def test_a_key_only_in_english_is_named():
    with pytest.raises(MenuDefinitionError, match="catalog 'en' has key 'extra' missing from 'fr'"):
        Engine(catalogs=catalogs(en={"extra": "Extra"}))


def test_placeholders_must_match_between_languages():
    texts = catalogs(en={"join.done": "Welcome {nom}. Your AMU number: {number}."})
    with pytest.raises(MenuDefinitionError, match=r"catalog 'en' key 'join.done' has placeholders \['nom', 'number'\]"):
        Engine(catalogs=texts)


def test_a_text_longer_than_any_screen_is_named():
    texts = catalogs(fr={"join.cancelled": "x " * 100}, en={"join.cancelled": "ok"})
    with pytest.raises(MenuDefinitionError, match="catalog 'fr' key 'join.cancelled' is longer than 182"):
        Engine(catalogs=texts)


def test_every_problem_is_listed_at_once():
    with pytest.raises(MenuDefinitionError) as raised:
        Engine([homes(("home.join", "nowhere"), ("home.pay", "demo.end")),
                Journey("demo", (End("demo.end", "demo.goodbye"), End("demo.orphan", "join.cancelled")))])
    message = str(raised.value)
    assert "'nowhere'" in message and "'demo.orphan'" in message and "'demo.goodbye'" in message


def test_a_branch_choosing_an_undeclared_screen_fails_loudly():
    sneaky = Journey("demo", (
        Choice("demo.pick", "field.sex", "sex", (("F", "sex.F"),), Branch(lambda ctx: "demo.other", ("demo.end",))),
        End("demo.end", "join.cancelled"),
        End("demo.other", "join.cancelled"),
    ))
    engine = Engine([homes(("home.join", "demo.pick"), ("home.pay", "demo.other")), sneaky])
    services = FakeServices()
    _, session = engine.handle(UssdRequest("s1", "+22890000001", text=""), None, services)
    _, session = engine.handle(UssdRequest("s1", "+22890000001", text="1"), session, services)
    with pytest.raises(RuntimeError, match="branch chose 'demo.other'"):
        engine.handle(UssdRequest("s1", "+22890000001", text="1*1"), session, services)


@pytest.mark.parametrize("max_chars", [0, 183, 320])
def test_a_screen_limit_beyond_182_characters_is_refused(max_chars):
    with pytest.raises(ValueError, match="max_chars"):
        Engine(default_journeys()).handle(UssdRequest("s1", "+22890000001"), None, FakeServices(),
                                          max_chars=max_chars)
