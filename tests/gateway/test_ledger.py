"""The ledger's own rules: balanced entries in whole francs, booked once, corrected by reversal."""
from datetime import date

import pytest

from gateway import ledger
from gateway.ledger_check import check_ledger
from gateway.models import LedgerEntry


def test_a_correction_is_a_reversal_booked_once_and_the_ledger_stays_clean(runtime):
    with runtime.db.begin() as session:
        entry = ledger.post(session, key="collection:test", kind="suspense", description="4 000 F, reference unknown",
                            legs=[ledger.Leg(ledger.clearing("fake", "yas"), 4_000), ledger.Leg(ledger.SUSPENSE, -4_000)],
                            booked_on=date(2026, 3, 2))
        entry_id = entry.id
    with runtime.db.begin() as session:
        reversal = ledger.reverse(session, session.get(LedgerEntry, entry_id), reason="booked twice by hand",
                                  booked_on=date(2026, 3, 3))
        assert (reversal.kind, reversal.reverses_id) == ("reversal", entry_id)
        with pytest.raises(ledger.DuplicateEntry):
            ledger.reverse(session, session.get(LedgerEntry, entry_id), reason="again", booked_on=date(2026, 3, 3))
    with runtime.db() as session:
        assert ledger.balance(session, ledger.SUSPENSE) == 0
        assert ledger.balance(session, ledger.clearing("fake", "yas")) == 0
        assert check_ledger(session)[1] == []


@pytest.mark.parametrize("legs, message", [
    ([("suspense", 100)], "at least two legs"),
    ([("suspense", 100), ("premiums", -99)], "sum to 1"),
    ([("suspense", 100.0), ("premiums", -100)], "whole francs"),
    ([("suspense", 0), ("premiums", 0)], "non-zero"),
])
def test_an_unbalanced_or_fractional_entry_is_refused(runtime, legs, message):
    with runtime.db.begin() as session, pytest.raises(ledger.Unbalanced, match=message):
        ledger.post(session, key="bad", kind="suspense", description="bad", booked_on=date(2026, 3, 2),
                    legs=[ledger.Leg(code, amount) for code, amount in legs])
