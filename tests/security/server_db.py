"""A copy of the session's migrated, seeded test database for a real server to run on."""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.backup import backup_sqlite, sqlite_path
from app.extensions import db
from tests.conftest import BACKEND, drop_database


@contextmanager
def copied_database(app, tmp_path: Path, suffix: str):
    """Yield the URL of a copy (SQLite file, or PostgreSQL database made from the test one as a
    template), and drop the PostgreSQL copy afterwards."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if BACKEND != "postgresql":
        target = tmp_path / f"{suffix}.db"
        backup_sqlite(sqlite_path(url), target)
        yield f"sqlite:///{target}"
        return
    name = f"{url.database}_{suffix}"
    with app.app_context():
        db.engine.dispose()  # CREATE DATABASE … TEMPLATE needs the template to have no connections
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    drop_database(admin, name)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        drop_database(admin, name)
        admin.dispose()


def wait_until_answering(proc, base: str, log_file: Path, deadline: float) -> None:
    """Wait for a gunicorn started as `proc` to answer its sign-in page at `base`; fail with the
    end of its log if it exits, or if it does not answer by `deadline` (time.monotonic())."""
    import requests

    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"gunicorn exited: {log_file.read_text()[-2000:]}")
        try:
            if requests.get(base + "/sign-in", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("gunicorn did not answer in time")


def audit_verify(url: str) -> str:
    """`flask audit verify` on a server's database, through the CLI runner (no second interpreter); fails unless intact."""
    checker = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    result = checker.test_cli_runner().invoke(args=["audit", "verify"])
    with checker.app_context():
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    return result.output
