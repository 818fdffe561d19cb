"""One module per journey; `default_journeys` is what the gateway's engine runs."""
from . import home, household, join, language, pay, pay_other, payment_steps, payments, placeholders, rights
from ..screens import Journey


def default_journeys() -> tuple[Journey, ...]:
    return (
        home.JOURNEY,
        join.JOURNEY,
        rights.JOURNEY,
        household.JOURNEY,
        language.JOURNEY,
        pay.JOURNEY,
        pay_other.JOURNEY,
        payment_steps.JOURNEY,
        payments.JOURNEY,
        # replace this with the real journey once it is written
        placeholders.RHYTHM,
    )
