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
        "receipt_group": (
            "AMU Togo: le paiement de groupe de {amount} est reçu, réf {reference}, et partagé entre {count} membres. "
            "Chacun reçoit son reçu."
        ),
        "payment_failed": (
            "AMU Togo: le paiement de {amount} (réf {reference}) n'a pas abouti. Aucun argent n'a été pris. "
            "Vous pouvez réessayer."
        ),
        "reminder_due": (
            "AMU Togo: demain {weekday} {day}, votre cotisation de {amount} est attendue. "
            "Payez par USSD. Arrêter les rappels: menu Mon rythme."
        ),
        "reminder_grace": (
            "AMU Togo: votre couverture a pris fin le {day}. Vous restez couvert un temps: "
            "payez vite pour garder vos droits."
        ),
        "reminder_suspension_soon": (
            "AMU Togo: sans paiement, vos droits seront suspendus le {day}. "
            "Payez par USSD pour rester couvert."
        ),
        # health facilities' checks of rights (tiers payant)
        "check_member": (
            "AMU Togo: {facility} a vérifié vos droits pour le {day}, code {code}. "
            "Pas vous ? Menu Mes droits: Ce n'était pas moi."
        ),
        "check_dependant": (
            "AMU Togo: {facility} a vérifié les droits de {name} pour le {day}, code {code}. "
            "Pas vous ? Menu Mes droits."
        ),
        "check_facility": "AMU Togo: code {code}, {number}, le {day}: {answer}",
        "answer_active": "COUVERT, droits payés jusqu'au {date}. AMU {rate}%, patient {share}%.",
        "answer_grace": "COUVERT, cotisation en retard (suspension le {date}). AMU {rate}%, patient {share}%.",
        "answer_waiting": "NON COUVERT, délai de carence: soins pris en charge dès le {date}.",
        "answer_suspended": "NON COUVERT, suspendu depuis le {date}: payer {amount} pour reprendre, puis délai de carence.",
        "answer_suspended_no_wait": "NON COUVERT, suspendu depuis le {date}: payer {amount} pour reprendre.",
        "answer_pending": "NON COUVERT, aucune cotisation: payer {amount}, puis délai de carence de {days} jours.",
        "answer_pending_no_wait": "NON COUVERT, aucune cotisation: payer {amount} pour ouvrir les droits.",
        "answer_age_limit": "NON COUVERT depuis le {date}: enfant de plus de {limit} ans ({school_limit} ans à l'école).",
        "answer_not_in_household": "NON COUVERT: ne fait pas partie du foyer à cette date.",
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
        "receipt_group": (
            "AMU Togo: the group payment of {amount} is received, ref {reference}, and shared among {count} members. "
            "Each gets a receipt."
        ),
        "payment_failed": (
            "AMU Togo: the payment of {amount} (ref {reference}) did not go through. No money was taken. "
            "You can try again."
        ),
        "reminder_due": (
            "AMU Togo: tomorrow, {weekday} {day}, your contribution of {amount} is expected. "
            "Pay by USSD. Stop reminders: menu My rhythm."
        ),
        "reminder_grace": (
            "AMU Togo: your cover ended on {day}. You stay covered for a while: pay soon to keep your rights."
        ),
        "reminder_suspension_soon": (
            "AMU Togo: without a payment, your rights will be suspended on {day}. Pay by USSD to stay covered."
        ),
        # health facilities' checks of rights (tiers payant)
        "check_member": (
            "AMU Togo: {facility} checked your rights for {day}, code {code}. "
            "Not you? Menu My rights: It was not me."
        ),
        "check_dependant": (
            "AMU Togo: {facility} checked the rights of {name} for {day}, code {code}. "
            "Not you? Menu My rights."
        ),
        "check_facility": "AMU Togo: code {code}, {number}, on {day}: {answer}",
        "answer_active": "COVERED, paid until {date}. AMU {rate}%, patient {share}%.",
        "answer_grace": "COVERED, contributions late (suspended on {date}). AMU {rate}%, patient {share}%.",
        "answer_waiting": "NOT COVERED, waiting period: care paid from {date}.",
        "answer_suspended": "NOT COVERED, suspended since {date}: pay {amount} to resume, then a waiting period.",
        "answer_suspended_no_wait": "NOT COVERED, suspended since {date}: pay {amount} to resume.",
        "answer_pending": "NOT COVERED, nothing paid: pay {amount}, then a waiting period of {days} days.",
        "answer_pending_no_wait": "NOT COVERED, nothing paid: pay {amount} to open the rights.",
        "answer_age_limit": "NOT COVERED since {date}: a child over {limit} ({school_limit} in school).",
        "answer_not_in_household": "NOT COVERED: not in the household on that day.",
    },
}


class SmsTooLong(ValueError):
    pass


def short_name(full_name: str) -> str:
    """The first name, cut so that any name fits the segment."""
    first = full_name.split()[0] if full_name.split() else full_name
    return first[:NAME_MAX]


def phrase(key: str, language: str, **params) -> str:
    """A text of the table as written (not folded to GSM-7): a part of an SMS, or an
    answer given by another channel (FHIR)."""
    return TEXTS.get(language, TEXTS["fr"])[key].format(**params)


def render_sms(kind: str, language: str, **params) -> str:
    catalog = TEXTS.get(language, TEXTS["fr"])
    if "name" in params:
        params["name"] = short_name(params["name"])
    text = to_gsm7(catalog[kind].format(**params))
    if gsm7_length(text) > SEGMENT:
        raise SmsTooLong(f"SMS {kind}/{language} is {gsm7_length(text)} characters: {text!r}")
    return text
