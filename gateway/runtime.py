"""Everything a process needs, built once from the settings: database, queue, SMS
sender, USSD session store. Web processes build it in create_app; RQ workers build it
from the environment on first use."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from config.settings import Settings
from gateway.db import make_engine, make_sessionmaker
from gateway.jobs.queue import InProcessQueue, JobQueue, RqQueue
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

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings, *, queue: JobQueue | None = None, sms_sender: SmsSender | None = None) -> Runtime:
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
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
