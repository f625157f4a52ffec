"""Crash consistency: gunicorn killed with SIGKILL in the middle of concurrent writes loses no
acknowledged change and leaves a consistent database whose audit chain verifies.

The app runs under gunicorn (2 workers) on a copy of the test database: a SQLite file, or a scratch
PostgreSQL database when TEST_BACKEND=postgresql. Four clients sign in as the commercial admin and
add deployments through the real form (with CSRF tokens, over loopback). Mid-run, the master and
its workers get SIGKILL together. The server is started again and must work, and then:

- SQLite's integrity_check and foreign_key_check are clean;
- every write that was answered with a redirect (acknowledged) is in the database;
- every deployment made has exactly one `deployment.create` audit entry, and every such entry has
  its deployment;
- `flask audit verify` passes.

Bounded: every wait has a deadline and the whole test takes well under a minute.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.security.server_db import audit_verify, copied_database, wait_until_answering

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ADMIN = ("admin@demo.exemplar.nhs.uk", "demo-password-2026")
TRUST = "RJR"
MARK = "https://example.org/crash-test/"
WRITERS = 4
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with 2 workers on loopback, in its own process group (so one signal reaches all)."""

    def __init__(self, database_url: str, log_file: Path):
        self.database_url = database_url
        self.log_file = log_file
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(APP_ENV="development", DATABASE_URL=self.database_url, SECRET_KEY="crash-test-secret",
                   LOGIN_RATE_LIMIT="1000 per minute", SESSION_COOKIE_SECURE="0", LOG_LEVEL="INFO")
        return env

    def start(self, deadline: float) -> None:
        port = _free_port()
        self.base = f"http://127.0.0.1:{port}"
        log = open(self.log_file, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
             "--timeout", "30", "--graceful-timeout", "3", "--no-control-socket", "wsgi:app"],
            cwd=REPO, env=self.env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        wait_until_answering(self.proc, self.base, self.log_file, deadline)

    def _group_alive(self) -> bool:
        try:
            os.killpg(self.proc.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once; wait until all are gone."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        end = time.monotonic() + 10
        while self._group_alive() and time.monotonic() < end:
            time.sleep(0.05)
        assert not self._group_alive(), "a gunicorn worker survived SIGKILL"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None and not self._group_alive():
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


def sign_in(base: str) -> requests.Session:
    s = requests.Session()
    token = CSRF.search(s.get(base + "/sign-in", timeout=10).text).group(1)
    r = s.post(base + "/sign-in", data={"csrf_token": token, "email": ADMIN[0], "password": ADMIN[1]},
               allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text[:500]
    return s


def add_deployment(s: requests.Session, base: str, marker: str) -> int:
    """Fill and send the real 'add a system' form; the status code of the POST."""
    page = s.get(f"{base}/organisations/{TRUST}/deployments/new", timeout=10).text
    system = re.search(r'<option value="([a-z0-9][a-z0-9\-]*)"', page).group(1)
    r = s.post(f"{base}/organisations/{TRUST}/deployments/new", allow_redirects=False, timeout=10, data={
        "csrf_token": CSRF.search(page).group(1), "system": system, "status": "planned", "confidence": "low",
        "source_url": marker, "notes": "Written by the crash consistency test",
    })
    return r.status_code


class Writers:
    """Clients adding deployments until told to stop or the server dies."""

    def __init__(self, base: str, deadline: float):
        self.base, self.deadline = base, deadline
        self.acked: list[str] = []
        self.refused: list[tuple[int, str]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.sessions = [sign_in(base) for _ in range(WRITERS)]
        self.threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(WRITERS)]

    def _run(self, n: int) -> None:
        s = self.sessions[n]
        i = 0
        while not self.stop.is_set() and time.monotonic() < self.deadline:
            marker = f"{MARK}{n}-{i}"
            i += 1
            try:
                status = add_deployment(s, self.base, marker)
            except (requests.RequestException, AttributeError):
                return  # the server was killed under us (or answered half a page)
            with self.lock:
                (self.acked.append(marker) if status == 302 else self.refused.append((status, marker)))

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=15)
        assert not any(t.is_alive() for t in self.threads)


@pytest.fixture()
def crash_database(app, tmp_path):
    """A copy of the migrated, seeded test database for the server to run on (and drop afterwards)."""
    with copied_database(app, tmp_path, "crash") as url:
        yield url


def check_consistency(url: str, acked: list[str]) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            ours = dict(conn.execute(text("SELECT source_url, id FROM deployments WHERE source_url LIKE :m"),
                                     {"m": MARK + "%"}).fetchall())
            all_ids = {str(i) for (i,) in conn.execute(text("SELECT id FROM deployments"))}
            audited = [oid for (oid,) in conn.execute(text(
                "SELECT object_id FROM audit_events WHERE action = 'deployment.create' AND object_type = 'Deployment'"))]
            orphans = conn.execute(text(
                "SELECT count(*) FROM deployments d LEFT JOIN organisations o ON o.id = d.organisation_id "
                "LEFT JOIN systems s ON s.id = d.system_id WHERE o.id IS NULL OR s.id IS NULL")).scalar()
    finally:
        engine.dispose()
    lost = [m for m in acked if m not in ours]
    assert lost == [], f"acknowledged writes lost: {lost}"
    assert orphans == 0
    # each deployment made has exactly one audit entry, and every entry has its deployment
    for marker, dep_id in ours.items():
        assert audited.count(str(dep_id)) == 1, marker
    assert set(audited) <= all_ids
    return {"deployments": len(ours), "audited": len(audited)}


def test_sigkill_mid_write_loses_no_acknowledged_change_and_leaves_a_consistent_database(crash_database, tmp_path):
    start = time.monotonic()
    log_file = tmp_path / "gunicorn.log"
    server = Server(crash_database, log_file)
    try:
        server.start(deadline=start + 30)
        writers = Writers(server.base, deadline=time.monotonic() + 15)
        writers.start()
        # Let writes flow, then kill everything while they are still in flight.
        end = time.monotonic() + 8
        while len(writers.acked) < 12 and time.monotonic() < end:
            time.sleep(0.05)
        in_flight = not writers.stop.is_set() and any(t.is_alive() for t in writers.threads)
        server.kill()
        writers.join()
        assert in_flight and writers.acked, "no write was acknowledged before the kill"
        assert writers.refused == [], writers.refused[:5]

        # The server comes back on the same database and works.
        server.start(deadline=time.monotonic() + 30)
        after = sign_in(server.base)
        assert add_deployment(after, server.base, MARK + "after-restart") == 302
        server.stop()
    finally:
        server.stop()

    counts = check_consistency(crash_database, writers.acked + [MARK + "after-restart"])
    assert counts["deployments"] >= len(writers.acked) + 1
    assert "intact" in audit_verify(crash_database)

    # The server logged JSON lines with request ids, and never the admin's password.
    log = log_file.read_text(errors="replace")
    assert ADMIN[1] not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    posts = [d for d in lines if d["logger"] == "exemplar.request" and d["method"] == "POST"
             and d["path"] == f"/organisations/{TRUST}/deployments/new"]
    assert posts and all(d["request_id"] and d["user_id"] and d["status"] == 302 for d in posts)
