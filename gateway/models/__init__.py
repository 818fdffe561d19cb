"""All tables. The schema itself only ever comes from migrations/."""
from gateway.models.contributions import Due, Group, GroupMember, PaymentSplit, Reminder
from gateway.models.facilities import Facility, FacilityCheck, FacilityCheckAnswer, FacilityPhone
from gateway.models.ledger import CoveragePeriod, LedgerAccount, LedgerEntry, LedgerLeg
from gateway.models.members import Dependent, Member, MembershipEvent, PhonePreference
from gateway.models.messaging import SmsMessage, UssdSessionEvent
from gateway.models.payments import PaymentEvent, PaymentIntent, ProviderCallback
from gateway.models.schemes import Scheme, SchemeRuleVersion

__all__ = [
    "Due",
    "Facility",
    "FacilityCheck",
    "FacilityCheckAnswer",
    "FacilityPhone",
    "Group",
    "GroupMember",
    "PaymentSplit",
    "Reminder",
    "CoveragePeriod",
    "Dependent",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerLeg",
    "Member",
    "MembershipEvent",
    "PaymentEvent",
    "PaymentIntent",
    "PhonePreference",
    "ProviderCallback",
    "Scheme",
    "SchemeRuleVersion",
    "SmsMessage",
    "UssdSessionEvent",
]
