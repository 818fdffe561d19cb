"""Health facilities under convention: a kind, a region, the phones that check rights by
USSD, and an API key for their software (FHIR).

The API key is `amuf_<key id>_<secret>`: 256 random bits of secret, shown once. Only the
key id (to find the facility without a scan) and the SHA-256 of the whole key are kept;
a slow hash adds nothing to a secret that long. Keys are compared in constant time.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from config.reference import codes
from gateway import clock
from gateway.models import Facility, FacilityPhone
from gateway.models.facilities import FACILITY_KINDS
from gateway.phones import InvalidPhone, normalise_phone

KEY_PREFIX = "amuf"
KEY_ID_BYTES = 6  # 12 hex characters: public, names the key in logs and audit rows
SECRET_BYTES = 32
LONGEST_KEY = 200
NAME_LENGTH = (2, 80)
_KEY_ID = re.compile(f"[0-9a-f]{{{2 * KEY_ID_BYTES}}}")


class FacilityError(ValueError):
    """A facility cannot be registered or changed as asked; the message says why."""


@dataclass(frozen=True)
class IssuedKey:
    facility_id: int
    name: str
    api_key: str  # shown once: only its hash is kept


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


def _new_key(facility: Facility) -> str:
    key_id = secrets.token_hex(KEY_ID_BYTES)
    key = f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(SECRET_BYTES)}"
    facility.api_key_id, facility.api_key_hash = key_id, _digest(key)
    facility.api_key_created_at, facility.api_key_revoked_at = clock.now(), None
    return key


def _phones(raw_phones) -> list[str]:
    phones = []
    for raw in raw_phones:
        try:
            phones.append(normalise_phone(raw))
        except InvalidPhone as exc:
            raise FacilityError(str(exc)) from None
    return list(dict.fromkeys(phones))


def _check_free(session: Session, phones: list[str], facility_id: int | None = None) -> None:
    taken = session.execute(select(FacilityPhone.phone, FacilityPhone.facility_id).where(FacilityPhone.phone.in_(phones)))
    for phone, owner in taken:
        if owner != facility_id:
            raise FacilityError(f"{phone} is already registered to facility #{owner}")


def add_facility(session: Session, name: str, kind: str, region: str, phones=()) -> IssuedKey:
    name = " ".join((name or "").split())
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1]:
        raise FacilityError(f"a facility's name has {NAME_LENGTH[0]} to {NAME_LENGTH[1]} characters")
    if kind not in FACILITY_KINDS:
        raise FacilityError(f"kind must be one of {', '.join(FACILITY_KINDS)}, not {kind!r}")
    if region not in codes("regions"):
        raise FacilityError(f"unknown region {region!r}; one of: {', '.join(sorted(codes('regions')))}")
    numbers = _phones(phones)
    _check_free(session, numbers)
    facility = Facility(name=name, kind=kind, region=region, created_at=clock.now())
    key = _new_key(facility)
    session.add(facility)
    session.flush()
    _add_phones(session, facility, numbers)
    return IssuedKey(facility.id, facility.name, key)


def _add_phones(session: Session, facility: Facility, numbers: list[str]) -> None:
    try:
        with session.begin_nested():
            session.add_all(FacilityPhone(facility_id=facility.id, phone=p, added_at=clock.now()) for p in numbers)
            session.flush()
    except IntegrityError:  # registered elsewhere meanwhile: the unique index decides
        raise FacilityError("a phone was registered to another facility at the same time; try again") from None


def change_phones(session: Session, facility: Facility, add=(), remove=()) -> list[str]:
    """Register `add` and forget `remove`; returns the facility's phones after."""
    adding, removing = _phones(add), _phones(remove)
    _check_free(session, adding, facility.id)
    current = set(phones_of(session, facility.id))
    unknown = [p for p in removing if p not in current]
    if unknown:
        raise FacilityError(f"{', '.join(unknown)} is not a phone of facility #{facility.id}")
    for row in session.scalars(select(FacilityPhone).where(FacilityPhone.phone.in_(removing))):
        session.delete(row)
    _add_phones(session, facility, [p for p in adding if p not in current])
    return phones_of(session, facility.id)


def phones_of(session: Session, facility_id: int) -> list[str]:
    return list(session.scalars(
        select(FacilityPhone.phone).where(FacilityPhone.facility_id == facility_id).order_by(FacilityPhone.id)))


def rotate_key(session: Session, facility: Facility) -> IssuedKey:
    """A new key; the old one stops working at once."""
    return IssuedKey(facility.id, facility.name, _new_key(facility))


def revoke_key(session: Session, facility: Facility) -> None:
    if facility.api_key_revoked_at is None:
        facility.api_key_revoked_at = clock.now()


def key_state(facility: Facility) -> str:
    return "revoked" if facility.api_key_revoked_at else "active"


def facility_by_key(session: Session, key: str) -> Facility | None:
    """The facility whose API key this is, unless revoked; None for anything else."""
    if not key or len(key) > LONGEST_KEY or not key.isascii():
        return None
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != KEY_PREFIX or not _KEY_ID.fullmatch(key_id) or not secret:
        return None
    facility = session.scalar(select(Facility).where(Facility.api_key_id == key_id))
    if facility is None or not hmac.compare_digest(_digest(key), facility.api_key_hash):
        return None
    return None if facility.api_key_revoked_at else facility


def facility_of_phone(session: Session, phone: str) -> Facility | None:
    return session.scalar(
        select(Facility).join(FacilityPhone, FacilityPhone.facility_id == Facility.id).where(FacilityPhone.phone == phone))


def find_facility(session: Session, facility_id: int) -> Facility:
    facility = session.get(Facility, facility_id)
    if facility is None:
        raise FacilityError(f"no facility #{facility_id}")
    return facility
