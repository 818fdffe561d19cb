"""/metrics answers only its own token or allowed addresses, and a scrape is cheap: the
database is counted at most once per AMU_METRICS_CACHE_SECONDS, however often scraped."""
import re

import pytest
from sqlalchemy import event

from config.settings import Settings

METRICS_TOKEN = "metrics-token-not-real"


@pytest.fixture
def configured(runtime, monkeypatch):
    def configure(**env):
        monkeypatch.setattr(runtime, "settings", Settings.from_env({**runtime.settings.raw, **env}))
        from gateway.web import create_app

        app = create_app(runtime=runtime)
        app.testing = True
        return app.test_client()

    return configure


def test_a_scrape_needs_the_metrics_token_when_one_is_set(configured):
    client = configured(AMU_METRICS_TOKEN=METRICS_TOKEN)

    without = client.get("/metrics")
    wrong = client.get("/metrics", headers={"Authorization": "Bearer guess"})
    in_query = client.get(f"/metrics?token={METRICS_TOKEN}")
    right = client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})

    assert (without.status_code, wrong.status_code, in_query.status_code) == (403, 403, 403)
    assert right.status_code == 200 and "amu_payments" in right.get_data(as_text=True)


def test_a_scrape_is_answered_only_from_allowed_addresses(configured):
    client = configured(AMU_METRICS_ALLOWED_ADDRESSES="10.0.0.0/8")

    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 403
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "10.1.2.3"}).status_code == 200


def test_metrics_are_closed_in_production_until_access_is_configured(runtime):
    from flask import Flask

    from gateway.web.tokens import metrics_caller_refused

    production = {"AMU_ENV": "production", "DATABASE_URL": "postgresql://u@db/amu", "REDIS_URL": "redis://r:6379/0",
                  "AMU_CALLBACK_TOKEN": "c", "AMU_USSD_TOKEN": "u"}
    with Flask("t").test_request_context("/metrics", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        assert "AMU_METRICS_TOKEN" in metrics_caller_refused(Settings.from_env(production))
        assert metrics_caller_refused(Settings.from_env({**production, "AMU_METRICS_ALLOWED_ADDRESSES": "127.0.0.1"})) is None
        assert metrics_caller_refused(Settings.from_env({})) is None  # development: open


def test_behind_a_reverse_proxy_the_allow_lists_read_the_forwarded_address(configured):
    forwarded = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.1.2.3"}
    direct = configured(AMU_METRICS_ALLOWED_ADDRESSES="10.0.0.0/8")
    behind_one_proxy = configured(AMU_METRICS_ALLOWED_ADDRESSES="10.0.0.0/8", AMU_PROXY_HOPS="1")

    assert direct.get("/metrics", environ_base=forwarded).status_code == 403  # the header is not trusted
    assert behind_one_proxy.get("/metrics", environ_base=forwarded).status_code == 200


def test_scrapes_count_the_database_once_per_cache_period(configured, runtime):
    client = configured(AMU_METRICS_CACHE_SECONDS="300")
    counts = []

    def count_group_bys(connection, cursor, statement, *rest):
        if "GROUP BY" in statement:
            counts.append(statement)

    event.listen(runtime.engine, "before_cursor_execute", count_group_bys)
    try:
        for _ in range(5):
            assert 'amu_sms{status="queued"}' not in client.get("/metrics").get_data(as_text=True)
    finally:
        event.remove(runtime.engine, "before_cursor_execute", count_group_bys)
    assert len(counts) == 3  # payments, callbacks, SMS: once, not once per scrape


def test_invented_http_methods_do_not_add_latency_series(client):
    """Anyone may send any method word: each must not become a new series in every web
    process (memory) and in Prometheus."""
    for n in range(30):
        assert client.open("/healthz", method=f"AMU{n}").status_code == 405

    scrape = client.get("/metrics").get_data(as_text=True)
    methods = set(re.findall(r'amu_http_request_seconds_count\{method="([^"]*)"', scrape))
    assert methods == {"other"}  # 30 invented words, one series


SCRAPE_WITH_SEVERAL_WORKERS = """
from gateway.web import create_app
client = create_app().test_client()
for _ in range(3):
    client.get("/healthz")
print(client.get("/metrics").get_data(as_text=True))
"""


def test_with_prometheus_multiprocess_mode_each_latency_series_is_scraped_once(runtime, tmp_path):
    """PROMETHEUS_MULTIPROC_DIR (several gunicorn workers) must be set before
    prometheus_client is imported: a process of its own, as a web worker is."""
    import os
    import subprocess
    import sys

    (tmp_path / "prometheus").mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
           "DATABASE_URL": runtime.settings.database_url, "REDIS_URL": runtime.settings.redis_url or "",
           "AMU_LOG_LEVEL": "WARNING"}
    scrape = subprocess.run([sys.executable, "-c", SCRAPE_WITH_SEVERAL_WORKERS], env=env, capture_output=True,
                            text=True, timeout=120, check=True).stdout

    counts = [line for line in scrape.splitlines() if line.startswith("amu_http_request_seconds_count")]
    assert counts == ['amu_http_request_seconds_count{method="GET",route="/healthz",status="200"} 3.0'], counts
