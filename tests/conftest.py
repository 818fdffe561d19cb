"""Test fixtures. With DATABASE_URL / REDIS_URL set, tests run on real PostgreSQL and
Redis (in a schema and a Redis database of their own); without them, on a SQLite file
and in-process stores. AMU_REQUIRE_SERVICES=1 (set by .ci/run) makes a missing service
a failure instead of a fallback."""
from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import text

from config.settings import Settings, normalise_database_url
from gateway.db import Base, make_engine, make_sessionmaker
from gateway.jobs.queue import EagerQueue, RqQueue
from gateway.migrate import sync_schemes, upgrade
from gateway.runtime import build_runtime, set_runtime
from gateway.sms.senders import LogSender

REQUIRE = os.environ.get("AMU_REQUIRE_SERVICES") == "1"
TEST_SCHEMA = "amu_test"
TEST_REDIS_DB = 13
KEEP = {"schemes", "scheme_rule_versions", "alembic_version"}


def _postgres_test_url(url: str) -> str:
    """The same server and database, but every table in the amu_test schema."""
    url = normalise_database_url(url)
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{TEST_SCHEMA}"


def _redis_test_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{TEST_REDIS_DB}"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    raw = os.environ.get("DATABASE_URL")
    if not raw:
        if REQUIRE:
            pytest.fail("AMU_REQUIRE_SERVICES=1 but DATABASE_URL is not set")
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'amu-test.sqlite3'}"
    else:
        admin = make_engine(normalise_database_url(raw))
        try:
            with admin.begin() as connection:
                connection.execute(text(f"DROP SCHEMA IF EXISTS {TEST_SCHEMA} CASCADE"))
                connection.execute(text(f"CREATE SCHEMA {TEST_SCHEMA}"))
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"DATABASE_URL is set but PostgreSQL cannot be used: {exc}")
        finally:
            admin.dispose()
        url = _postgres_test_url(raw)
    upgrade(url)
    engine = make_engine(url)
    with make_sessionmaker(engine).begin() as session:
        sync_schemes(session)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    raw = os.environ.get("REDIS_URL")
    if not raw:
        if REQUIRE:
            pytest.fail("AMU_REQUIRE_SERVICES=1 but REDIS_URL is not set")
        return None
    from redis import Redis

    url = _redis_test_url(raw)
    try:
        Redis.from_url(url).ping()
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"REDIS_URL is set but Redis cannot be used: {exc}")
    return url


@pytest.fixture
def settings(database_url, redis_url, tmp_path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url or "",
            "AMU_LOG_LEVEL": "WARNING",
            "AMU_PIN_PROMPT_DELAY": "0",
            "AMU_FAKE_SETTLE_DELAY": "0.05",
            "AMU_FAKE_MAGIC_AMOUNTS": "0",
            "AMU_FAKE_STATE": str(tmp_path / "fake-provider.sqlite3"),
        }
    )


@pytest.fixture
def sms() -> LogSender:
    return LogSender()


@pytest.fixture
def runtime(settings, sms):
    queue = None if settings.redis_url else EagerQueue()
    rt = build_runtime(settings, queue=queue, sms_sender=sms)
    if rt.redis is not None:
        rt.redis.flushdb()
    set_runtime(rt)
    yield rt
    set_runtime(None)
    _empty_tables(rt)
    if rt.redis is not None:
        rt.redis.flushdb()
        rt.redis.close()
    rt.close()


def _empty_tables(rt) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in KEEP]
    with rt.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def run_jobs(runtime):
    """Run whatever jobs are queued (a no-op where jobs already ran inline)."""

    def run() -> None:
        if isinstance(runtime.queue, RqQueue):
            runtime.queue.work()

    return run


@pytest.fixture
def fake_provider(runtime):
    """The fake provider as a real HTTP server, calling back a real HTTP gateway."""
    from payment_adapters.wsgi_thread import serve_wsgi_in_thread

    from gateway.web import create_app

    url, stop = serve_wsgi_in_thread(create_app(runtime=runtime))
    runtime.startembedded_fake_provider(url)
    yield runtime.embedded_fake.provider
    stop()


@pytest.fixture
def app(runtime):
    from gateway.web import create_app

    flask_app = create_app(runtime=runtime)
    flask_app.testing = True
    return flask_app


@pytest.fixture
def client(app):
    return app.test_client()
