"""Backing up and restoring the database: `flask backup FILE` and `flask restore FILE --yes`.

SQLite: the backup is made with SQLite's online backup API, a consistent copy taken while the app
keeps running (readers and writers wait for nothing but a page copy). Restoring checks the file
first (a SQLite database, intact, at the schema version of this code) and then copies it over the
configured database, again with the backup API, so open connections see either the old database or
the new one, never half of each.

PostgreSQL: `pg_dump -Fc` makes the backup and `pg_restore --clean --if-exists` restores it (see
docs/operations.md); the commands run them when they are on the PATH and explain how otherwise.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
#: A backup holds bids and password hashes: only its owner may read it, and its folder.
FILE_MODE, FOLDER_MODE = 0o600, 0o700


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class RestoreCheck:
    """What a backup file holds, as far as restoring is concerned."""

    kind: str  # "sqlite" or "pg_dump"
    schema_version: str | None


def migrations_head(migrations_dir: str | os.PathLike) -> str:
    """The newest migration revision of this code (the schema version a restored file must have)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    if len(heads) != 1:
        raise BackupError(f"The migrations have {len(heads)} heads; merge them first.")
    return heads[0]


def sqlite_path(url: str | URL) -> Path | None:
    """The database file of a SQLite URL (None for an in-memory database or another backend)."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    if not u.database or u.database == ":memory:" or u.database.startswith("file::memory:"):
        return None
    return Path(u.database)


def libpq_url(url: str | URL) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver name)."""
    u = make_url(url).set(drivername="postgresql")
    return u.render_as_string(hide_password=False)


# ------------------------------------------------------------------------------------------ Permissions

def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 (whatever the umask), replacing a leftover: the backup is
    then written into it, so it is never readable by others, not even while it is being written."""
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    os.chmod(path, FILE_MODE)


def private_folder(folder: Path) -> str | None:
    """Make the backup folder 0700 when it does not exist yet. An existing folder is left as it is
    (it may be shared on purpose, like /tmp); returns a warning when others can read or enter it."""
    if not folder.exists():
        folder.mkdir(mode=FOLDER_MODE, parents=True)
        os.chmod(folder, FOLDER_MODE)
        return None
    if folder.stat().st_mode & 0o077:
        return (f"Warning: other users can open the folder {folder} (mode {folder.stat().st_mode & 0o777:o}); "
                f"the backup itself is readable only by you (0600), but consider a folder of mode 0700.")
    return None


# --------------------------------------------------------------------------------------------- SQLite

def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database to `target` with the online backup API."""
    if not source.exists():
        raise BackupError(f"The database file {source} does not exist.")
    target = Path(target)
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("The backup file cannot be the database itself.")
    tmp = target.with_name(target.name + ".partial")
    private_file(tmp)  # SQLite writes into the empty file; its journal takes the file's mode
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            # A single self-contained file: no -wal beside it.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(tmp, target)  # the backup appears whole or not at all


def check_sqlite_backup(path: Path) -> RestoreCheck:
    """Refuse a file that is not an intact SQLite database made by this app."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with open(path, "rb") as f:
        if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a SQLite database; nothing was restored.")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0]
            version = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.DatabaseError as e:
            raise BackupError(f"{path} is not a usable backup of this app ({e}); nothing was restored.") from None
    finally:
        conn.close()
    if ok != "ok":
        raise BackupError(f"{path} is damaged (integrity check: {ok}); nothing was restored.")
    if len(version) != 1:
        raise BackupError(f"{path} has no single schema version; nothing was restored.")
    return RestoreCheck("sqlite", version[0][0])


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database at `target` with the backup's content (the backup API, page by page,
    under the target's write lock)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")  # as the app runs it
        finally:
            dst.close()
    finally:
        src.close()


# ----------------------------------------------------------------------------------------- PostgreSQL

def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found on the PATH. Install the PostgreSQL client tools (Debian: "
            f"apt-get install postgresql-client) or run the command in docs/operations.md by hand.")
    return found


def backup_postgresql(url: str | URL, target: Path) -> None:
    """`pg_dump -Fc` of the configured database into `target`."""
    tmp = Path(target).with_name(Path(target).name + ".partial")
    private_file(tmp)  # pg_dump truncates and writes it, keeping its mode
    result = subprocess.run([_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(tmp), "-d", libpq_url(url)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    os.chmod(tmp, FILE_MODE)
    os.replace(tmp, target)


def check_pg_dump(path: Path) -> RestoreCheck:
    """Refuse a file that is not a pg_dump custom-format archive; read its schema version."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    with open(path, "rb") as f:
        if f.read(len(PGDUMP_MAGIC)) != PGDUMP_MAGIC:
            raise BackupError(f"{path} is not a pg_dump custom-format archive (pg_dump -Fc); nothing was restored.")
    result = subprocess.run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "-f", "-", str(path)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore cannot read {path}: {result.stderr.strip()}")
    lines = result.stdout.splitlines()
    versions: list[str] = []
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and "alembic_version" in line:
            for row in lines[i + 1:]:
                if row == "\\.":
                    break
                versions.append(row.strip())
    if len(versions) != 1:
        raise BackupError(f"{path} has no single schema version; nothing was restored.")
    return RestoreCheck("pg_dump", versions[0])


