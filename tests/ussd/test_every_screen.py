"""Walk every screen of every journey, in every language, and check what a phone would get.

A breadth-first walk from each starting situation tries every option shown, every
page (98), back, home, a wrong entry, and sample typed values (valid, invalid and
the longest allowed), so error variants and every list page are rendered too.

Every screen must fit, and folding it into GSM-7 must lose no letter (a letter folded
to "?" fails, names in Ewe letters included) and, in the catalogs' words, only the
folds no GSM-7 spelling avoids (`check_folds`; test_gsm7.py proves it can fail).
"""
from __future__ import annotations

import copy
import json
import re
from collections import deque
from dataclasses import dataclass
from datetime import date

import pytest

from config.reference import reference_lists
from ussd_menus import Engine, UssdRequest, gsm7_length, is_gsm7
from languages import registry
from ussd_menus.facility_services import CheckView
from ussd_menus.gsm7 import Fold, watch
from ussd_menus.screens import Action, Input
from ussd_menus.services import PaymentOffer, Refused

from .fakes import LOOKUPS_PER_HOUR, FakeServices, amu_number, check_answer, dependent, mask_name, rhythm_view, rights

CATALOGS = registry().texts()

LONGEST_NAME = "Kɔku Adjoa Mawuena Akouvi Dzifa Enyonam Abla Afiwa Ŋɔgbeviwa"  # 60 letters, Ewe ones too
PAYEE_NUMBER = amu_number("987654321")
SWAPPED = PAYEE_NUMBER[:-3] + PAYEE_NUMBER[-2] + PAYEE_NUMBER[-3] + PAYEE_NUMBER[-1]  # a typo the check digit catches
WORST_OFFER = PaymentOffer(suggested=list(range(9_999_990, 9_999_996)), minimum=100, maximum=9_999_999,
                           period_price=9_999_999, arrears=9_999_989)
TYPED = {  # what to type on each input screen: the longest valid value first, then wrong ones
    "join.name": [LONGEST_NAME, "Kossi*Mensah", "K"],
    "join.birth_date": ["17051990", "31021990", "01012030", "01012015"],
    "household.name": [LONGEST_NAME, "K"],
    # 22 (asked about school), 10, 27 (too old), the listed spouse's date, future, too old to be true
    "household.birth_date": ["01012003", "01012015", "01011998", "01011990", "01012030", "01011890"],
    # the payee (spaced), by phone, a typo, nobody's number, nobody's phone, neither
    "pay_other.start": [f"{PAYEE_NUMBER[:5]} {PAYEE_NUMBER[5:]}", "90 00 00 09", SWAPPED, amu_number("111111111"),
                        "+22890000099", "12345"],
    "household.fix_name": [LONGEST_NAME, "K"],
    # 22 (in school or not: the services decide), too old, future
    "household.fix_birth": ["01012003", "01011998", "01012030"],
    "payment.other_amount": ["9 999 999", "99", "10 000 000", "12a"],
    # too small to share (every walked group has 2 members or more), below the minimum, too large
    "payment.group_amount": ["9 999 999", "1", "50", "10 000 000", "12a"],
    # the member's AMU number, their phone, a typo, nobody's number, not a number
    "facility.who": [PAYEE_NUMBER, "90000009", SWAPPED, amu_number("111111111"), "12a"],
}
# Answers never shown again and deciding no route: walks that differ only by them show
# the same screens, so the walk does not tell them apart (it would not end otherwise).
UNSEEN_FIELDS = {"sex", "occupation"}
NOT_FOLLOWED = {"lang.menu"}  # the other language has its own walk
PAYING = frozenset({"payment.amount", "pay_other.start"})  # where the pay journeys start
RHYTHM = frozenset({"rhythm.start"})
GROUP_PAYING = frozenset({"payment.group_amount", "pay_group.pick"})
LONGEST_GROUP = "Cooperative des productrices de soja et de mais de la prefecture de Tchaoudjo II"[:80]
WORST_PRICES = dict.fromkeys(("monthly", "quarterly", "half_yearly", "yearly"), 9_999_999)
NEW, MEMBER, PAYEE = "+22890112233", "+22899887766", "+22890000009"
NAME_LETTERS = set("ɔŊ")  # the letters of LONGEST_NAME outside GSM-7
# Catalog letters no GSM-7 spelling avoids: "Août" (no other name for August), "Français"
# (the language's own name, in the Langue menu). Anything else is reworded, not folded.
UNAVOIDABLE_FOLDS = {"û": "Août", "ç": "Français"}
OPTION = re.compile(r"^(\d+)\. ", re.MULTILINE)

FULL_HOUSEHOLD = [dependent(1, "spouse", LONGEST_NAME, date(1990, 1, 1))] + [
    dependent(i, "child", LONGEST_NAME, date(2010, 1, i)) for i in range(2, 6)
]  # the base household: one more costs extra
MAXED_HOUSEHOLD = [dependent(i, "spouse", LONGEST_NAME, date(1990, 1, i)) for i in range(1, 5)] + [
    dependent(i, "child", LONGEST_NAME, date(2010, 1, i)) for i in range(5, 15)
]  # no one more can be added


