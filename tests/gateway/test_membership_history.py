from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.exc import DBAPIError

from gateway import clock
from gateway.models import Member, MembershipEvent
from gateway.services.membership import IllegalTransition, history, record_transition
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.factories import enrolment


def test_states_follow_domain_md_and_history_keeps_every_step(runtime):
    member = GatewayMenuServices(runtime).enrol(enrolment())
    start = clock.now()
    with runtime.db.begin() as session:
        row = session.get(Member, member.id)
        for days, state in ((1, "waiting"), (91, "active"), (130, "grace"), (190, "suspended"), (200, "waiting")):
            record_transition(session, row, state, start + timedelta(days=days), "test")
        with pytest.raises(IllegalTransition, match="waiting -> suspended"):
            record_transition(session, row, "suspended", start + timedelta(days=201), "test")
    with runtime.db() as session:
        states = [e.state for e in history(session, member.id)]
        row = session.get(Member, member.id)
        assert (row.state, row.state_since) == ("waiting", start + timedelta(days=200))  # kept on the member row
    assert states == ["pending", "waiting", "active", "grace", "suspended", "waiting"]


def test_postgres_refuses_to_rewrite_history(runtime):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite has the code path only")
    GatewayMenuServices(runtime).enrol(enrolment())
    with pytest.raises(DBAPIError, match="append-only"):
        with runtime.db.begin() as session:
            session.execute(update(MembershipEvent).values(state="active"))
