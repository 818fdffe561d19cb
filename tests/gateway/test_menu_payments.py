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


def test_a_payer_finds_a_member_by_number_and_typos_are_told_apart(services, runtime):
    member = join(runtime, full_name="Kossi Mensah")
    payee = services.find_payee(f"{member.amu_number[:5]} {member.amu_number[5:]}")
    assert (payee.member_id, payee.masked_name) == (member.id, "Ko*** Me****")
    typo = member.amu_number[:-1] + str((int(member.amu_number[-1]) + 1) % 10)
    for number, reason in ((typo, "pay.bad_number"), ("12345", "pay.bad_number")):
        with pytest.raises(Refused) as refused:
            services.find_payee(number)
        assert refused.value.reason == reason
    from gateway.amu_numbers import new_amu_number

    with pytest.raises(Refused) as refused:
        services.find_payee(new_amu_number())
    assert refused.value.reason == "pay.unknown_member"


@pytest.mark.parametrize(
    "rhythm, credit, expected",
    [
        ("weekly", 0, [2_500, 10_000]),
        ("daily", 0, [400, 10_000]),
        ("daily", 7_500, [400, 2_500, 10_000]),
        ("monthly", 0, [10_000]),
        ("quarterly", 3_000, [25_500, 28_500]),
        ("seasonal", 0, [102_000]),
    ],
)
def test_suggested_amounts_follow_the_rhythm_and_what_is_saved(rhythm, credit, expected):
    from gateway.services.billing import period_price

    assert suggested_amounts(RULES, rhythm, period_price(RULES, rhythm), credit) == expected


def test_the_offer_and_the_history_of_a_member(services, runtime, fake_provider, run_jobs):
    member = join(runtime)
    offer = services.payment_offer(member.id)
    assert (offer.suggested, offer.minimum, offer.maximum, offer.credit) == ([2_500, 10_000], 100, 1_500_000, 0)
    started = services.start_payment(member.id, "+22890000001", "yas", 2_500)
    again = services.start_payment(member.id, "+22890000001", "yas", 2_500)
    assert (again.reference, again.reused, started.reused) == (started.reference, True, False)
    settle(fake_provider, run_jobs)
    services.start_payment(member.id, "+22899000002", "moov", 1_000)
    lines = services.recent_payments(member.id)
    assert [(l.amount, l.payer_is_member) for l in lines] == [(1_000, False), (2_500, True)]
    assert lines[1].status == "succeeded"
    assert services.payment_offer(member.id).suggested == [2_500, 7_500, 10_000]
