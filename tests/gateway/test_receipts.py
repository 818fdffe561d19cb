"""Receipts tell the truth in every state (issue 9 items 1 and 3), through the real services.

One table: the state a payment finds the member in and what it buys, to the receipt the
member reads, in French and in English. Never "couvert" in the waiting period; a partial
payment is a saving; in grace the day of suspension; after a suspension, the new waiting
period. Who paid is named when it was not the member, and the payer's own receipt comes
in the payer's language with nothing of the member's account. Every SMS names *858#.
"""
from datetime import date

import pytest

from gateway import clock
from gateway.models import Group, GroupMember, PhonePreference
from tests.gateway.payment_helpers import confirmed_payment, join, lome, texts

JOINED = date(2026, 1, 5)


def monthly_member(runtime, language: str, phone: str = "+22890000081", name: str = "Kossi Test"):
    with clock.travel_to(lome(JOINED, 9)):
        return join(runtime, phone=phone, full_name=name, language=language, rhythm="monthly", rhythm_weekday=None)


# (state found, what the payment buys): (payments before, the payment, French receipt, English receipt)
# The receipt's head "AMU Togo: {amount} payés le {day}, réf {reference}." is checked apart.
TRUTH = {
    ("pending", "a saving"): ([], (4_000, date(2026, 1, 5)),
                              "Épargne: 4 000 F, encore 6 000 F pour le mois suivant.",
                              "Saved: 4 000 F; 6 000 F more buys your next month."),
    ("pending", "a month in the waiting period"): ([], (10_000, date(2026, 1, 5)),
                                                   "Payé jusqu'au 04/02/2026, soins pris en charge dès le 05/04/2026.",
                                                   "Paid until 04/02/2026; care is paid from 05/04/2026."),
    ("waiting", "another month, still waiting"): ([(10_000, date(2026, 1, 5))], (10_000, date(2026, 2, 1)),
                                                  "Payé jusqu'au 04/03/2026, soins pris en charge dès le 05/04/2026.",
                                                  "Paid until 04/03/2026; care is paid from 05/04/2026."),
    ("active", "a month of cover"): ([(40_000, date(2026, 1, 5))], (10_000, date(2026, 4, 10)),
                                     "Couvert jusqu'au 04/06/2026.", "Covered until 04/06/2026."),
    ("grace", "a month owed, still in grace"): ([(10_000, date(2026, 1, 5))], (10_000, date(2026, 3, 20)),
                                                "Payé jusqu'au 04/03/2026; droits suspendus le 05/05/2026 sans paiement.",
                                                "Paid until 04/03/2026; rights suspended on 05/05/2026 if unpaid."),
    ("suspended", "a saving"): ([(10_000, date(2026, 1, 5))], (4_000, date(2026, 5, 20)),
                                "Épargne: 4 000 F, encore 6 000 F pour reprendre vos droits.",
                                "Saved: 4 000 F; 6 000 F more to resume your rights."),
    ("suspended", "a new stint, with a new waiting period"): (
        [(10_000, date(2026, 1, 5))], (10_000, date(2026, 5, 20)),
        "Payé jusqu'au 19/06/2026, soins pris en charge dès le 18/08/2026.",
        "Paid until 19/06/2026; care is paid from 18/08/2026."),
}
HEAD = {"fr": "AMU Togo: {amount} payés le {day}, réf {reference}. {bought} Menu *858#",
        "en": "AMU Togo: {amount} paid on {day}, ref {reference}. {bought} Menu *858#"}


def money(francs: int) -> str:
    return f"{francs:,} F".replace(",", " ")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("state, bought", list(TRUTH))
def test_the_members_receipt_in_every_state(runtime, state, bought, language):
    before, (amount, day), french, english = TRUTH[state, bought]
    member = monthly_member(runtime, language)
    for earlier, on in before:
        confirmed_payment(runtime, member.id, earlier, on)
    reference = confirmed_payment(runtime, member.id, amount, day)
    kind = "receipt_saving" if "saving" in bought else "receipt_covered"
    assert texts(runtime, kind)[-1] == HEAD[language].format(
        amount=money(amount), day=f"{day:%d/%m/%Y}", reference=reference,
        bought=french if language == "fr" else english)


