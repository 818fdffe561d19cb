"""Everything a process needs, built once from the settings: database, queue, SMS
sender, USSD session store. Web processes build it in create_app; RQ workers build it
from the environment on first use."""
from __future__ import annotations

import threading
from urllib.parse import urlencode
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from gateway.db import make_engine, make_sessionmaker
from gateway.jobs.queue import InProcessQueue, JobQueue, RqQueue
from gateway.logs import configure_logging
from gateway.services.rate_limits import RateLimiter
from gateway.sms.senders import SmsSender, build_sender
from gateway.ussd_sessions import MemorySessionStore, RedisSessionStore, SessionStore


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    db: sessionmaker
    queue: JobQueue
    sms_sender: SmsSender
    sessions: SessionStore
    redis: object | None = None
    adapter_settings: dict = field(default_factory=dict)
    _adapters: dict = field(default_factory=dict)
    embedded_fake: object | None = None
    rate_limiter: object | None = None  # gateway.services.rate_limits.RateLimiter

    @property
    def public_url(self) -> str:
        return (self.adapter_settings.get("AMU_PUBLIC_URL") or self.settings.public_url).rstrip("/")

    def callback_url(self, provider: str) -> str:
        token = f"?{urlencode({'token': self.settings.callback_token})}" if self.settings.callback_token else ""
        return f"{self.public_url}/payments/{provider}/callback{token}"

    def adapter(self, name: str):
        """The payment adapter called `name`, built once from the settings."""
        if name not in self._adapters:
            from payment_adapters import build_adapter

            self._adapters[name] = build_adapter(name, self.adapter_settings)
        return self._adapters[name]

    def startembedded_fake_provider(self, public_url: str | None = None) -> str:
        """Run the fake provider in this process (the embedded default) and point the
        fake adapter at it; its callbacks go to `public_url`."""
        from payment_adapters.fake import start_embedded_provider

        if public_url:
            self.adapter_settings["AMU_PUBLIC_URL"] = public_url
        if self.embedded_fake is None:
            self.embedded_fake = start_embedded_provider(self.adapter_settings)
            self.adapter_settings.update(self.embedded_fake.settings)
            self._adapters.pop("fake", None)
        return self.embedded_fake.base_url

    def close(self) -> None:
        if self.embedded_fake is not None:
            self.embedded_fake.stop()
        self.engine.dispose()


def build_runtime(settings: Settings, *, queue: JobQueue | None = None, sms_sender: SmsSender | None = None) -> Runtime:
    configure_logging(settings)
    engine = make_engine(settings.database_url)
    redis = None
    if settings.redis_url:
        from redis import Redis

        redis = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=5)
        sessions: SessionStore = RedisSessionStore(redis, settings.ussd_session_ttl, settings.ussd_draft_ttl)
        queue = queue or RqQueue(redis, settings.queue_name, settings.job_retries)
    else:
        sessions = MemorySessionStore(settings.ussd_session_ttl, settings.ussd_draft_ttl)
        queue = queue or InProcessQueue(settings.job_retries)
    return Runtime(
        settings=settings,
        engine=engine,
        db=make_sessionmaker(engine),
        queue=queue,
        sms_sender=sms_sender or build_sender(settings),
        sessions=sessions,
        redis=redis,
        rate_limiter=RateLimiter(redis),
        # AMU_HTTP_TIMEOUT is documented for every outbound call: the adapters' read timeout.
        adapter_settings={"AMU_HTTP_READ_TIMEOUT": str(settings.http_timeout), **settings.raw},
    )


_current: Runtime | None = None
_lock = threading.Lock()


def set_runtime(runtime: Runtime | None) -> None:
    global _current
    _current = runtime


def get_runtime() -> Runtime:
    global _current
    with _lock:
        if _current is None:
            _current = build_runtime(Settings.from_env())
        return _current
