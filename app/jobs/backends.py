"""The transports that hand runs to a worker. Each has `submit(ids)`; none decides whether a run
should run (the ledger does, runner.py), so a run handed over twice still runs once.

- ``rq``: Redis with RQ (production and CI): `flask jobs worker` processes (make worker) run them;
  Redis being down when a run is queued loses nothing, since the scheduler re-sends due runs.
- ``thread``: a thread of this process (``make run`` without Redis): nothing to install, and the
  same thread runs the scheduler's tick every SCHEDULER_INTERVAL seconds.
- ``manual``: nothing runs until `drain()` is called (tests, which decide when work happens).
"""
from __future__ import annotations

import logging
import os
import queue
import threading
from typing import Iterable

from flask import Flask

from app.extensions import db

from . import runner

log = logging.getLogger("exemplar.jobs")

#: Seconds between two ticks of the scheduler (and sweeps for runs due again after a backoff).
SCHEDULER_INTERVAL = 30


class ManualBackend:
    """Runs nothing by itself: `drain()` runs every due run (tests)."""

    name = "manual"

    def __init__(self, app: Flask):
        self.app = app

    def submit(self, ids: Iterable[int]) -> None:
        pass


class ThreadBackend:
    """One daemon thread runs the runs of this process, one at a time, and ticks the scheduler."""

    name = "thread"

    def __init__(self, app: Flask):
        self.app = app
        self._queue: queue.Queue[int] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, ids: Iterable[int]) -> None:
        for i in ids:
            self._queue.put(i)
        self.start()

    def start(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="exemplar-jobs", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        from .schedule import tick

        while True:
            try:
                run_id = self._queue.get(timeout=SCHEDULER_INTERVAL)
            except queue.Empty:
                run_id = None
            with self.app.app_context():
                try:
                    if run_id is None:
                        tick()
                        ids = runner.due()
                        db.session.commit()
                        for due_id in ids:
                            runner.run(due_id)
                    else:
                        runner.run(run_id)
                except Exception:  # noqa: BLE001 - the thread must outlive any one failure
                    log.exception("the in-process job thread hit an error")
                    db.session.rollback()
                finally:
                    db.session.remove()


class RQBackend:
    """Runs go to an RQ queue on REDIS_URL; `flask jobs worker` takes them off."""

    name = "rq"

    def __init__(self, app: Flask, url: str | None = None, prefix: str | None = None):
        self.app = app
        self.url = url or app.config["REDIS_URL"]
        self.queue_name = (prefix or app.config["REDIS_KEY_PREFIX"]) + "jobs"

    def connection(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=2, socket_timeout=10)

    def queue(self):
        from rq import Queue

        return Queue(self.queue_name, connection=self.connection())

    def submit(self, ids: Iterable[int]) -> None:
        try:
            q = self.queue()
            for i in ids:
                q.enqueue("app.jobs.backends.perform", i, result_ttl=3600, failure_ttl=7 * 86400,
                          job_timeout=1800, description=f"job run {i}")
        except Exception:  # noqa: BLE001 - Redis down: the scheduler's sweep sends them later
            log.warning("could not hand job runs %s to Redis; the scheduler will send them again", list(ids),
                        exc_info=True)


_BACKENDS = {"manual": ManualBackend, "thread": ThreadBackend, "rq": RQBackend}

#: The app a worker process runs jobs for (set by `flask jobs worker` before it starts).
_worker_app: Flask | None = None
_boot_pid = os.getpid()


def make_backend(app: Flask):
    """The backend the configuration names: JOBS_BACKEND, else rq with REDIS_URL, else thread."""
    name = app.config.get("JOBS_BACKEND") or ("rq" if app.config.get("REDIS_URL") else "thread")
    try:
        return _BACKENDS[name](app)
    except KeyError:
        raise RuntimeError(f"JOBS_BACKEND must be one of {sorted(_BACKENDS)}, not {name!r}") from None


def set_worker_app(app: Flask) -> None:
    global _worker_app
    _worker_app = app


def perform(run_id: int) -> str:
    """What an RQ worker calls: run `run_id` in the worker's app. A forked work-horse drops the
    database connections it inherited (they belong to its parent) before touching the database."""
    if _worker_app is None:
        raise RuntimeError("no app: start workers with `flask jobs worker`")
    with _worker_app.app_context():
        if os.getpid() != _boot_pid:
            db.engine.dispose(close=False)
        try:
            return runner.run(run_id)
        finally:
            db.session.remove()


def drain(max_rounds: int = 10) -> int:
    """Run every due run, and the ones they queue, until none is due (tests and `flask jobs run`).
    Returns how many runs were attempted."""
    attempted = 0
    for _ in range(max_rounds):
        ids = runner.due()
        db.session.commit()
        if not ids:
            break
        for i in ids:
            runner.run(i)
            attempted += 1
    return attempted
