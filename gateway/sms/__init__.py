"""SMS: texts, the outbox (every message stored before it is queued) and senders."""
