"""Test fixtures.

The schema is made by the migrations (never create_all), once per run, on SQLite by default or on
PostgreSQL when TEST_BACKEND=postgresql and TEST_DATABASE_URL are set. The demo data is loaded once;
each test then runs inside a transaction that is rolled back, so tests are fast and independent.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.extensions import db

from tests import factories

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")


def database_url(tmp_dir: Path) -> str:
    if BACKEND == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
        url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        return _worker_database(url, worker) if worker else url
    return f"sqlite:///{tmp_dir / 'test.db'}"


def _worker_database(url: str, worker: str) -> str:
    """Each xdist worker gets its own PostgreSQL database next to the one named in the URL."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_database(url: str) -> None:
    """An empty database: drop everything a previous run left."""
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    url = database_url(tmp_path_factory.mktemp("db"))
    reset_database(url)
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        from seed.load import load_demo

        load_demo()
        db.session.commit()
        db.session.remove()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture()
def db_session(app):
    """The database, inside a transaction rolled back after the test."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # Flask-SQLAlchemy's Session.get_bind takes the bind from db.engines, ignoring the session's
        # own bind: point the app's default bind at this connection, or writes would land (and stay)
        # on another connection.
        engines = db.engines
        engine = engines[None]
        engines[None] = connection
        db.session = db._make_scoped_session({"bind": connection, "join_transaction_mode": "create_savepoint"})
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            engines[None] = engine
            if transaction.is_active:
                transaction.rollback()
            connection.close()


class _FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`.

    The test's app context outlives each request, so without this Flask-Login's cached user
    (g._login_user) and anything else a request put on `g` would leak into the next request.
    """

    def open(self, *args, **kwargs):
        g.__dict__.clear() if has_app_context() else None
        return super().open(*args, **kwargs)


@pytest.fixture()
def client(app, db_session):
    app.test_client_class = _FreshGlobalsClient
    return app.test_client()


@pytest.fixture()
def login(client):
    """Sign a user in on the test client (without typing a password)."""

    def _login(user):
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
        return user

    return _login


@pytest.fixture()
def as_role(make, login):
    """Sign in a new user holding one role (or nobody, for None); returns the user."""

    def _as(role: str | None):
        if role is None:
            return None
        return login(make.user(role))

    return _as


@pytest.fixture()
def make(db_session):
    """Factories for test objects (see tests/factories.py)."""
    return factories.Factory(db_session)


@pytest.fixture()
def runner(app, db_session):
    return app.test_cli_runner()
