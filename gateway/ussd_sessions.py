"""USSD session stores: Redis with a time-to-live in production, a dict in process on
the embedded default. A session is kept under its id AND its phone: another phone
posting the same session id finds nothing of the first phone's session. A session in
the middle of a form is also kept by phone for a few minutes (the draft) so that
dialling again can resume it."""
from __future__ import annotations

import json
import threading
import time
from typing import Protocol


class SessionStore(Protocol):
    def load(self, session_id: str, phone: str) -> dict | None: ...

    def save(self, session_id: str, phone: str, data: dict) -> None: ...

    def delete(self, session_id: str, phone: str) -> None: ...

    def load_draft(self, phone: str) -> dict | None: ...

    def save_draft(self, phone: str, data: dict) -> None: ...

    def drop_draft(self, phone: str) -> None: ...

    def ping(self) -> bool: ...


class RedisSessionStore:
    def __init__(self, redis, ttl: int, draft_ttl: int, prefix: str = "amu:ussd"):
        self.redis, self.ttl, self.draft_ttl, self.prefix = redis, ttl, draft_ttl, prefix

    def _get(self, key: str) -> dict | None:
        raw = self.redis.get(key)
        return json.loads(raw) if raw else None

    def load(self, session_id: str, phone: str) -> dict | None:
        return self._get(f"{self.prefix}:s:{phone}:{session_id}")

    def save(self, session_id: str, phone: str, data: dict) -> None:
        self.redis.set(f"{self.prefix}:s:{phone}:{session_id}", json.dumps(data), ex=self.ttl)

    def delete(self, session_id: str, phone: str) -> None:
        self.redis.delete(f"{self.prefix}:s:{phone}:{session_id}")

    def load_draft(self, phone: str) -> dict | None:
        return self._get(f"{self.prefix}:d:{phone}")

    def save_draft(self, phone: str, data: dict) -> None:
        if self.draft_ttl:
            self.redis.set(f"{self.prefix}:d:{phone}", json.dumps(data), ex=self.draft_ttl)

    def drop_draft(self, phone: str) -> None:
        self.redis.delete(f"{self.prefix}:d:{phone}")

    def ping(self) -> bool:
        return bool(self.redis.ping())


class MemorySessionStore:
    def __init__(self, ttl: int, draft_ttl: int, clock=time.monotonic):
        self.ttl, self.draft_ttl, self.clock = ttl, draft_ttl, clock
        self._data: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def _get(self, key: str) -> dict | None:
        with self._lock:
            found = self._data.get(key)
            if found is None:
                return None
            expires, raw = found
            if expires <= self.clock():
                del self._data[key]
                return None
            return json.loads(raw)

    def _set(self, key: str, data: dict, ttl: int) -> None:
        with self._lock:
            now = self.clock()
            if len(self._data) > 10_000:  # sweep expired entries now and then
                self._data = {k: v for k, v in self._data.items() if v[0] > now}
            self._data[key] = (now + ttl, json.dumps(data))

    def _del(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)

    def load(self, session_id, phone):
        return self._get(f"s:{phone}:{session_id}")

    def save(self, session_id, phone, data):
        self._set(f"s:{phone}:{session_id}", data, self.ttl)

    def delete(self, session_id, phone):
        self._del(f"s:{phone}:{session_id}")

    def load_draft(self, phone):
        return self._get("d:" + phone)

    def save_draft(self, phone, data):
        if self.draft_ttl:
            self._set("d:" + phone, data, self.draft_ttl)

    def drop_draft(self, phone):
        self._del("d:" + phone)

    def ping(self) -> bool:
        return True