@dataclass
class Situation:
    services: FakeServices
    phone: str
    draft: dict | None = None
    network: str | None = "yas"
    # shown but not explored further: another situation explores them (keeps the walk short)
    not_followed: frozenset[str] = frozenset()


def situations(language: str) -> list[Situation]:
    """Every situation that leads to different screens."""
    found = []

    def services(prices: dict[str, int] | None = None, **member) -> FakeServices:
        fake = FakeServices(reference=reference_lists())
        fake.prices = prices or fake.prices
        fake.set_language(NEW, language)
        fake.set_language(MEMBER, language)
        if member:
            fake.add_member(MEMBER, LONGEST_NAME, language, **member)
        return fake

    def paying() -> FakeServices:
        """The longest amounts and names, a payee to find, a full history with a payment on its way."""
        fake = services(state=rights("active"))
        payer = fake.members[MEMBER]
        payee = fake.add_member(PAYEE, LONGEST_NAME, language, number=PAYEE_NUMBER)
        fake.offers = {payer.id: WORST_OFFER, payee.id: WORST_OFFER}
        for status in ("succeeded", "failed", "expired", "created", "pending", "succeeded"):
            fake.add_payment(payer.id, 9_999_999, status, day=date(2024, 12, 31))
        fake.add_payment(payer.id, WORST_OFFER.suggested[0], "pending", payer_phone=MEMBER)  # dialled again: reused
        fake.add_payment(payer.id, 9_999_999, "succeeded", payer_phone=PAYEE)  # paid by someone else
        group = fake.add_group(payee, LONGEST_GROUP, 9_999)
        fake.add_payment(payer.id, 9_999_999, "pending", payer_phone=PAYEE, group_id=group.id, share=9_999_999)
        return fake

    def leading(*members: int) -> FakeServices:
        """A leader of groups with the longest name, paying the largest amounts."""
        fake = paying()
        for count in members:
            fake.add_group(fake.members[MEMBER], LONGEST_GROUP, count)
        return fake

    found.append(Situation(services(), NEW, not_followed=PAYING))  # joins
    refusing = services()
    refusing.refuse_enrolment = Refused("join.already_member")
    found.append(Situation(refusing, NEW, not_followed=PAYING))
    not_rhythm = PAYING | RHYTHM
    for state in ("pending", "waiting", "active", "grace", "suspended"):  # a full household, refusals
        worst = rights(state, credit=123456, period_label="half_yearly", period_price=1054000)
        # one state walks the corrections and removals of each dependant (their screens differ only by name)
        fixes = not_rhythm if state == "waiting" else not_rhythm | {"household.detail"}
        found.append(Situation(services(state=worst, dependents=FULL_HOUSEHOLD), MEMBER, not_followed=fixes))
    found.append(Situation(services(state=rights("active"), dependents=MAXED_HOUSEHOLD), MEMBER,
                           not_followed=not_rhythm | {"household.detail"}))
    found.append(Situation(services(state=rights("active")), MEMBER, not_followed=not_rhythm))  # additions
    for question in ("resume.join", "resume.pay", "resume.household", "resume.household_fix", "resume.rhythm"):
        draft = {"screen": "join.sex", "stack": ["home.new", "join.name", "join.birth_date", "join.sex"],
                 "form": {"full_name": LONGEST_NAME, "birth_date": "1990-05-17"}, "resume": question}
        # the resume offer with each question; the restored form is walked once
        walked = PAYING if question == "resume.join" else frozenset({"resume", "home.new"})
        found.append(Situation(services(), NEW, draft, not_followed=walked))
    not_paying = frozenset({"household.list", "join.name", "rhythm.start"})
    found.append(Situation(paying(), MEMBER, not_followed=not_paying))  # for oneself and for the payee
    found.append(Situation(paying(), NEW, network=None, not_followed=not_paying))  # the network is asked
    curious = paying()  # looked up too many members this hour: the polite refusal
    curious.lookups[MEMBER] = LOOKUPS_PER_HOUR
    found.append(Situation(curious, MEMBER, not_followed=not_paying | {"payment.amount"}))
    refused = paying()
    refused.refuse_payment = Refused("pay.too_large", maximum=WORST_OFFER.maximum)
    found.append(Situation(refused, MEMBER, network="moov", not_followed=not_paying))  # refusal on the amounts
    only_rhythm = PAYING | {"household.list"}
    # the longest weekday, reminders off (the longest option), then every new rhythm and its end
    weekly = rhythm_view("weekly", weekday=2, reminders=False, prices=WORST_PRICES)
    found.append(Situation(services(WORST_PRICES, rhythm=weekly), MEMBER, not_followed=only_rhythm))
    seasonal = rhythm_view("seasonal", months=(9, 10, 11, 12), prices=WORST_PRICES)  # a long season
    found.append(Situation(services(WORST_PRICES, rhythm=seasonal), MEMBER,
                           not_followed=only_rhythm | {"rhythm.change.rhythm"}))
    not_group = not_paying | PAYING
    found.append(Situation(leading(9_999), MEMBER, not_followed=not_group))  # one group: straight to the amount
    found.append(Situation(leading(2, 9_999), MEMBER, network=None, not_followed=not_group))  # a list to pick from
    found += facility_situations(services, language, not_paying | PAYING)
    return found


