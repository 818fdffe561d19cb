"""The facilities' tables as the migration makes them match the models; the check code's
alphabet; the rate limiter counts per key and window, in memory and in Redis."""
import re
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from gateway import clock
from gateway.db import Base
from gateway.services.facility_checks import CODE_ALPHABET, new_code
from gateway.services.rate_limits import RateLimiter

TABLES = {"facilities", "facility_phones", "facility_checks", "facility_check_answers"}


@pytest.mark.filterwarnings("ignore:.*expression-based index")  # SQLite cannot reflect it: the next test proves it
def test_the_migration_makes_the_tables_the_models_describe(runtime):
    with runtime.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in differences if any(table in repr(d) for table in TABLES)]
    assert ours == []


def test_the_same_facility_person_and_day_cannot_have_two_checks(runtime, afi, clinic):
    from sqlalchemy.exc import IntegrityError

    from gateway.models import FacilityCheck

    def check(code: str, dependent_id=None):
        return FacilityCheck(code=code, facility_id=clinic.id, member_id=afi.member_id, dependent_id=dependent_id,
                             beneficiary=afi.number(0), service_day=datetime(2025, 10, 1).date(),
                             created_at=clock.now())

    with runtime.db.begin() as session:
        session.add(check("AAAAAA"))
    for twin in (check("BBBBBB"), check("AAAAAA", dependent_id=1)):  # the member again; a code again
        try:
            with runtime.db.begin() as session:
                session.add(twin)
            raise AssertionError("the database accepted a second check")
        except IntegrityError:
            pass


def test_check_codes_avoid_characters_people_confuse():
    assert not set("01OIL") & set(CODE_ALPHABET) and len(CODE_ALPHABET) == 31
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000 and all(re.fullmatch(f"[{CODE_ALPHABET}]{{6}}", c) for c in codes)


def limiter_counts(limiter: RateLimiter) -> list[bool]:
    minute = datetime(2025, 10, 1, 9, 0, 10, tzinfo=timezone.utc)
    with clock.travel_to(minute):
        first = [limiter.allow("facility:1", 2) for _ in range(3)] + [limiter.allow("facility:2", 2)]
    with clock.travel_to(minute.replace(minute=1)):
        return first + [limiter.allow("facility:1", 2)]


def test_the_limiter_allows_the_limit_per_key_and_window_in_memory():
    assert limiter_counts(RateLimiter()) == [True, True, False, True, True]


def test_the_runtimes_limiter_shares_its_counts_through_redis_when_there_is_one(runtime):
    assert limiter_counts(runtime.rate_limiter) == [True, True, False, True, True]
    if runtime.redis is not None:  # another process's limiter sees the same counts
        with clock.travel_to(datetime(2025, 10, 1, 9, 1, 30, tzinfo=timezone.utc)):
            assert RateLimiter(runtime.redis).allow("facility:1", 2) is True
            assert RateLimiter(runtime.redis).allow("facility:1", 2) is False
