"""What USSD gateways send, read the same way for every channel: the caller's number, the
network of the session and the code dialled."""
from __future__ import annotations

from gateway.phones import default_network, normalise_phone

# We cannot know the language of a phone we refuse, so both are said.
NOT_TOGO = "Service réservé aux mobiles du Togo.\nFor Togo mobile numbers only."
LONGEST_DIALLED = 40


def international_phone(raw: str) -> str:
    """A number as hubs send it, international without '+' ('22890112233'), or with it:
    E.164. Raises InvalidPhone for anything that is not a Togo mobile."""
    text = (raw or "").strip()
    if text.isdigit() and not text.startswith("0"):
        text = "+" + text
    return normalise_phone(text)


def network_for(settings, field: str | None, phone: str) -> str | None:
    """The wallet network a session is offered first: what the gateway's own field names
    (Africa's Talking networkCode, a Flares MSC address, an Infobip network), mapped by
    AMU_USSD_NETWORKS exactly or by its longest prefix (an MSC address starts with its
    operator's digits); else the network the number's prefix usually belongs to."""
    value = (field or "").strip()
    networks = settings.ussd_networks
    if value in networks:
        return networks[value]
    if value.isdigit():
        prefixes = [key for key in networks if key.isdigit() and value.startswith(key)]
        if prefixes:
            return networks[max(prefixes, key=len)]
    return default_network(phone)


def split_dialled(dialled: str) -> tuple[str, str]:
    """The service code and the entries dialled with it, as Africa's Talking would send
    them: '*858*1*2#' -> ('*858#', '1*2'); '858' (Flares) -> ('*858#', '')."""
    body = (dialled or "").strip()[:LONGEST_DIALLED].rstrip("#").lstrip("*")
    code, _, entries = body.partition("*")
    return f"*{code}#", entries

