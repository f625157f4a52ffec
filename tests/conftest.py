"""Test fixtures.

The schema is made by the migrations (never create_all) and the demo data by the seed, once per
pytest run: on SQLite into a file that each xdist worker then copies (SQLite's backup API), on
PostgreSQL (TEST_BACKEND=postgresql, TEST_DATABASE_URL) into a template database that each worker
clones with CREATE DATABASE … TEMPLATE. The first worker to get the lock builds it; the others wait
and copy. Each test then runs inside a transaction that is rolled back, so tests are fast and
independent.
"""
from __future__ import annotations

import os
from pathlib import Path

# Every app a test makes (production and development ones too) leaves queued work to the test: no
# thread of its own may write to the test database behind the test's back.
os.environ.setdefault("JOBS_BACKEND", "manual")

import pytest
from argon2 import PasswordHasher
from filelock import FileLock
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.accounts import passwords
from app.backup import backup_sqlite
from app.extensions import db

from tests import factories

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")
#: The xdist worker this process is ("gw0", "gw1", …), or None without xdist.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def pytest_collection_modifyitems(config, items):
    """Run order (stable within each group): the long tests (marked slow) first, so that with -n 2
    one worker runs them while the other gets through the rest, rather than one finishing last,
    alone; then the tests that need no database, which the other worker runs while the first one
    builds the run's database; then the rest."""

    def group(item) -> int:
        if item.get_closest_marker("slow"):
            return 0
        browser = item.get_closest_marker("browser") or "browser" in item.path.parts
        if "app" not in getattr(item, "fixturenames", ()) and not browser:
            return 1
        return 2

    items.sort(key=group)


def run_directory(tmp_path_factory) -> Path:
    """The temporary directory of this pytest run, shared by its xdist workers (pytest-N: each run
    has a new one, so what is built there is built once per run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if WORKER else base


def build_database(url: str) -> None:
    """Migrate an empty database to the head revision and load the demo data into it."""
    from flask_migrate import upgrade

    from seed.load import load_demo

    builder = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with builder.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        # The demo's emails, sent (into the test mail folder) so every test starts with no work queued.
        from app.jobs import drain

        drain()
        db.session.remove()
        db.engine.dispose()


def sqlite_database(run_dir: Path, own_dir: Path) -> str:
    """A copy, for this process, of the run's migrated and seeded SQLite file (built on first use)."""
    template = run_dir / "seeded.db"
    with FileLock(run_dir / "seeded.db.lock"):
        if not template.exists():
            building = run_dir / "seeding.db"
            for leftover in (building, run_dir / "seeding.db-wal", run_dir / "seeding.db-shm"):
                leftover.unlink(missing_ok=True)  # a build that failed earlier in this run
            build_database(f"sqlite:///{building}")
            backup_sqlite(building, template)  # one self-contained file, appearing whole
    target = own_dir / "test.db"
    backup_sqlite(template, target)
    return f"sqlite:///{target}"


def postgresql_database(run_dir: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.exit("TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    if not WORKER:
        # One process: build straight into the database the URL names (emptied first).
        reset_database(base.render_as_string(hide_password=False))
        build_database(base.render_as_string(hide_password=False))
        return base.render_as_string(hide_password=False)
    # xdist: each worker gets its own database next to the one named in the URL, cloned from a
    # template built once per run (so a changed migration or seed is always picked up).
    template, own = f"{base.database}_template", f"{base.database}_{WORKER}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with FileLock(run_dir / "pg-template.lock"):
            built = run_dir / f"{template}.built"
            if not built.exists():
                drop_database(admin, template)
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{template}"'))
                build_database(base.set(database=template).render_as_string(hide_password=False))
                built.touch()
            drop_database(admin, own)
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{own}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    return base.set(database=own).render_as_string(hide_password=False)


def drop_database(admin, name: str) -> None:
    """Drop a PostgreSQL database through `admin` (an AUTOCOMMIT engine), ending its connections first."""
    with admin.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))


def reset_database(url: str) -> None:
    """An empty PostgreSQL database: drop everything a previous run left."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def empty_postgresql_database(suffix: str) -> str:
    """The URL of an empty PostgreSQL database of a test's own, next to TEST_DATABASE_URL's one
    (made if missing, emptied if a previous run left anything in it)."""
    base = make_url(os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"{base.database}_{suffix}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = base.set(database=name).render_as_string(hide_password=False)
    reset_database(url)
    return url


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    run_dir = run_directory(tmp_path_factory)
    if BACKEND == "postgresql":
        url = postgresql_database(run_dir)
    else:
        url = sqlite_database(run_dir, tmp_path_factory.mktemp("db"))
    # Documents uploaded by tests go to this run's own folder, never to instance/.
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url,
                              "DOCUMENT_STORAGE_PATH": str(tmp_path_factory.mktemp("documents"))})
    yield app
    with app.app_context():
        db.engine.dispose()


# Argon2id at a cost of about 2 ms a hash instead of about 300 ms. The demo accounts in the database
# keep their full-cost hashes (the seed runs before this applies, and tests check them).
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CHEAP_DUMMY = CHEAP_HASHER.hash("not a real password")
CHEAP_HASH = CHEAP_HASHER.hash(factories.PASSWORD)


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch):
    """Every test hashes and checks passwords with a cheap Argon2id: the same code paths (hash,
    verify, rehash, the dummy hash for unknown e-mails), without 0.3 s of CPU per sign-in."""
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY", CHEAP_DUMMY)
    monkeypatch.setattr(factories, "_HASH", CHEAP_HASH)


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
