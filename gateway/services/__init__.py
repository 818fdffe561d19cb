"""Services own transactions and idempotency; web handlers and menus stay thin."""
