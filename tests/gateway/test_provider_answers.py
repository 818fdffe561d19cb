"""The one table of what a provider's answer does to a payment, checked against the table
of allowed status changes."""
from gateway.models.payments import FINAL, INTENT_STATUSES
from gateway.services import provider_answers as answers
from gateway.services.payment_states import can_move
from payment_adapters import PaymentStatus

MOVES_TO = {answers.SETTLE: "succeeded", answers.FAIL: "failed", answers.MARK_PENDING: "pending"}


def test_every_answer_about_every_payment_has_exactly_one_action():
    assert set(answers.ANSWERS) == {(said, status) for said in PaymentStatus for status in INTENT_STATUSES}


def test_each_action_is_a_move_the_payment_states_allow():
    for (said, status), action in answers.ANSWERS.items():
        if action in MOVES_TO:
            assert can_move(status, MOVES_TO[action]), (said, status, action)


def test_a_final_payment_never_changes_and_money_for_a_failed_one_goes_to_suspense():
    for (said, status), action in answers.ANSWERS.items():
        if status in FINAL:
            expected = answers.SUSPENSE if (said, status) == (PaymentStatus.SUCCEEDED, "failed") else answers.ALREADY
            assert action == expected, (said, status)


def test_a_success_is_credited_whatever_we_thought_of_an_open_or_expired_payment():
    assert {status for (said, status), action in answers.ANSWERS.items()
            if said == PaymentStatus.SUCCEEDED and action == answers.SETTLE} == {"created", "pending", "expired"}
