"""One module per journey; `default_journeys` is what the gateway's engine runs."""
from . import (
    check_report, facility_check, home, household, household_fix, join, language, pay, pay_group, pay_other,
    payment_steps, payments, rhythm, rights,
)
from ..screens import Journey


def default_journeys() -> tuple[Journey, ...]:
    return (
        home.JOURNEY,
        join.JOURNEY,
        rights.JOURNEY,
        household.JOURNEY,
        household_fix.JOURNEY,
        language.JOURNEY,
        pay.JOURNEY,
        pay_other.JOURNEY,
        pay_group.JOURNEY,
        payment_steps.JOURNEY,
        payments.JOURNEY,
        rhythm.JOURNEY,
        facility_check.JOURNEY,
        check_report.JOURNEY,
    )
