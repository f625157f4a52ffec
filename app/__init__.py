"""Exemplar Exchange: the application factory."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from config import CONFIGS, Config, finish_config

from .extensions import csrf, db, limit_only_limited_views, limiter, login_manager, migrate


#: The packages with pages, in navigation order: each declares its blueprint `bp` in its
#: __init__.py, and its views.py imports every module that adds pages to it.
DOMAINS = ("main", "accounts", "registry", "offers", "competitions", "concentration", "governance", "api", "audit",
           "operations")


def create_app(config: str | type[Config] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, models, blueprints, CLI and error handlers."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    if config is None:
        config = os.environ.get("APP_ENV", "development")
    config_obj = CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(config_obj() if isinstance(config_obj, type) else config_obj)
    if overrides:
        app.config.update(overrides)
    finish_config(app.config)  # rate-limit storage from REDIS_URL, trusted hosts from PUBLIC_BASE_URL

    if app.config.get("PROXY_FIX_HOPS"):
        # The client's address (rate limits, logs) and scheme (secure cookies) as the proxy saw them.
        # Not X-Forwarded-Host: the host is never taken from a request (see PUBLIC_BASE_URL).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from .logging_setup import configure_logging

    configure_logging(app)  # JSON lines with the request id; secrets redacted
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import storage

    storage.init_app(app)  # documents' bytes: local disk or an S3-compatible bucket

    from . import models  # noqa: F401  (every model, so metadata and migrations see them all)
    from . import policies  # noqa: F401  (every permission rule)
    from . import tasks  # noqa: F401  (every job and scheduled task)
    from .jobs import init_app as init_jobs

    init_jobs(app)  # the queue's backend: RQ on REDIS_URL, else a thread of this process
    from .mail import init_app as init_mail

    init_mail(app)  # the email transport: Notify, SMTP, or instance/mail/ in development
    from .web import site

    site.init_app(app)  # templates, security headers, error pages, navigation, page cache, dashboard

    import importlib

    for domain in DOMAINS:
        app.register_blueprint(importlib.import_module(f"app.{domain}.views").bp)

    limit_only_limited_views(app)  # the limiter's every-request hook is for limits this app has not

    from .cli import register_cli

    register_cli(app)
    return app
