"""The Flask app: thin handlers over the services."""
from __future__ import annotations

import logging

from flask import Flask

from config.settings import Settings
from gateway.runtime import Runtime, build_runtime, set_runtime


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> Flask:
    settings = settings or (runtime.settings if runtime else Settings.from_env())
    runtime = runtime or build_runtime(settings)
    set_runtime(runtime)

    app = Flask("gateway")
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # no legitimate callback is bigger
    app.extensions["amu"] = runtime

    from gateway.ussd_hop import UssdHop
    from gateway.web import callbacks, errors, fhir, health, metrics, sms_delivery, ussd_africastalking

    app.extensions["amu_ussd"] = UssdHop(runtime)
    app.register_blueprint(health.bp)
    app.register_blueprint(ussd_africastalking.bp)
    app.register_blueprint(sms_delivery.bp)
    app.register_blueprint(callbacks.bp)
    app.register_blueprint(fhir.bp)
    metrics.install(app, runtime)
    errors.register(app)
    logging.getLogger("amu").info(
        "gateway ready: database %s, %s",
        runtime.engine.url.render_as_string(hide_password=True),
        "Redis " + settings.redis_url if settings.redis_url else "jobs in process",
    )
    return app
