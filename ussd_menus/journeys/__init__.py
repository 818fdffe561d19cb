"""One module per journey; `default_journeys` is what the gateway's engine runs."""
from . import home, household, join, language, placeholders, rights
from ..screens import Journey


def default_journeys() -> tuple[Journey, ...]:
    return (
        home.JOURNEY,
        join.JOURNEY,
        rights.JOURNEY,
        household.JOURNEY,
        language.JOURNEY,
        # replace these with the real journeys as they are written
        placeholders.PAY,
        placeholders.PAY_OTHER,
        placeholders.PAYMENTS,
        placeholders.RHYTHM,
    )
