"""How many members one phone may look up in an hour (Payer pour un membre), so that
nobody can walk through phone or AMU numbers to learn who is a member.

A rolling hour: Redis keeps each phone's lookups in a sorted set (shared by every web
process); the embedded default keeps them in this process, which is the only one.
"""
from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque

WINDOW = 3600  # seconds


class RedisLookups:
    def __init__(self, redis, per_hour: int, prefix: str = "amu:lookups", clock=time.time):
        self.redis, self.per_hour, self.prefix, self.clock = redis, per_hour, prefix, clock

    def allow(self, phone: str) -> bool:
        """Count one lookup by `phone`; False once it is over the hour's allowance."""
        now = self.clock()
        key = f"{self.prefix}:{phone}"
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(key, 0, now - WINDOW)
        pipe.zadd(key, {f"{now}:{secrets.token_hex(4)}": now})
        pipe.zcard(key)
        pipe.expire(key, WINDOW)
        return pipe.execute()[2] <= self.per_hour


class MemoryLookups:
    def __init__(self, per_hour: int, clock=time.monotonic):
        self.per_hour, self.clock = per_hour, clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, phone: str) -> bool:
        now = self.clock()
        with self._lock:
            seen = self._seen[phone]
            while seen and seen[0] <= now - WINDOW:
                seen.popleft()
            seen.append(now)
            return len(seen) <= self.per_hour


def lookup_limit(runtime) -> RedisLookups | MemoryLookups:
    per_hour = runtime.settings.payee_lookups_per_hour
    return RedisLookups(runtime.redis, per_hour) if runtime.redis is not None else MemoryLookups(per_hour)
