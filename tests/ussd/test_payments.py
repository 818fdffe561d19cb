"""Mes paiements: the member's latest payments, newest first, ending the session; payments
made by others and shares of group payments say who paid (issue 9 item 3)."""
from datetime import date

import pytest

from ussd_menus import gsm7_length

from .conftest import MEMBER_PHONE
from .fakes import FakeServices
from .phone import Phone, end


def payments_screen(engine, services, payments=(), language="fr", max_chars=160) -> str:
    """The screen of a member whose payments are `payments` (amount, status, day), oldest first."""
    member = services.add_member(MEMBER_PHONE, language=language)
    for amount, status, day in payments:
        services.add_payment(member.id, amount, status, day, payer_phone=MEMBER_PHONE)
    phone = Phone(engine, services, MEMBER_PHONE, max_chars=max_chars)
    phone.dial()
    return phone.send("3")


A_FEW = [
    (10_000, "succeeded", date(2025, 5, 23)),
    (2_500, "failed", date(2025, 6, 2)),
    (2_500, "pending", date(2025, 6, 14)),
]
# every status, amounts of 7 digits: more than a screen holds
MANY = [(1_000_000 + i, status, date(2025, 6, i)) for i, status in enumerate(
    ("succeeded", "succeeded", "expired", "failed", "created", "expired", "pending"), start=1)]


def test_no_payment_yet(engine, services):
    assert payments_screen(engine, services) == end("Aucun paiement pour l'instant.")


def test_no_payment_yet_in_english(engine, services):
    assert payments_screen(engine, services, language="en") == end("No payments yet.")


def test_a_few_payments_newest_first(engine, services):
    assert payments_screen(engine, services, A_FEW) == end(
        "Derniers paiements:",
        "14/06 2 500 F en attente AMU0000000003",
        "02/06 2 500 F échoué AMU0000000002",
        "23/05 10 000 F payé AMU0000000001",
    )


def test_a_few_payments_in_english(engine, services):
    assert payments_screen(engine, services, A_FEW, language="en") == end(
        "Latest payments:",
        "14/06 2 500 F pending AMU0000000003",
        "02/06 2 500 F failed AMU0000000002",
        "23/05 10 000 F paid AMU0000000001",
    )


@pytest.mark.parametrize("status, fr, en", [
    ("succeeded", "payé", "paid"),
    ("created", "en attente", "pending"),
    ("pending", "en attente", "pending"),
    ("failed", "échoué", "failed"),
    ("expired", "non confirmé", "not confirmed"),
])
def test_every_status_says_what_happened(engine, services, status, fr, en):
    screen = payments_screen(engine, services, [(2_500, status, date(2025, 6, 1))])
    assert screen == end("Derniers paiements:", f"01/06 2 500 F {fr} AMU0000000001")
    english = payments_screen(engine, FakeServices(), [(2_500, status, date(2025, 6, 1))], language="en")
    assert english == end("Latest payments:", f"01/06 2 500 F {en} AMU0000000001")


def test_many_payments_drop_the_oldest_lines_rather_than_cut_one(engine, services):
    screen = payments_screen(engine, services, MANY)
    assert screen == end(
        "Derniers paiements:",
        "07/06 1 000 007 F en attente AMU0000000007",
        "06/06 1 000 006 F non confirmé AMU0000000006",
        "05/06 1 000 005 F en attente AMU0000000005",
    )
    assert gsm7_length(screen.removeprefix("END ")) <= 160


def test_a_wider_screen_shows_more_of_them(engine, services):
    waiting = [(2_500, "pending", date(2025, 6, day)) for day in range(1, 6)]
    lines = [f"0{day}/06 2 500 F en attente AMU000000000{day}" for day in range(5, 0, -1)]
    assert payments_screen(engine, services, waiting) == end("Derniers paiements:", *lines[:3])
    assert payments_screen(engine, FakeServices(), waiting, max_chars=182) == end("Derniers paiements:", *lines[:4])


def test_many_payments_in_english(engine, services):
    assert payments_screen(engine, services, MANY, language="en") == end(
        "Latest payments:",
        "07/06 1 000 007 F pending AMU0000000007",
        "06/06 1 000 006 F not confirmed AMU0000000006",
        "05/06 1 000 005 F pending AMU0000000005",
    )


def test_only_the_members_own_payments_are_listed(engine, services):
    other = services.add_member("+22890000001")
    services.add_payment(other.id, 9_000, "succeeded", date(2025, 6, 10))
    assert payments_screen(engine, services, A_FEW[:1]) == end("Derniers paiements:", "23/05 10 000 F payé AMU0000000002")


def test_a_payment_just_made_shows_as_waiting(member_phone, services):
    member_phone.dial()
    member_phone.walk("1", "2", "1")
    member_phone.dial()
    assert member_phone.send("3") == end("Derniers paiements:", "15/06 2 500 F en attente AMU0000000001")


def test_a_status_the_menus_do_not_know_is_an_error_not_a_guess(engine, services):
    with pytest.raises(ValueError, match="unknown payment status 'refunded'"):
        payments_screen(engine, services, [(2_500, "refunded", date(2025, 6, 1))])


def test_payments_by_others_and_group_shares_say_who_paid(engine, services):
    member = services.add_member(MEMBER_PHONE)
    sister = services.add_member("+22890000001", "Afi Mensah")
    leader = services.add_member("+22890000002", "Yawa Agbeko")
    group = services.add_group(leader, "Coop Soja", 12)
    services.add_payment(member.id, 5_000, "succeeded", date(2025, 6, 1), payer_phone=sister.phone)
    services.add_payment(member.id, 2_000, "succeeded", date(2025, 6, 2), payer_phone="+22891234567")
    services.add_payment(member.id, 24_000, "pending", date(2025, 6, 3), payer_phone=leader.phone,
                         group_id=group.id, share=2_000)
    phone = Phone(engine, services, MEMBER_PHONE, max_chars=182)
    phone.dial()
    assert phone.send("3") == end(
        "Derniers paiements:",
        "03/06 2 000 F en attente AMU0000000003 groupe Coop Soja",  # the share, not the group's total
        "02/06 2 000 F payé AMU0000000002 par 91XXXX67",  # a phone that is no member's: masked
        "01/06 5 000 F payé AMU0000000001 par Afi",  # a member's phone: their first name
    )


def test_who_paid_in_english(engine, services):
    member = services.add_member(MEMBER_PHONE, language="en")
    sister = services.add_member("+22890000001", "Afi Mensah")
    services.add_payment(member.id, 5_000, "succeeded", date(2025, 6, 1), payer_phone=sister.phone)
    phone = Phone(engine, services, MEMBER_PHONE)
    phone.dial()
    assert phone.send("3") == end("Latest payments:", "01/06 5 000 F paid AMU0000000001 by Afi")
