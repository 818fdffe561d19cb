"""Two requests checking the same person for the same facility and day at the same moment,
on PostgreSQL: both insert the check at once; the unique index lets one in, the other
waits for it and gets its code. One check, one code, one SMS to the member."""
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import event, func, select

from gateway import clock
from gateway.models import Facility, FacilityCheck, FacilityCheckAnswer, Member, SmsMessage
from gateway.services.facility_checks import check_rights
from tests.gateway.payment_helpers import lome

pytestmark = pytest.mark.services


def test_the_same_check_asked_twice_at_once_gets_one_code(runtime, afi, clinic):
    if runtime.engine.dialect.name != "postgresql":
        pytest.skip("needs DATABASE_URL (PostgreSQL): SQLite runs one writer at a time, so there is no race")
    both_looked = threading.Barrier(2, timeout=10)  # the 2nd insert blocks until the 1st commits: wait before it
    inserts = []

    def wait_for_the_other(_connection, _cursor, statement, parameters, _context, _many):
        if statement.startswith("INSERT INTO facility_checks"):
            inserts.append(parameters["code"])
            both_looked.wait()  # both transactions are about to insert the same person's check

    def ask():
        with runtime.db.begin() as session:
            result = check_rights(session, runtime.queue, session.get(Facility, clinic.id),
                                  session.get(Member, afi.member_id), 0, date(2025, 10, 1), channel="fhir",
                                  asked_by="test")
            return result.code, result.created

    event.listen(runtime.engine, "before_cursor_execute", wait_for_the_other)
    try:
        with clock.travel_to(lome(date(2025, 10, 1))), ThreadPoolExecutor(2) as pool:
            results = list(pool.map(lambda _: ask(), range(2)))
    finally:
        event.remove(runtime.engine, "before_cursor_execute", wait_for_the_other)
    assert len(inserts) == 2 and inserts[0] != inserts[1]  # the race happened: two codes drawn, both inserted at once
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0] == results[1][0]
    with runtime.db() as session:
        assert session.scalar(select(func.count()).select_from(FacilityCheck)) == 1
        assert session.scalar(select(func.count()).select_from(FacilityCheckAnswer)) == 2
        assert session.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.kind == "check_member")) == 1
