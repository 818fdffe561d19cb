"""GET /metrics for Prometheus: request latency by route, payments by status,
callbacks by outcome, SMS by status, queue depth.

Only its own token or allowed addresses get an answer (`tokens.metrics_caller_refused`).
Counts come from the database, so every gunicorn worker reports the same truth, but at
most once per AMU_METRICS_CACHE_SECONDS (kept in Redis for all the processes, else in
this one): scraping often costs three GROUP BYs per period, not per scrape. Latency is
per process; with several workers set PROMETHEUS_MULTIPROC_DIR (prometheus_client's
multiprocess mode) to add them up.
"""
from __future__ import annotations

import json
import logging
import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from redis import RedisError
from sqlalchemy import func, select

from gateway.models import PaymentIntent, ProviderCallback, SmsMessage
from gateway.web.tokens import metrics_caller_refused

bp = Blueprint("metrics", __name__)
log = logging.getLogger("amu.metrics")

COUNTED = (
    ("amu_payments", "Payment intents by status", PaymentIntent.status),
    ("amu_callbacks", "Provider callbacks by outcome", ProviderCallback.outcome),
    ("amu_sms", "SMS by status", SmsMessage.status),
)
CACHE_KEY = "amu:metrics:counts"
# Anyone can send any method word; only these become a label of their own (else "other"),
# so invented methods cannot add series to every web process and to Prometheus.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class DatabaseCollector:
    def __init__(self, runtime):
        self.runtime = runtime
        self._kept: tuple[float, dict] | None = None  # (monotonic expiry, counts) without Redis

    def collect(self):
        counts = self.counts()
        for name, doc, column in COUNTED:
            family = GaugeMetricFamily(name, doc, labels=[column.key])
            for value, count in counts[name]:
                family.add_metric([value], count)
            yield family
        depth = GaugeMetricFamily("amu_queue_depth", "Jobs waiting in the queue")
        depth.add_metric([], self.runtime.queue.depth())
        yield depth

    def counts(self) -> dict[str, list]:
        seconds = self.runtime.settings.metrics_cache_seconds
        counts = self._cached() if seconds else None
        if counts is None:
            counts = self._count()
            if seconds:
                self._keep(counts, seconds)
        return counts

    def _count(self) -> dict[str, list]:
        with self.runtime.db() as session:
            return {name: [list(row) for row in session.execute(select(column, func.count()).group_by(column))]
                    for name, _doc, column in COUNTED}

    def _cached(self) -> dict | None:
        if self.runtime.redis is None:
            return self._kept[1] if self._kept and self._kept[0] > time.monotonic() else None
        try:
            raw = self.runtime.redis.get(CACHE_KEY)
        except RedisError:
            return None  # count from the database instead
        return json.loads(raw) if raw else None

    def _keep(self, counts: dict, seconds: int) -> None:
        if self.runtime.redis is None:
            self._kept = (time.monotonic() + seconds, counts)
            return
        try:
            self.runtime.redis.set(CACHE_KEY, json.dumps(counts), ex=seconds)
        except RedisError:
            log.warning("metrics: counts not cached, Redis is unavailable")


def install(app: Flask, runtime) -> None:
    registry = CollectorRegistry()
    several_processes = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
    if several_processes:
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    latency = Histogram(
        "amu_http_request_seconds", "HTTP request latency by route", ["route", "method", "status"],
        # with several processes the collector reads every process's files, this one's included
        registry=None if several_processes else registry, buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
    )
    registry.register(DatabaseCollector(runtime))
    app.extensions["amu_metrics"] = registry

    @app.before_request
    def _start_timer():
        g.amu_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("amu_started", None)
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "unmatched"
            method = request.method if request.method in METHODS else "other"
            latency.labels(route, method, str(response.status_code)).observe(time.perf_counter() - started)
        return response

    app.register_blueprint(bp)


@bp.get("/metrics")
def metrics():
    refused = metrics_caller_refused(current_app.extensions["amu"].settings)
    if refused:
        return Response(f"403 Forbidden: {refused}\n", 403, mimetype="text/plain")
    return Response(generate_latest(current_app.extensions["amu_metrics"]), mimetype=CONTENT_TYPE_LATEST)
