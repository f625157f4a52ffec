"""Exemplar Exchange: the application factory."""
from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from config import CONFIGS, Config

from .extensions import csrf, db, limiter, login_manager, migrate


#: The domain packages, each with a blueprint in views.py, in navigation order.
DOMAINS = ("main", "accounts", "registry", "offers", "competitions", "concentration", "governance", "audit")


def create_app(config: str | type[Config] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, models, blueprints, CLI and error handlers."""
    app = Flask(__name__, template_folder="../templates", instance_relative_config=False)
    if config is None:
        config = os.environ.get("APP_ENV", "development")
    config_obj = CONFIGS[config] if isinstance(config, str) else config
    app.config.from_object(config_obj() if isinstance(config_obj, type) else config_obj)
    if overrides:
        app.config.update(overrides)

    logging.basicConfig(level=app.config["LOG_LEVEL"])
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from . import models  # noqa: F401  (every model, so metadata and migrations see them all)
    from . import policies  # noqa: F401  (every permission rule)
    from . import ui, web

    ui.init_app(app)
    web.init_app(app)

    import importlib

    for domain in DOMAINS:
        app.register_blueprint(importlib.import_module(f"app.{domain}.views").bp)

    from .cli import register_cli

    register_cli(app)
    return app
