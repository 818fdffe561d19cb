"""What a member's rhythm means for billing: the period bought and its price."""
from __future__ import annotations

from config.schemes import SchemeRules

# Small, frequent payers are billed by the month; the money accumulates until a month
# is bought. Seasonal payers (harvest money) buy a year at once, at the yearly discount.
PERIOD_OF_RHYTHM = {
    "daily": "monthly",
    "weekly": "monthly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "half_yearly": "half_yearly",
    "yearly": "yearly",
    "seasonal": "yearly",
}
MONTHS_IN = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}


def billing_period(rhythm: str) -> str:
    return PERIOD_OF_RHYTHM[rhythm]


def monthly_supplement(rules: SchemeRules, extra_spouses: int, extra_children: int) -> int:
    return extra_spouses * rules.extra_spouse_monthly + extra_children * rules.extra_child_monthly


def period_price(rules: SchemeRules, rhythm: str, extra_spouses: int = 0, extra_children: int = 0) -> int:
    period = billing_period(rhythm)
    return rules.price_of(period) + MONTHS_IN[period] * monthly_supplement(rules, extra_spouses, extra_children)


def suggested_amounts(rules: SchemeRules, price: int, credit: int, due: int) -> list[int]:
    """Amounts offered first on the pay screen, best first: what is due now (the rhythm's
    next due with any arrears: the amount Mon rythme and the reminders give too), what
    completes the next period, the whole period."""
    amounts = [due] if due > 0 else []
    missing = price - credit
    if 0 < missing < price:
        amounts.append(missing)
    amounts.append(price)
    return list(dict.fromkeys(a for a in amounts if a >= rules.min_payment))
