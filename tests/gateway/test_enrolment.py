from datetime import date, timedelta

import pytest
from sqlalchemy import select

from gateway import clock
from gateway.amu_numbers import is_valid_amu_number
from gateway.models import Member, MembershipEvent, SmsMessage
from gateway.services.menu_facade import GatewayMenuServices
from tests.gateway.factories import enrolment
from ussd_menus.services import Refused


@pytest.fixture
def services(runtime):
    return GatewayMenuServices(runtime)


def test_joining_creates_a_pending_member_and_texts_the_amu_number(services, runtime, run_jobs, sms):
    member = services.enrol(enrolment(full_name="  Afi   Test-Koffi "))
    run_jobs()
    assert is_valid_amu_number(member.amu_number)
    assert member.full_name == "Afi Test-Koffi"
    assert services.member_by_phone("+22890000001") == member
    assert services.rights(member.id).state == "pending"
    assert sms.sent == [
        (
            "+22890000001",
            f"AMU Togo: Bienvenue Afi! Votre numéro AMU: {member.amu_number}. "
            "Gardez-le pour payer et pour vos soins. Menu AMU: *858#",
        )
    ]
    with runtime.db() as session:
        message = session.scalar(select(SmsMessage))
        assert (message.status, message.attempts, message.kind) == ("sent", 1, "welcome")
        (event,) = session.scalars(select(MembershipEvent)).all()
        assert (event.state, event.reason) == ("pending", "joined by USSD")


def test_the_sms_speaks_the_members_language(services, run_jobs, sms):
    member = services.enrol(enrolment(language="en", full_name="Kossi Test"))
    run_jobs()
    assert sms.sent[0][1] == (f"AMU Togo: Welcome Kossi! Your AMU number: {member.amu_number}. "
                              "Keep it to pay and to get care. AMU menu: *858#")


def test_a_phone_joins_once(services):
    services.enrol(enrolment())
    with pytest.raises(Refused) as refused:
        services.enrol(enrolment(full_name="Someone Else"))
    assert refused.value.reason == "join.already_member"


def test_minors_and_future_births_are_refused_with_the_age(services):
    today = clock.local_date()
    seventeen = date(today.year - 17, today.month, 1)
    with pytest.raises(Refused) as refused:
        services.enrol(enrolment(birth_date=seventeen))
    assert (refused.value.reason, refused.value.params) == ("join.too_young", {"min_age": 18})
    with pytest.raises(Refused) as refused:
        services.enrol(enrolment(birth_date=today + timedelta(days=1)))
    assert refused.value.reason == "join.born_in_future"


@pytest.mark.parametrize(
    "override, message",
    [
        ({"occupation": "astronaut"}, "unknown occupation"),
        ({"region": "atlantis"}, "unknown region"),
        ({"rhythm": "weekly", "rhythm_weekday": None}, "weekday"),
        ({"rhythm": "seasonal", "rhythm_months": ()}, "harvest months"),
        ({"sex": "X"}, "sex"),
    ],
)
def test_impossible_requests_are_refused_and_nothing_is_saved(services, runtime, override, message):
    with pytest.raises(ValueError, match=message):
        services.enrol(enrolment(**override))
    with runtime.db() as session:
        assert session.scalar(select(Member)) is None
        assert session.scalar(select(SmsMessage)) is None


def test_seasonal_and_weekly_rhythms_keep_their_detail(services, runtime):
    weekly = services.enrol(enrolment(rhythm="weekly", rhythm_weekday=5))
    seasonal = services.enrol(enrolment(phone="+22890000002", rhythm="seasonal", rhythm_months=(12, 1, 2)))
    with runtime.db() as session:
        assert session.get(Member, weekly.id).rhythm_weekday == 5
        assert session.get(Member, seasonal.id).rhythm_months == [1, 2, 12]
        assert session.get(Member, seasonal.id).rhythm_weekday is None


def test_language_is_remembered_for_members_and_for_phones_that_have_not_joined(services):
    assert services.phone_language("+22890000009") is None
    services.set_language("+22890000009", "en")
    assert services.phone_language("+22890000009") == "en"
    member = services.enrol(enrolment(phone="+22890000009", language="en"))
    services.set_language("+22890000009", "fr")
    assert services.phone_language("+22890000009") == "fr"
    assert services.member_by_phone("+22890000009").language == "fr"
    assert member.language == "en"