def restore_postgresql(url: str | URL, backup: Path) -> None:
    """`pg_restore --clean --if-exists` into the configured database, in one transaction."""
    result = subprocess.run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
                             "-d", libpq_url(url), str(backup)], capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed (the database is unchanged): {result.stderr.strip()}")


# -------------------------------------------------------------------------------------------- Commands

def backup(url: str | URL, target: Path) -> str:
    """Back up the database at `url` into `target` (mode 0600; a folder it makes, 0700); returns what
    was done, for the command's output."""
    u = make_url(url)
    if u.get_backend_name() not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {u.get_backend_name()} databases are not supported.")
    source = sqlite_path(u) if u.get_backend_name() == "sqlite" else None
    if u.get_backend_name() == "sqlite" and source is None:
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    warning = private_folder(Path(target).absolute().parent)
    if source is not None:
        backup_sqlite(source, Path(target))
        done = f"Backed up {source} to {target} (SQLite online backup)."
    else:
        backup_postgresql(u, Path(target))
        done = f"Backed up database {u.database} to {target} (pg_dump -Fc)."
    return done + (f"\n{warning}" if warning else "")


def restore(url: str | URL, source: Path, expected_version: str) -> str:
    """Check `source` and restore it over the database at `url`; returns what was done."""
    u = make_url(url)
    source = Path(source)
    if u.get_backend_name() == "sqlite":
        target = sqlite_path(u)
        if target is None:
            raise BackupError("Cannot restore into an in-memory SQLite database.")
        check = check_sqlite_backup(source)
    elif u.get_backend_name() == "postgresql":
        target = None
        check = check_pg_dump(source)
    else:
        raise BackupError(f"Restoring {u.get_backend_name()} databases is not supported.")
    if check.schema_version != expected_version:
        raise BackupError(
            f"{source} is at schema version {check.schema_version}, but this code needs {expected_version}. "
            f"Restore it with the version of the app that made it, or restore it into a scratch database and "
            f"run `flask db upgrade` there; nothing was restored.")
    if target is not None:
        restore_sqlite(source, target)
        return f"Restored {source} into {target}."
    restore_postgresql(u, source)
    return f"Restored {source} into database {u.database}."


def register_backup_commands(app) -> None:
    """`flask backup FILE` and `flask restore FILE --yes`."""
    import click
    from flask import current_app

    from .extensions import db

    def _url() -> str:
        return str(db.engine.url.render_as_string(hide_password=False))

    @app.cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False))
    def backup_command(file: str):
        """Back up the database to FILE (SQLite: online backup; PostgreSQL: pg_dump -Fc)."""
        try:
            click.echo(backup(_url(), Path(file)))
        except BackupError as e:
            raise click.ClickException(str(e)) from None

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--yes", is_flag=True, help="Confirm that the current database is to be replaced.")
    def restore_command(file: str, yes: bool):
        """Replace the database with the backup in FILE (after checks; needs --yes)."""
        url = _url()
        if not yes:
            raise click.ClickException(
                f"This replaces everything in {make_url(url).render_as_string(hide_password=True)} with {file}. "
                f"Run again with --yes to go ahead.")
        head = migrations_head(current_app.extensions["migrate"].directory)
        db.session.remove()
        db.engine.dispose()  # no pooled connection may hold the old database open
        try:
            click.echo(restore(url, Path(file), head))
        except BackupError as e:
            raise click.ClickException(str(e)) from None
        click.echo("Run `flask audit verify` to check the restored audit log.")
