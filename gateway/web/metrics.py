"""GET /metrics for Prometheus: request latency by route, payments by status,
callbacks by outcome, SMS by status, queue depth.

Counts come from the database and the queue at scrape time, so every gunicorn worker
reports the same truth. Latency is per process; with several workers set
PROMETHEUS_MULTIPROC_DIR (prometheus_client's multiprocess mode) to add them up.
"""
from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from gateway.models import PaymentIntent, ProviderCallback, SmsMessage

bp = Blueprint("metrics", __name__)


class DatabaseCollector:
    def __init__(self, runtime):
        self.runtime = runtime

    def collect(self):
        tables = (
            ("amu_payments", "Payment intents by status", PaymentIntent.status),
            ("amu_callbacks", "Provider callbacks by outcome", ProviderCallback.outcome),
            ("amu_sms", "SMS by status", SmsMessage.status),
        )
        with self.runtime.db() as session:
            for name, doc, column in tables:
                family = GaugeMetricFamily(name, doc, labels=[column.key])
                for value, count in session.execute(select(column, func.count()).group_by(column)):
                    family.add_metric([value], count)
                yield family
        depth = GaugeMetricFamily("amu_queue_depth", "Jobs waiting in the queue")
        depth.add_metric([], self.runtime.queue.depth())
        yield depth


def install(app: Flask, runtime) -> None:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    latency = Histogram(
        "amu_http_request_seconds", "HTTP request latency by route", ["route", "method", "status"],
        registry=registry, buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5),
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
            latency.labels(route, request.method, str(response.status_code)).observe(time.perf_counter() - started)
        return response

    app.register_blueprint(bp)


@bp.get("/metrics")
def metrics():
    return Response(generate_latest(current_app.extensions["amu_metrics"]), mimetype=CONTENT_TYPE_LATEST)