def facility_situations(services, language: str, not_followed: frozenset[str]) -> list[Situation]:
    """A facility's phone checking a full household (the longest answer), and a member
    whose household was checked twice lately (Ce n'était pas moi)."""
    checking = services()
    checking.add_facility(NEW, LONGEST_GROUP)
    payee = checking.add_member(PAYEE, LONGEST_NAME, language, number=PAYEE_NUMBER, dependents=FULL_HOUSEHOLD)
    worst = check_answer(masked_name=mask_name(LONGEST_NAME), relation="spouse", covered=False, reason="suspended",
                         amount=9_999_999)
    checking.check_answers = {f"{payee.amu_number}-{rank:02d}": worst for rank in range(len(FULL_HOUSEHOLD) + 1)}
    reporting = services(state=rights("active"))
    reporting.checks = {1: [CheckView("7KQ2MX", LONGEST_GROUP, date(2025, 6, 14), "Kossiwa"),
                            CheckView("ABCDEF", LONGEST_GROUP, date(2025, 6, 1), "")]}
    return [Situation(checking, NEW, not_followed=not_followed),
            Situation(reporting, MEMBER, not_followed=not_followed | {"rights.show", "rhythm.start"})]


def entries_to_try(session: dict, text: str, not_followed: frozenset[str]) -> list[str]:
    screen_id = session["screen"]
    tries = ["0", "00", "99"]
    if screen_id in NOT_FOLLOWED | not_followed:
        return tries
    if screen_id in TYPED:
        return TYPED[screen_id] + tries
    numbers = [n for n in OPTION.findall(text) if n not in ("0", "00", "98")]
    return numbers + (["98"] if "\n98. " in text else []) + tries


def walk(engine: Engine, situation: Situation, max_chars: int):
    """Every (screen id, text) reachable from dialling in this situation."""
    def hop(text, session, fake, draft=None):
        request = UssdRequest("walk", situation.phone, situation.network, "*888#", text)
        reply, session = engine.handle(request, session, fake, max_chars=max_chars, draft=draft)
        return reply, json.loads(json.dumps(session))

    reply, session = hop("", None, situation.services, situation.draft)
    queue, seen, rendered = deque([("", session, situation.services, reply)]), set(), set()
    while queue:
        text, session, fake, reply = queue.popleft()
        rendered.add((session["screen"], reply.text))
        form = {k: v for k, v in session["form"].items() if k not in UNSEEN_FIELDS}
        key = (session["screen"], reply.text, json.dumps(form, sort_keys=True))
        if reply.end or key in seen:
            continue
        seen.add(key)
        assert len(seen) < 5000, "the walk does not converge"
        for entry in entries_to_try(session, reply.text, situation.not_followed):
            forked = fake.fork()
            typed = f"{text}*{entry}" if text else entry
            reply_to_entry, next_session = hop(typed, copy.deepcopy(session), forked)
            queue.append((typed, next_session, forked, reply_to_entry))
    return rendered


def test_the_typo_in_the_walk_is_a_real_one():
    assert SWAPPED != PAYEE_NUMBER and sorted(SWAPPED) == sorted(PAYEE_NUMBER)


def test_the_walk_knows_what_to_type_on_every_input_screen(engine):
    assert {sid for sid, s in engine.screens.items() if isinstance(s, Input)} <= set(TYPED)


def check_folds(folds: list[Fold]) -> list[str]:
    """What folding lost that it must not: a letter turned into "?" (or nothing), or a
    catalog word that GSM-7 could have written (only UNAVOIDABLE_FOLDS may fold)."""
    lost = sorted({f"{f.char!r} -> {f.into!r}" for f in folds if f.lost_a_letter})
    needless = sorted({f.char for f in folds if f.char not in NAME_LETTERS and not f.lost_a_letter}
                      - set(UNAVOIDABLE_FOLDS))
    return lost + [f"{char!r} folded" for char in needless]


@pytest.mark.slow
@pytest.mark.parametrize("max_chars", [160, 182])
@pytest.mark.parametrize("language", list(CATALOGS))
def test_every_screen_is_gsm7_and_fits(engine, language, max_chars):
    rendered = set()
    with watch() as folds:
        for situation in situations(language):
            rendered |= walk(engine, situation, max_chars)
    too_long = [(sid, text) for sid, text in rendered if gsm7_length(text) > max_chars]
    not_gsm7 = [(sid, text) for sid, text in rendered if not is_gsm7(text)]
    assert too_long == [] and not_gsm7 == []
    assert check_folds(folds) == []
    assert NAME_LETTERS & {f.char for f in folds}, "the walk typed no name in Ewe letters"
    shown = {sid for sid, _ in rendered}
    never_shown = {sid for sid, s in engine.screens.items() if not isinstance(s, Action)} - shown
    assert never_shown == set(), "the walk missed screens: add a situation or a typed value"
