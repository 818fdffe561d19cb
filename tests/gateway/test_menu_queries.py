"""What the USSD menus ask the database on every hop stays small: one statement to find
the member, one for the groups they lead with their sizes, Mes droits from the member's
running figures (no history read)."""
import re
from datetime import UTC, datetime, timedelta

from dateutil.relativedelta import relativedelta

import pytest
from sqlalchemy import select

from gateway import clock
from gateway.models import GroupMember, Member
from gateway.services.groups import add_member, create_group, groups_led_by_with_sizes, members_of
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.factories import child
from tests.gateway.sql_statements import statements
from tests.gateway.payment_helpers import confirmed_payment, join


@pytest.fixture
def leader_of_two(runtime):
    """A leader of a group of 3 (one more member left it) and of a group of the leader alone."""
    leader = join(runtime, phone="+22890000041", full_name="Akossiwa Test")
    others = [join(runtime, phone=f"+2289000004{n}", full_name=f"Membre Test {n}") for n in (2, 3, 4)]
    with runtime.db.begin() as session:
        big = create_group(session, name="Coop Kara", kind="cooperative", leader=session.get(Member, leader.id))
        for other in others:
            add_member(session, big, session.get(Member, other.id))
        session.scalar(select(GroupMember).where(GroupMember.member_id == others[2].id)).left_at = \
            datetime(2025, 1, 1, tzinfo=UTC)
        create_group(session, name="Tontine", kind="mutuelle", leader=session.get(Member, leader.id))
    return leader


def test_the_groups_led_come_with_their_current_members_in_one_statement(runtime, leader_of_two):
    with runtime.db() as session, statements(runtime) as seen:
        sized = groups_led_by_with_sizes(session, leader_of_two.id)
        assert [(g.name, size) for g, size in sized] == [("Coop Kara", 3), ("Tontine", 1)]
        assert len(seen) == 1
        assert [size for _, size in sized] == [len(members_of(session, g.id)) for g, _ in sized]


def test_the_menus_see_the_group_sizes_and_no_group_for_a_member_who_leads_none(runtime, leader_of_two):
    services = GatewayMenuServices(runtime)
    with statements(runtime) as seen:
        views = services.groups_led_by(leader_of_two.id)
    assert [(v.name, v.members) for v in views] == [("Coop Kara", 3), ("Tontine", 1)]
    assert len(seen) == 1
    follower = services.member_by_phone("+22890000042")
    assert services.groups_led_by(follower.id) == []


def test_finding_the_member_of_a_phone_reads_no_dependents(runtime):
    services = GatewayMenuServices(runtime)
    member = join(runtime, phone="+22890000051")
    services.add_dependent(member.id, child())
    with statements(runtime) as seen:
        assert services.member_by_phone("+22890000051").id == member.id
    assert len(seen) == 1


def test_the_language_of_a_phone_is_one_statement(runtime):
    services = GatewayMenuServices(runtime)
    join(runtime, phone="+22890000052", language="en")
    services.set_language("+22890000053", "en")  # not a member
    with statements(runtime) as seen:
        assert services.phone_language("+22890000052") == "en"
        assert services.phone_language("+22890000053") == "en"
        assert services.phone_language("+22890000054") is None
    assert len(seen) == 3


def test_mes_droits_reads_the_running_figures_not_the_history(runtime):
    services = GatewayMenuServices(runtime)
    member = join(runtime, phone="+22890000055")
    services.add_dependent(member.id, child())
    today = clock.local_date()
    for days_ago in (40, 20, 3):  # periods bought, ledger legs and states recorded: history it could read
        confirmed_payment(runtime, member.id, 6_000, today - timedelta(days=days_ago))
    with statements(runtime) as seen:
        rights = services.rights(member.id)
    assert [d.full_name for d in rights.household] == ["Kodjo Test"]
    assert (rights.state, rights.credit) == ("waiting", 8_000)
    assert rights.covered_until == today - timedelta(days=20) + relativedelta(months=1) - timedelta(days=1)
    history = re.compile(r"\b(coverage_periods|ledger_legs|membership_events|dues)\b")
    assert [s for s in seen if history.search(s)] == []
