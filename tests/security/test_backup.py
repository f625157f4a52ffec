"""`flask backup` and `flask restore`: a restored database equals the one backed up, and the audit
chain still verifies. Each backend restores into a fresh database of its own."""
from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.backup import migrations_head
from app.extensions import db
from tests.conftest import BACKEND, drop_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"

sqlite_only = pytest.mark.skipif(BACKEND != "sqlite", reason="SQLite backup and restore")
postgresql_only = pytest.mark.skipif(BACKEND != "postgresql", reason="PostgreSQL backup and restore")


def every_row(url: str) -> dict[str, list[tuple]]:
    """Every table's rows, in primary-key order, read with SQLAlchemy (either backend)."""
    engine = create_engine(url)
    try:
        meta = MetaData()
        meta.reflect(bind=engine)
        out = {}
        with engine.connect() as conn:
            for name, table in sorted(meta.tables.items()):
                order = list(table.primary_key.columns) or list(table.columns)
                out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
        return out
    finally:
        engine.dispose()


def other_app(url: str):
    return create_app("test", {"SQLALCHEMY_DATABASE_URI": url})


def run(flask_app, *args):
    result = flask_app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def dispose(flask_app):
    with flask_app.app_context():
        db.engine.dispose()


def test_the_head_revision_is_the_newest_migration():
    assert migrations_head(MIGRATIONS) == sorted(p.stem[:11] for p in (MIGRATIONS / "versions").glob("2*.py"))[-1]


# ------------------------------------------------------------------------------------------- SQLite

