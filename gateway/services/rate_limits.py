"""How many times something may happen per window of time (e.g. a facility's checks per
minute). Counters live in Redis, shared by every process; without Redis (the embedded
default, one process) in memory."""
from __future__ import annotations

import threading

from gateway import clock


class RateLimiter:
    def __init__(self, redis=None, prefix: str = "amu:rate"):
        self.redis, self.prefix = redis, prefix
        self._counts: dict[tuple[str, int], int] = {}
        self._lock = threading.Lock()

    def allow(self, key: str, limit: int, window: int = 60) -> bool:
        """Count one more for `key` in the current window; False once past `limit`."""
        slot = int(clock.now().timestamp()) // window
        if self.redis is not None:
            name = f"{self.prefix}:{key}:{slot}"
            pipe = self.redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, window * 2)
            count = pipe.execute()[0]
        else:
            with self._lock:
                for old in [k for k in self._counts if k[1] < slot]:
                    del self._counts[old]
                count = self._counts[(key, slot)] = self._counts.get((key, slot), 0) + 1
        return count <= limit
