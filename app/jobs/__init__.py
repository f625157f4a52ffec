"""The job queue: work that should not make a person wait, or must happen with nobody asking.

One small interface, whatever carries the work (RQ on Redis in production and CI, a thread of
this process for `make run`, nothing until drained in tests; see backends.py):

    from app import jobs

    @jobs.job("mail.send", max_attempts=5)          # a domain's jobs.py registers its jobs
    def send(delivery_id: int): ...                 # runs in an app context; must not commit

    jobs.enqueue("mail.send", f"mail.send:{d.id}", delivery_id=d.id)   # in the caller's transaction

    @jobs.every("competitions.tick", minutes=1)     # scheduled work: one registration each
    def close_due(): ...

Every run is a row of the ledger (models.JobRun) keyed by its event, so a run is never made twice
for one event, is claimed by one worker only, and its work and its "done" mark commit together
(runner.py). Failures are retried with backoff, then shown to the admins with their error.
"""
from __future__ import annotations

from flask import Flask

from .backends import drain, make_backend
from .models import JobRun
from .progress import Progress, read as read_progress, report as report_progress
from .queue import answer_queued, enqueue
from .registry import job
from .schedule import every, tick

__all__ = ["JobRun", "Progress", "answer_queued", "current_run_id", "drain", "enqueue", "every", "init_app", "job", "read_progress",
           "report_progress", "tick"]


def init_app(app: Flask) -> None:
    """Give the app its backend (JOBS_BACKEND; rq with REDIS_URL, else a thread). The in-process
    thread starts with the first request it serves (not in commands such as `flask db upgrade`),
    and from then on also ticks the scheduler, so `make run` closes competitions by itself."""
    backend = app.extensions["jobs"] = make_backend(app)
    if backend.name == "thread" and not app.testing:
        app.before_request(backend.start)


def backend(app: Flask):
    return app.extensions["jobs"]


def current_run_id() -> int | None:
    """The id of the run being worked on in this thread, for progress reports (None outside one)."""
    from .runner import current_run_id as _current

    return _current()
