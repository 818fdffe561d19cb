"""Journeys not built yet: each is one END screen saying it opens soon.

To open one, write its journey module with a first screen of the same id (e.g.
"pay.start"), then swap it for the placeholder in `journeys.default_journeys`.
"""
from ..screens import End, Journey

PAY = Journey("pay (placeholder)", (End("pay.start", "pay.unavailable"),))
PAY_OTHER = Journey("pay for a member (placeholder)", (End("pay_other.start", "pay.unavailable"),))
PAYMENTS = Journey("my payments (placeholder)", (End("payments.start", "pay.unavailable"),))
RHYTHM = Journey("rhythm (placeholder)", (End("rhythm.start", "rhythm.unavailable"),))
