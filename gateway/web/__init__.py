"""The Flask app: thin handlers over the services."""
from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config.settings import Settings
from gateway.logs import masked_url
from gateway.runtime import Runtime, build_runtime, set_runtime


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    settings = settings or (runtime.settings if runtime else Settings.from_env())
    runtime = runtime or build_runtime(settings)
    set_runtime(runtime)

    app = Flask("gateway")
    app.extensions["amu"] = runtime

    from gateway.channels import ChannelSessions
    from gateway.ussd_hop import UssdHop
    from gateway.web import callbacks, errors, fhir, health, limits, metrics, sms_delivery, ussd_africastalking
    from gateway.web import ussd_flares, ussd_infobip

    if settings.proxy_hops:  # the allow-lists read the caller from X-Forwarded-For
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)
    limits.install(app)
    app.extensions["amu_ussd"] = UssdHop(runtime)
    app.extensions["amu_channels"] = ChannelSessions(runtime)
    app.register_blueprint(health.bp)
    app.register_blueprint(ussd_africastalking.bp)
    app.register_blueprint(ussd_flares.bp)
    app.register_blueprint(ussd_infobip.bp)
    app.register_blueprint(sms_delivery.bp)
    app.register_blueprint(callbacks.bp)
    app.register_blueprint(fhir.bp)
    metrics.install(app, runtime)
    errors.register(app)
    logging.getLogger("amu").info(
        "gateway ready: database %s, %s",
        masked_url(settings.database_url),
        "Redis " + masked_url(settings.redis_url) if settings.redis_url else "jobs in process",
    )
    return app
