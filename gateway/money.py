"""Francs as people read them: 10 000 F (a space between thousands, no decimals)."""


def francs(amount: int) -> str:
    return f"{amount:,}".replace(",", " ") + " F"


def signed_francs(amount: int) -> str:
    return ("+" if amount >= 0 else "-") + francs(abs(amount))
