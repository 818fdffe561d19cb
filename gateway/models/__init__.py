"""All tables. The schema itself only ever comes from migrations/."""
from gateway.models.members import Dependent, Member, MembershipEvent, PhonePreference
from gateway.models.schemes import Scheme, SchemeRuleVersion
from gateway.models.messaging import SmsMessage, UssdSessionEvent

__all__ = [
    "Dependent",
    "Member",
    "MembershipEvent",
    "PhonePreference",
    "Scheme",
    "SchemeRuleVersion",
    "SmsMessage",
    "UssdSessionEvent",
]
