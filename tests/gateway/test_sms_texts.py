"""Every SMS in every language is one GSM-7 segment with the longest values it can carry
(issue 9 item 3): the largest amounts (AMU_MAX_PAYMENT's ceiling), the longest dates,
reference, USSD code and group count, and a 60-letter name in Ewe letters. Names are
shortened to fit; figures never are; folding loses no letter."""
import pytest

from languages import placeholders, registry
from gateway.sms.texts import phrase, render_sms
from ussd_menus.gsm7 import gsm7_length, is_gsm7, watch

LONGEST_NAME = "Kɔku Adjoa Mawuena Akouvi Dzifa Enyonam Abla Afiwa Ŋɔgbeviwa"
FIGURES = {
    "amount": "100 000 000 F",  # AMU_MAX_PAYMENT may be set up to 100 000 000
    "arrears": "9 999 999 F", "credit": "9 999 999 F", "missing": "9 999 999 F",  # below a period's price
    "reference": "AMU0123456789", "amu_number": "9999999999",
    "day": "31/12/2026", "until": "31/12/2027", "care_from": "31/12/2027", "suspends": "31/12/2027",
    "code": "*858*99*9#",  # AMU_USSD_CODE: at most 10 characters
    "count": 99_999, "days": 365, "weekday": "", "line": "",
    # health facilities' checks: the facility's name is cut to 30 characters, the code is the check's
    "facility": "Centre Hospitalier Regional Xy", "number": "9999999999-99", "date": "31/12/2026",
    "rate": 100, "share": 100, "limit": 99, "school_limit": 99,
}
NAMES = ("name", "payer", "payee", "group")
PIECES = ("sms.bought.", "sms.saved.")  # what a receipt's {bought} may be
ANSWERS = "sms.answer_"  # what a facility's check SMS's {answer} may be (also FHIR's words)


def messages(language: str) -> list[str]:
    return [key.removeprefix("sms.") for key in registry().languages[language].texts
            if key.startswith("sms.") and not key.startswith((*PIECES, ANSWERS))]


def pieces(language: str) -> list[str]:
    return [key.removeprefix("sms.") for key in registry().languages[language].texts if key.startswith(PIECES)]


def longest_weekday(language: str) -> str:
    return max((registry().text(language, f"weekday.{d}") for d in range(7)), key=len)


def renderings(language: str, kind: str):
    """Every way the message `kind` can read with the longest values (each piece it may carry)."""
    wanted = placeholders(registry().languages[language].texts[f"sms.{kind}"])
    params = {**{k: v for k, v in FIGURES.items() if k in wanted}, **{n: LONGEST_NAME for n in NAMES if n in wanted}}
    if "weekday" in wanted:
        params["weekday"] = longest_weekday(language)
    if "answer" in wanted:
        for key in registry().languages[language].texts:
            if key.startswith(ANSWERS):
                yield render_sms(kind, language, **params, answer=phrase(key.removeprefix("sms."), language, **FIGURES))
        return
    if "bought" not in wanted:
        yield render_sms(kind, language, **params)
        return
    for piece in pieces(language):
        needs = placeholders(registry().languages[language].texts[f"sms.{piece}"])
        yield render_sms(kind, language, **params, bought=(piece, {k: v for k, v in FIGURES.items() if k in needs}))


@pytest.mark.parametrize("language", registry().codes())
def test_every_sms_is_one_segment_with_the_longest_values(language):
    for kind in messages(language):
        with watch() as folds:
            texts = list(renderings(language, kind))
        for text in texts:
            assert gsm7_length(text) <= 160 and is_gsm7(text), (kind, gsm7_length(text), text)
            for figure in ("amount", "reference", "code", "day"):
                if f"{{{figure}}}" in registry().languages[language].texts[f"sms.{kind}"]:
                    assert FIGURES[figure] in text, (kind, figure, text)  # figures are never cut
        assert [f for f in folds if f.lost_a_letter] == [], kind


def test_a_name_is_shortened_only_as_much_as_the_segment_needs():
    short = render_sms("receipt_by", "fr", amount="10 000 F", day="01/01/2026", reference="AMU0123456789",
                       code="*858#", payer="Afi Mensah", bought=("bought.active", {"until": "31/01/2026"}))
    assert "payés par Afi Mensah le" in short  # room enough: the whole name
    longest = list(renderings("fr", "receipt_by"))
    assert all(" par Koku" in text for text in longest)  # at least the first name, folded readably


def test_every_message_has_both_languages_and_the_same_placeholders():
    assert registry().problems() == []
    assert set(messages("fr")) == set(messages("en"))