def test_the_table_covers_every_state():
    assert {state for state, _ in TRUTH} == {"pending", "waiting", "active", "grace", "suspended"}


PAID_BY_OTHERS = {  # payer: (member's language, amount, the member's receipt, the payer's receipt), {ref} filled in
    "a member (Afi, in English)": (
        "fr", 10_000,
        "AMU Togo: 10 000 F payés par Afi le 05/01/2026, réf {ref}. Payé jusqu'au 04/02/2026, soins pris en charge "
        "dès le 05/04/2026. Menu *858#",
        "AMU Togo: your 10 000 F for Ko*** Te** arrived on 05/01/2026, ref {ref}. The member gets a receipt. "
        "Thank you! Menu *858#"),
    "a phone that chose French": (
        "en", 4_000,
        "AMU Togo: 4 000 F paid by 91XXXX67 on 05/01/2026, ref {ref}. Saved: 4 000 F; 6 000 F more buys your next "
        "month. Menu *858#",
        "AMU Togo: vos 4 000 F pour Ko*** Te** sont arrivés le 05/01/2026, réf {ref}. Le membre est prévenu par SMS. "
        "Merci! Menu *858#"),
}


@pytest.mark.parametrize("payer", list(PAID_BY_OTHERS))
def test_who_paid_is_named_and_the_payer_gets_a_receipt_in_their_language(runtime, payer):
    """A member payer is named by first name, another phone masked; the payer's receipt
    comes in the payer's language and says nothing of the member's cover or savings."""
    language, amount, receipt, payers = PAID_BY_OTHERS[payer]
    member = monthly_member(runtime, language)
    if payer.startswith("a member"):
        phone = monthly_member(runtime, "en", phone="+22890000082", name="Afi Mensah").phone
    else:
        phone = "+22891234567"
        with runtime.db.begin() as session:
            session.add(PhonePreference(phone=phone, language="fr"))  # chosen on the Langue menu
    reference = confirmed_payment(runtime, member.id, amount, JOINED, payer=phone)
    kind = "receipt_covered" if amount == 10_000 else "receipt_saving"
    assert texts(runtime, kind) == [receipt.format(ref=reference)]
    assert texts(runtime, "receipt_payer") == [payers.format(ref=reference)]


def test_a_payer_without_a_language_gets_french(runtime):
    member = monthly_member(runtime, "en")
    confirmed_payment(runtime, member.id, 4_000, JOINED, payer="+22891234568")
    assert texts(runtime, "receipt_payer")[0].startswith("AMU Togo: vos 4 000 F pour Ko*** Te**")


def test_a_group_share_names_the_group(runtime):
    leader = monthly_member(runtime, "fr", phone="+22890000083", name="Yawa Agbeko")
    member = monthly_member(runtime, "en")
    with runtime.db.begin() as session:
        group = Group(code="G000001", name="Coop Soja", kind="cooperative", leader_id=leader.id)
        session.add(group)
        session.flush()
        session.add_all(GroupMember(group_id=group.id, member_id=m.id) for m in (leader, member))
        group_id = group.id
    reference = confirmed_payment(runtime, leader.id, 20_000, JOINED, payer=leader.phone, group_id=group_id,
                                  splits=[(leader.id, 10_000), (member.id, 10_000)])
    receipts = texts(runtime, "receipt_covered")
    assert receipts[1] == (f"AMU Togo: 10 000 F from group Coop Soja on 05/01/2026, ref {reference}. Paid until "
                           "04/02/2026; care is paid from 05/04/2026. Menu *858#")
    assert texts(runtime, "receipt_group") == [
        f"AMU Togo: 20 000 F pour le groupe Coop Soja arrivés le 05/01/2026, réf {reference}, partagés entre 2 "
        "membres. Menu *858#"]


def test_the_ussd_code_is_a_setting(runtime, monkeypatch):
    from dataclasses import replace

    monkeypatch.setattr(runtime, "settings", replace(runtime.settings, ussd_code="*858*1#"))
    member = monthly_member(runtime, "fr")
    confirmed_payment(runtime, member.id, 4_000, JOINED)
    assert texts(runtime, "receipt_saving")[0].endswith("Menu *858*1#")
