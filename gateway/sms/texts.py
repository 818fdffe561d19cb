"""SMS texts, French first, English second. One GSM-7 segment (160 characters) each."""
from __future__ import annotations

from ussd_menus.gsm7 import gsm7_length, to_gsm7

SEGMENT = 160
NAME_MAX = 20

TEXTS: dict[str, dict[str, str]] = {
    "fr": {
        "welcome": (
            "AMU Togo: Bienvenue {name}! Votre numéro AMU est {amu_number}. "
            "Gardez-le: il sert à payer vos cotisations et à vous faire soigner."
        ),
        "receipt_covered": (
            "AMU Togo: reçu {amount} le {day}, réf {reference}. Vous êtes couvert jusqu'au {until}. "
            "Épargne: {credit}. Merci!"
        ),
        "receipt_saving": (
            "AMU Togo: reçu {amount} le {day}, réf {reference}. Épargne: {credit}. "
            "Encore {missing} pour votre prochaine période de couverture."
        ),
        "receipt_payer": "AMU Togo: votre paiement de {amount} pour le membre {amu_number} est reçu, réf {reference}. Merci!",
        "payment_failed": (
            "AMU Togo: le paiement de {amount} (réf {reference}) n'a pas abouti. Aucun argent n'a été pris. "
            "Vous pouvez réessayer."
        ),
    },
    "en": {
        "welcome": (
            "AMU Togo: Welcome {name}! Your AMU number is {amu_number}. "
            "Keep it: you need it to pay contributions and to get care."
        ),
        "receipt_covered": (
            "AMU Togo: received {amount} on {day}, ref {reference}. You are covered until {until}. "
            "Savings: {credit}. Thank you!"
        ),
        "receipt_saving": (
            "AMU Togo: received {amount} on {day}, ref {reference}. Savings: {credit}. "
            "{missing} more buys your next period of cover."
        ),
        "receipt_payer": "AMU Togo: your payment of {amount} for member {amu_number} is received, ref {reference}. Thank you!",
        "payment_failed": (
            "AMU Togo: the payment of {amount} (ref {reference}) did not go through. No money was taken. "
            "You can try again."
        ),
    },
}


class SmsTooLong(ValueError):
    pass


def short_name(full_name: str) -> str:
    """The first name, cut so that any name fits the segment."""
    first = full_name.split()[0] if full_name.split() else full_name
    return first[:NAME_MAX]


def render_sms(kind: str, language: str, **params) -> str:
    catalog = TEXTS.get(language, TEXTS["fr"])
    if "name" in params:
        params["name"] = short_name(params["name"])
    text = to_gsm7(catalog[kind].format(**params))
    if gsm7_length(text) > SEGMENT:
        raise SmsTooLong(f"SMS {kind}/{language} is {gsm7_length(text)} characters: {text!r}")
    return text