@sqlite_only
def test_a_backup_restored_into_a_fresh_database_equals_the_original(app, tmp_path):
    source_url = app.config["SQLALCHEMY_DATABASE_URI"]
    backup_file = tmp_path / "exemplar-backup.db"
    code, out = run(app, "backup", str(backup_file))
    assert code == 0, out
    assert backup_file.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not Path(str(backup_file) + "-wal").exists()  # one self-contained file

    fresh_url = f"sqlite:///{tmp_path / 'fresh.db'}"
    fresh = other_app(fresh_url)
    code, out = run(fresh, "restore", str(backup_file))
    assert code != 0 and "--yes" in out and not (tmp_path / "fresh.db").exists()
    code, out = run(fresh, "restore", str(backup_file), "--yes")
    assert code == 0, out

    original, restored = every_row(source_url), every_row(fresh_url)
    assert set(original) == set(restored) and len(original) > 10
    for table in original:
        assert restored[table] == original[table], table
    assert len(original["organisations"]) > 100 and original["audit_events"]  # the demo data, not an empty shell

    code, out = run(fresh, "audit", "verify")
    assert code == 0 and "intact" in out
    con = sqlite3.connect(tmp_path / "fresh.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    dispose(fresh)


@sqlite_only
def test_restore_replaces_a_database_that_already_has_data(app, tmp_path):
    backup_file = tmp_path / "b.db"
    assert run(app, "backup", str(backup_file))[0] == 0
    target = tmp_path / "target.db"
    shutil.copy(backup_file, target)
    con = sqlite3.connect(target)
    con.execute("DELETE FROM user_roles")
    con.commit()
    con.close()
    target_app = other_app(f"sqlite:///{target}")
    code, out = run(target_app, "restore", str(backup_file), "--yes")
    assert code == 0, out
    assert every_row(f"sqlite:///{target}")["user_roles"] == every_row(app.config["SQLALCHEMY_DATABASE_URI"])["user_roles"]
    dispose(target_app)


@sqlite_only
def test_restore_refuses_a_file_that_is_not_a_sqlite_database(app, tmp_path):
    target = tmp_path / "target.db"
    assert run(app, "backup", str(target))[0] == 0
    before = every_row(f"sqlite:///{target}")
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("this is not a database\n" * 10)
    target_app = other_app(f"sqlite:///{target}")
    code, out = run(target_app, "restore", str(not_a_db), "--yes")
    assert code != 0 and "is not a SQLite database" in out and "nothing was restored" in out
    code, out = run(target_app, "restore", str(tmp_path / "missing.db"), "--yes")
    assert code != 0 and "does not exist" in out
    assert every_row(f"sqlite:///{target}") == before
    dispose(target_app)


@sqlite_only
def test_restore_refuses_a_backup_from_another_schema_version(app, tmp_path):
    old = tmp_path / "old.db"
    assert run(app, "backup", str(old))[0] == 0
    con = sqlite3.connect(old)
    con.execute("UPDATE alembic_version SET version_num = '20250101_01'")
    con.commit()
    con.close()
    target = tmp_path / "target.db"
    target_app = other_app(f"sqlite:///{target}")
    code, out = run(target_app, "restore", str(old), "--yes")
    assert code != 0 and "schema version 20250101_01" in out and migrations_head(MIGRATIONS) in out
    assert not target.exists()
    dispose(target_app)


@sqlite_only
def test_restore_refuses_a_sqlite_file_that_is_not_a_backup_of_this_app(app, tmp_path):
    stranger = tmp_path / "stranger.db"
    con = sqlite3.connect(stranger)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    target_app = other_app(f"sqlite:///{tmp_path / 'target.db'}")
    code, out = run(target_app, "restore", str(stranger), "--yes")
    assert code != 0 and "not a usable backup" in out
    dispose(target_app)


@sqlite_only
def test_backup_refuses_to_overwrite_the_database_itself(app):
    path = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    code, out = run(app, "backup", path)
    assert code != 0 and "cannot be the database itself" in out


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def usual_umask():
    """The umask most servers run with (022: new files world-readable unless the code says otherwise)."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@sqlite_only
def test_a_backup_is_readable_only_by_its_owner_and_so_is_a_folder_it_makes(app, tmp_path, usual_umask):
    """Backups hold bids and password hashes: they used to be written 0644 (anyone on the server)."""
    target = tmp_path / "backups" / "nightly" / "exemplar.db"
    code, out = run(app, "backup", str(target))
    assert code == 0, out
    assert mode(target) == 0o600
    assert mode(target.parent) == 0o700
    assert "Warning" not in out
    assert sorted(p.name for p in target.parent.iterdir()) == ["exemplar.db"]  # no journal or partial file left


@sqlite_only
def test_a_backup_into_a_folder_others_can_open_is_still_private_and_says_so(app, tmp_path, usual_umask):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    code, out = run(app, "backup", str(shared / "b.db"))
    assert code == 0, out
    assert mode(shared / "b.db") == 0o600
    assert mode(shared) == 0o755  # an existing folder is not changed behind the operator's back
    assert "Warning: other users can open the folder" in out


@sqlite_only
def test_overwriting_an_old_world_readable_backup_leaves_a_private_one(app, tmp_path, usual_umask):
    target = tmp_path / "b.db"
    target.write_bytes(b"old")
    target.chmod(0o644)
    assert run(app, "backup", str(target))[0] == 0
    assert mode(target) == 0o600 and target.read_bytes()[:16] == b"SQLite format 3\x00"


# --------------------------------------------------------------------------------------- PostgreSQL

@pytest.fixture()
def scratch_postgresql(app):
    """An empty PostgreSQL database beside the test database, dropped afterwards."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    name = f"{url.database}_restore"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    drop_database(admin, name)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    drop_database(admin, name)
    admin.dispose()


@postgresql_only
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump not installed")
def test_a_pg_dump_backup_restored_into_a_fresh_database_equals_the_original(app, tmp_path, scratch_postgresql,
                                                                             usual_umask):
    backup_file = tmp_path / "dumps" / "exemplar.dump"
    code, out = run(app, "backup", str(backup_file))
    assert code == 0, out
    assert backup_file.read_bytes()[:5] == b"PGDMP"
    assert mode(backup_file) == 0o600 and mode(backup_file.parent) == 0o700
    fresh = other_app(scratch_postgresql)
    code, out = run(fresh, "restore", str(backup_file), "--yes")
    assert code == 0, out
    original = every_row(app.config["SQLALCHEMY_DATABASE_URI"])
    restored = every_row(scratch_postgresql)
    assert set(original) == set(restored)
    for table in original:
        assert restored[table] == original[table], table
    code, out = run(fresh, "audit", "verify")
    assert code == 0 and "intact" in out
    dispose(fresh)


@postgresql_only
@pytest.mark.skipif(not shutil.which("pg_restore"), reason="pg_restore not installed")
def test_a_pg_restore_refuses_a_file_that_is_not_a_dump(app, tmp_path, scratch_postgresql):
    not_a_dump = tmp_path / "x.dump"
    not_a_dump.write_text("hello")
    fresh = other_app(scratch_postgresql)
    code, out = run(fresh, "restore", str(not_a_dump), "--yes")
    assert code != 0 and "not a pg_dump custom-format archive" in out
    dispose(fresh)
