"""`amu members show` and `amu groups` find a member the same way: by AMU number or by
phone; text that is neither is bad input (exit 2), no member with it exits 1."""
from datetime import UTC

import pytest
from click.testing import CliRunner

from gateway.cli import main
from tests.gateway.factories import child
from tests.gateway.payment_helpers import join


@pytest.fixture
def amu(runtime, monkeypatch):
    for name, value in runtime.settings.raw.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "200")
    return lambda *args: CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_groups_find_the_leader_and_the_members_by_number_or_by_phone(amu, runtime):
    leader = join(runtime, phone="+22890000061", full_name="Akossiwa Test")
    other = join(runtime, phone="+22890000062", full_name="Membre Test")
    created = amu("groups", "create", "Coop Kara", "--kind", "cooperative", "--leader", "90 00 00 61")
    assert created.exit_code == 0
    code = created.output.split()[1]
    assert amu("groups", "add", code, other.amu_number).exit_code == 0
    shown = amu("groups", "show", code).output
    assert leader.amu_number in shown and other.amu_number in shown


@pytest.mark.parametrize("command", [
    ("members", "show"),
    ("groups", "create", "Coop Kara", "--kind", "cooperative", "--leader"),
])
def test_a_text_that_is_neither_a_number_nor_a_phone_is_bad_input(amu, command):
    result = amu(*command, "hello")
    assert result.exit_code == 2 and "neither an AMU number" in result.output


@pytest.mark.parametrize("command", [
    ("members", "show"),
    ("groups", "create", "Coop Kara", "--kind", "cooperative", "--leader"),
])
def test_no_member_with_that_number_exits_1_whatever_the_command(amu, command):
    result = amu(*command, "+22890000099")
    assert result.exit_code == 1 and "no member with '+22890000099'" in result.output


def test_members_show_lists_the_current_household_only(amu, runtime):
    from datetime import datetime

    from gateway.models import Dependent
    from gateway.services.menu_facade import GatewayMenuServices

    member = join(runtime, phone="+22890000063")
    services = GatewayMenuServices(runtime)
    kept = services.add_dependent(member.id, child("Kodjo Test"))
    gone = services.add_dependent(member.id, child("Yawa Partie"))
    with runtime.db.begin() as session:
        session.get(Dependent, gone.id).removed_at = datetime(2025, 1, 1, tzinfo=UTC)
    output = amu("members", "show", member.amu_number).output
    assert kept.full_name in output and "Yawa Partie" not in output
