"""A second app with other settings (CSRF on, rate limits on, production config), sharing the test's
database connection so that its requests join the test's rolled-back transaction."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Callable

from flask import Flask, current_app

from app import create_app
from app.extensions import db, limiter, login_manager

# Building an app takes about a second: each kind is built once per test process and reused.
_APPS: dict[tuple, Flask] = {}


@contextmanager
def other_app(config="test", setup: Callable[[Flask], None] | None = None, **overrides):
    """Yield an app built with `config` and `overrides`, bound to the current test's connection.

    `setup(app)` runs once, when the app is first built (to add routes, for example). The rate
    limiter and the login manager are module-level objects that every create_app() reconfigures;
    their settings are put back afterwards so later tests see the usual test app.
    """
    main = current_app._get_current_object()
    connection = db.engines[None]  # the test's connection (see tests/conftest.py db_session)
    saved = {"enabled": limiter.enabled, "protection": login_manager.session_protection}
    overrides.setdefault("SQLALCHEMY_DATABASE_URI", main.config["SQLALCHEMY_DATABASE_URI"])
    key = (config, getattr(setup, "__qualname__", None), tuple(sorted(overrides.items())))
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(config, overrides)
        if setup is not None:
            setup(app)
    limiter.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
    with app.app_context():
        engine = db.engines[None]
        db.engines[None] = connection
    try:
        yield app
    finally:
        with app.app_context():
            db.engines[None] = engine
        try:
            if limiter.enabled and getattr(limiter, "_storage", None) is not None:
                limiter.reset()
        except Exception:  # noqa: BLE001 - a storage that cannot be reached (the tests of Redis being down)
            pass
        limiter.enabled = saved["enabled"]
        login_manager.session_protection = saved["protection"]
