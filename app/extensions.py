"""The Flask extensions, created once and bound to the app in create_app()."""
from __future__ import annotations

import sqlite3

from flask import has_request_context, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

# Named constraints, so Alembic can alter and drop them by name on both backends.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def limit_only_limited_views(app) -> None:
    """Let the rate limiter look only at the views it limits.

    Flask-Limiter checks every request in a before-request hook, for default, application and
    blueprint limits. This app has none of those: its limits are on a few views (`@limiter.limit`
    on the sign-in pages), and such a view checks its own limit when it is called. So the hook only
    cost every other request its time (about a tenth of a cached page's). It stays when a default
    or application limit is configured (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION, RATELIMIT_META),
    or a blueprint has a limit. Called once every blueprint is registered."""
    manager = limiter.limit_manager
    if (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")
            or app.config.get("RATELIMIT_META") or manager.default_limits or manager.application_limits
            or getattr(manager, "_blueprint_limits", True)):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [f for f in hooks if f != limiter._check_request_limit]


def _writes_on_get() -> bool:
    """Whether the request's view writes although its method is safe (an audited download:
    app.web.audited_download marks it)."""
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "writes_on_get", False))


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, connection_record):  # pragma: no cover - trivial
    """SQLite: foreign keys on, WAL, a busy timeout, and transactions begun by us (see below)."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself, so writers can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    if mode not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):  # pragma: no cover - trivial
    """Begin SQLite transactions ourselves.

    A request that may write (POST, PUT, …) or a CLI command begins with BEGIN IMMEDIATE: it takes
    the write lock at once and waits for it (busy_timeout) instead of failing half-way with
    "database is locked" when it upgrades a stale read snapshot. Reads begin normally, so in WAL
    mode they never wait for writers.
    """
    if conn.dialect.name != "sqlite":
        return
    if has_request_context() and request.method in SAFE_METHODS and not _writes_on_get():
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
