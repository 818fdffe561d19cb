"""Changing one's rhythm (Mon rythme de cotisation): the dues not yet due follow the new
rhythm from tomorrow, the past ones stay, and a rhythm the menus should never send is
refused without touching anything."""
from datetime import date

import pytest
from sqlalchemy import select

from gateway import clock
from gateway.jobs.daily import generate_dues
from gateway.models import Due, Member
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.payment_helpers import join, lome


def dues_of(runtime, member_id: int) -> list[tuple[date, int, str]]:
    with runtime.db() as session:
        return list(session.execute(
            select(Due.due_on, Due.amount, Due.rhythm).where(Due.member_id == member_id).order_by(Due.due_on)))


@pytest.fixture
def seller(runtime):
    """A weekly payer (Tuesdays) since 1 March 2026, dues made two weeks ahead."""
    with clock.travel_to(lome(date(2026, 3, 1), 8)):
        member = join(runtime, phone="+22890000071", rhythm="weekly", rhythm_weekday=1)
    with clock.travel_to(lome(date(2026, 3, 3), 4)):
        generate_dues()
    return member


def test_a_new_rhythm_replaces_the_dues_from_tomorrow_and_keeps_the_past(runtime, seller):
    before = dues_of(runtime, seller.id)
    assert [d for d, _a, _r in before][:2] == [date(2026, 3, 3), date(2026, 3, 10)]
    with clock.travel_to(lome(date(2026, 3, 5), 12)):
        view = GatewayMenuServices(runtime).change_rhythm(seller.id, "monthly")
    assert view.rhythm == "monthly"
    after = dues_of(runtime, seller.id)
    assert after[0] == before[0]  # 3 March, weekly, already due: kept as it was
    assert after[1:] == []  # weekly dues from 10 March are gone; the next monthly due is 1 April, beyond the week ahead
    with clock.travel_to(lome(date(2026, 3, 26), 4)):
        generate_dues()
    assert dues_of(runtime, seller.id)[1:] == [(date(2026, 4, 1), 10_000, "monthly")]
    with runtime.db() as session:
        assert session.get(Member, seller.id).dues_until >= date(2026, 4, 1)


@pytest.mark.parametrize("rhythm, weekday, months, reason", [
    ("fortnightly", None, (), "unknown rhythm 'fortnightly'"),
    ("weekly", None, (), "a weekly rhythm needs a weekday 0-6"),
    ("weekly", 7, (), "a weekly rhythm needs a weekday 0-6"),
    ("seasonal", None, (), "a seasonal rhythm needs harvest months 1-12"),
    ("seasonal", None, (0, 13), "a seasonal rhythm needs harvest months 1-12"),
])
def test_a_rhythm_the_menus_never_send_is_refused_and_changes_nothing(runtime, seller, rhythm, weekday, months, reason):
    before = dues_of(runtime, seller.id)
    with clock.travel_to(lome(date(2026, 3, 5), 12)), pytest.raises(ValueError, match=reason):
        GatewayMenuServices(runtime).change_rhythm(seller.id, rhythm, weekday, months)
    with runtime.db() as session:
        member = session.get(Member, seller.id)
        assert (member.rhythm, member.rhythm_weekday) == ("weekly", 1)
    assert dues_of(runtime, seller.id) == before
