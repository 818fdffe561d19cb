"""What the domain says when the rules refuse a request.

A `Refusal` has a kind (stable: code decides on it), the figures it names, and one line
in plain English for operators, logs and the `amu` command. Channels put it in their own
words: the USSD menus through their catalogs (`gateway.services.menu_facade`), never the
other way round.
"""
from __future__ import annotations

# kind -> what it means, with its figures
WORDS: dict[str, str] = {
    "amount_too_small": "the amount is below the smallest payment, {minimum} F",
    "amount_too_large": "the amount is above the largest payment, {maximum} F",
    "born_in_future": "the date of birth is in the future",
    "too_young": "a member must be at least {min_age} years old",
    "already_member": "this phone belongs to a member already",
    "dependent_born_in_future": "the dependant's date of birth is in the future",
    "already_listed": "this person is in the household already",
    "spouse_limit": "a household covers at most {limit} spouse(s)",
    "child_limit": "a household covers at most {limit} children",
    "child_too_old": "children are covered until they turn {limit}",
    "child_too_old_out_of_school": "children are covered until {limit}, or {school_limit} while in school",
    "dependant_gone": "this person is no longer in the household",
}


class Refusal(Exception):
    """The rules say no. `kind` is one of WORDS; `params` are the figures it names."""

    def __init__(self, kind: str, **params):
        if kind not in WORDS:
            raise ValueError(f"unknown refusal {kind!r}")
        shown = {k: f"{v:,}".replace(",", " ") if isinstance(v, int) else v for k, v in params.items()}
        super().__init__(WORDS[kind].format(**shown))
        self.kind = kind
        self.params = params
