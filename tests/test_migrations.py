"""The migrations are the only way the schema is made: on an empty database they build it, `flask db
check` then finds no drift from the models, and they go down to nothing and up again.

Runs on a fresh SQLite file, and on a scratch PostgreSQL database (created and dropped here, never
the test session's) when TEST_BACKEND=postgresql.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import flask_migrate
import pytest
from flask import current_app
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from tests.conftest import drop_database

BACKEND = os.environ.get("TEST_BACKEND", "sqlite")


@contextmanager
def scratch_sqlite(tmp_path):
    yield f"sqlite:///{tmp_path / 'migrations.db'}"


@contextmanager
def scratch_postgresql():
    """A new, empty PostgreSQL database next to the test database, dropped afterwards."""
    url = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    base = make_url(url)
    name = f"{base.database}_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture()
def empty_database(tmp_path):
    scratch = scratch_postgresql() if BACKEND == "postgresql" else scratch_sqlite(tmp_path)
    with scratch as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            try:
                yield app
            finally:
                db.session.remove()
                db.engine.dispose()


def differences() -> list:
    """The differences between the models and the migrated database, as `flask db check` sees them."""
    configure = dict(current_app.extensions["migrate"].configure_args)
    configure.setdefault("include_name", lambda name, type_, parents: not (
        type_ in ("table", "index", "column") and name and "_fts" in name))
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={**configure, "target_metadata": db.metadata})
        return compare_metadata(context, db.metadata)


def tables() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def check_or_explain() -> None:
    try:
        flask_migrate.check()
    except SystemExit:  # flask_migrate turns Alembic's "diffs detected" into exit(1)
        pytest.fail("`flask db check` found drift between the models and the migrations:\n"
                    + "\n".join(f"  {d}" for d in differences()))


def test_the_migrations_build_the_schema_on_an_empty_database_with_no_drift(empty_database):
    assert tables() == set()
    flask_migrate.upgrade()
    model_tables = set(db.metadata.tables)
    assert model_tables <= tables(), f"not made by a migration: {sorted(model_tables - tables())}"
    check_or_explain()


def test_the_foundation_tables_are_made_by_the_first_migration(empty_database):
    flask_migrate.upgrade(revision="20261124_01")
    assert {"organisations", "suppliers", "systems", "system_standards", "deployments", "frameworks",
            "framework_criteria", "lots", "memberships", "membership_events", "partnerships",
            "partnership_milestones", "users", "user_roles", "api_tokens", "audit_events"} <= tables()


def test_the_migrations_go_down_to_nothing_and_up_again(empty_database):
    flask_migrate.upgrade()
    flask_migrate.downgrade(revision="base")
    assert tables() <= {"alembic_version"}
    flask_migrate.upgrade()
    assert set(db.metadata.tables) <= tables()
    check_or_explain()


def test_the_migrated_schema_enforces_the_foundation_constraints(empty_database):
    """Named CHECK, unique and foreign-key constraints come from the migrations, not only the models."""
    from sqlalchemy.exc import IntegrityError

    flask_migrate.upgrade(revision="20261124_01")
    with db.engine.connect() as conn:
        trans = conn.begin()
        conn.execute(text("INSERT INTO organisations (ods_code, name, kind, name_inferred) VALUES ('A1', 'A', 'trust', false)"))
        for bad in (
            "INSERT INTO organisations (ods_code, name, kind, name_inferred) VALUES ('A1', 'Again', 'trust', false)",
            "INSERT INTO organisations (ods_code, name, kind, name_inferred) VALUES ('B1', 'B', 'castle', false)",
            "INSERT INTO users (email, name, organisation_id, active, failed_logins, session_version, created_at) "
            "VALUES ('x@y.z', 'X', 999999, true, 0, 1, '2026-01-01 00:00:00')",
        ):
            nested = conn.begin_nested()
            with pytest.raises(IntegrityError):
                conn.execute(text(bad))
            nested.rollback()
        trans.rollback()
