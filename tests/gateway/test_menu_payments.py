"""The pay screens' services: finding the member paid for, what to offer, history."""
import pytest

from gateway.services.billing import suggested_amounts
from gateway.services.menu_facade import GatewayMenuServices, mask_name
from config.schemes import load_definitions
from tests.gateway.payment_helpers import join, settle
from ussd_menus.services import Refused

RULES = load_definitions()[0].versions[0]


@pytest.fixture
def services(runtime):
    return GatewayMenuServices(runtime)


def test_names_are_masked_enough_to_recognise_not_to_read():
    assert mask_name("Kossi Mensah") == "Ko*** Me****"
    assert mask_name("Afi  A") == "Af* A"


def test_a_payer_finds_a_member_by_number_or_phone_and_typos_are_told_apart(services, runtime):
    member = join(runtime, full_name="Kossi Mensah")
    payer = "+22899000002"
    payee = services.find_payee(f"{member.amu_number[:5]} {member.amu_number[5:]}", payer)
    assert (payee.member_id, payee.masked_name, payee.masked_phone) == (member.id, "Ko*** Me****", None)
    by_phone = services.find_payee("90 00 00 01", payer)
    assert (by_phone.member_id, by_phone.masked_phone) == (member.id, "+228 90 XX XX 01")
    typo = member.amu_number[:-1] + str((int(member.amu_number[-1]) + 1) % 10)
    from gateway.amu_numbers import new_amu_number

    for number, reason in ((typo, "pay.bad_number"), ("12345", "pay.bad_entry"), (new_amu_number(), "pay.unknown_member"),
                           ("+228 90 00 00 99", "pay.unknown_phone"), ("+33 6 12 34 56 78", "pay.bad_entry")):
        with pytest.raises(Refused) as refused:
            services.find_payee(number, payer)
        assert refused.value.reason == reason, number


def test_lookups_are_limited_per_phone_per_hour(runtime, monkeypatch):
    """Issue 10 finding 7: the tenth lookup in an hour is answered, the eleventh refused,
    whatever it looks up; another phone is not affected (counted in Redis when there is one)."""
    member = join(runtime)
    services = GatewayMenuServices(runtime)
    allowed = runtime.settings.payee_lookups_per_hour
    for _ in range(allowed):
        services.find_payee(member.amu_number, "+22899000002")
    for number in (member.amu_number, "90 00 00 99"):
        with pytest.raises(Refused) as refused:
            services.find_payee(number, "+22899000002")
        assert refused.value.reason == "pay.too_many_lookups"
    assert services.find_payee(member.amu_number, "+22899000003").member_id == member.id
    again = GatewayMenuServices(runtime)  # another web process shares the count through Redis
    if runtime.redis is not None:
        with pytest.raises(Refused):
            again.find_payee(member.amu_number, "+22899000002")


def test_the_limit_forgets_lookups_older_than_an_hour():
    from gateway.lookup_limits import MemoryLookups

    now = [1_000.0]
    lookups = MemoryLookups(2, clock=lambda: now[0])
    assert lookups.allow("+22899000002") and lookups.allow("+22899000002")
    assert not lookups.allow("+22899000002")
    now[0] += 3_601
    assert lookups.allow("+22899000002")


@pytest.mark.parametrize(
    "credit, due, expected",
    [
        (0, 2_500, [2_500, 10_000]),  # a market day's due, then the month
        (0, 323, [323, 10_000]),  # a day's due: the same figure Mon rythme and the reminder give
        (7_500, 323, [323, 2_500, 10_000]),  # and what completes the month
        (0, 2_258, [2_258, 10_000]),  # a day's due with its arrears
        (0, 10_000, [10_000]),
        (0, 0, [10_000]),
    ],
)
def test_suggested_amounts_start_with_what_is_due(credit, due, expected):
    assert suggested_amounts(RULES, 10_000, credit, due) == expected


def test_the_offer_and_the_history_of_a_member(services, runtime, fake_provider, run_jobs):
    member = join(runtime)
    offer = services.payment_offer(member.id, "+22890000001")
    assert (offer.suggested, offer.minimum, offer.maximum, offer.arrears) == ([2_500, 10_000], 100, 1_500_000, 0)
    started = services.start_payment(member.id, "+22890000001", "yas", 2_500)
    again = services.start_payment(member.id, "+22890000001", "yas", 2_500)
    assert (again.reference, again.reused, started.reused) == (started.reference, True, False)
    settle(fake_provider, run_jobs)
    services.start_payment(member.id, "+22899000002", "moov", 1_000)
    lines = services.recent_payments(member.id)
    assert [(l.amount, l.payer_is_member, l.payer) for l in lines] == [(1_000, False, "99XXXX02"), (2_500, True, None)]
    assert lines[1].status == "succeeded"
    assert services.payment_offer(member.id, "+22890000001").suggested == [2_500, 7_500, 10_000]
    # someone else is offered the plan's figures only: nothing of the 2 500 F saved
    assert services.payment_offer(member.id, "+22899000002").suggested == [2_500, 10_000]
