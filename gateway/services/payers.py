"""Who paid, as the member paid for is told (Mes paiements, receipts), and the language
a payer's own SMS is written in. A payer is known by phone only: a member's first name
when the phone is a member's, else the phone masked."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gateway.models import Member, PhonePreference
from languages import registry


def masked_phone(e164: str) -> str:
    """+22890112233 -> 90XXXX33: enough to recognise a relative's phone, not to call it."""
    local = e164.removeprefix("+228")
    return f"{local[:2]}XXXX{local[-2:]}"


def payer_label(session: Session, phone: str) -> str:
    name = session.scalar(select(Member.full_name).where(Member.phone == phone))
    return name.split()[0] if name else masked_phone(phone)


def phone_language(session: Session, phone: str) -> str:
    """The language the phone chose: its member's, else the phone's preference, else the default."""
    members = select(Member.language).where(Member.phone == phone).scalar_subquery()
    preferences = select(PhonePreference.language).where(PhonePreference.phone == phone).scalar_subquery()
    return registry().language(session.scalar(select(func.coalesce(members, preferences))))
