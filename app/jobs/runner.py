"""Running one job run: claim it, do it, and record what happened, so that none runs twice.

1. The claim is one conditional UPDATE (queued and due → running, attempts + 1), committed at
   once: of two workers handed the same run, one wins and the other finds nothing to do.
2. The job's work and the run's "done" mark are committed in one transaction, so a crash between
   them cannot leave work done but the run still queued (to be done again), nor the reverse.
   The "done" mark is conditional on the run still being ours (running), so a run that was taken
   back as stale while it ran throws its work away rather than doing it twice.
3. A failure rolls the work back and records the error; the run waits its backoff and is queued
   again, until its last attempt, after which it stays failed and is shown to the admins.
"""
from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from app.clock import now as clock_now
from app.extensions import db

from .models import JobRun
from .registry import job_type, retry_wait

log = logging.getLogger("exemplar.jobs")

#: A run still "running" after this long was lost with its worker (its work never committed):
#: the sweeper queues it again.
STALE_AFTER = timedelta(minutes=30)
#: A run handed to Redis and still not taken after this long was lost there: it is sent again.
LOST_AFTER = timedelta(minutes=10)


_current: ContextVar[int | None] = ContextVar("exemplar_job_run", default=None)


def current_run_id() -> int | None:
    """The run this thread is working on (None outside a job)."""
    return _current.get()


def describe(error: BaseException) -> str:
    """The error as admins see it: its type and message, at most 2,000 characters."""
    text = f"{type(error).__name__}: {error}".strip()
    return text[:2000]


def run(run_id: int, now: datetime | None = None) -> str:
    """Run the job run `run_id` if it is queued and due. Returns its status afterwards, or
    "skipped" when there was nothing to do (already done, running elsewhere, failed, not due)."""
    now = now or clock_now()
    claimed = db.session.execute(
        update(JobRun).where(JobRun.id == run_id, JobRun.status == "queued", JobRun.run_after <= now)
        .values(status="running", attempts=JobRun.attempts + 1, started_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        return "skipped"
    db.session.commit()
    row = db.session.execute(select(JobRun.name, JobRun.params, JobRun.attempts, JobRun.max_attempts)
                             .where(JobRun.id == run_id)).one()
    token = _current.set(run_id)
    try:
        kind = job_type(row.name)
        result = kind.fn(**json.loads(row.params or "{}"))
        finished = db.session.execute(
            update(JobRun).where(JobRun.id == run_id, JobRun.status == "running")
            .values(status="done", finished_at=clock_now(), outcome=str(result or "")[:2000], last_error=None)
            .execution_options(synchronize_session=False)).rowcount
        if finished != 1:  # taken back as stale meanwhile: its work must not land twice
            db.session.rollback()
            return "skipped"
        db.session.commit()
        return "done"
    except Exception as e:  # noqa: BLE001 - any failure of a job is recorded, never lost
        db.session.rollback()
        return _failed(run_id, row, json.loads(row.params or "{}"), e)
    finally:
        _current.reset(token)


def _failed(run_id: int, row, params: dict, error: BaseException) -> str:
    try:
        kind = job_type(row.name)
        backoff, on_failure = kind.backoff, kind.on_failure
    except LookupError:
        backoff, on_failure = (timedelta(minutes=1),), None
    final = row.attempts >= row.max_attempts
    at = clock_now()
    values = {"last_error": describe(error)}
    if final:
        values |= {"status": "failed", "finished_at": at}
    else:
        values |= {"status": "queued", "run_after": at + retry_wait(backoff, row.attempts)}
    db.session.execute(update(JobRun).where(JobRun.id == run_id, JobRun.status == "running").values(**values)
                       .execution_options(synchronize_session=False))
    if on_failure is not None:
        try:
            with db.session.begin_nested():
                on_failure(describe(error), final, **params)
        except Exception:  # noqa: BLE001 - the failure is recorded on the run whatever happens here
            log.exception("recording the failure of run %s", run_id)
    db.session.commit()
    log.warning("job %s (run %s) failed, attempt %s of %s%s: %s", row.name, run_id, row.attempts,
                row.max_attempts, "; giving up" if final else "; will retry", describe(error),
                exc_info=error if final else None)
    return values["status"]


def due(now: datetime | None = None, limit: int = 500, *, unsent_only: bool = False) -> list[int]:
    """The runs that should be running: queued and due, marked sent now; the caller commits.

    Runs lost with a dead worker (running for longer than STALE_AFTER) are queued again first
    (their work never committed). With `unsent_only` (the scheduler's sweep of a shared queue),
    only the runs no transport holds: a retry whose backoff is over, or one sent long ago and
    never taken (Redis lost it)."""
    now = now or clock_now()
    db.session.execute(update(JobRun).where(JobRun.status == "running", JobRun.started_at < now - STALE_AFTER)
                       .values(status="queued", last_error="Taken back: its worker stopped while running it")
                       .execution_options(synchronize_session=False))
    stmt = select(JobRun.id).where(JobRun.status == "queued", JobRun.run_after <= now)
    if unsent_only:
        stmt = stmt.where(or_(JobRun.sent_at.is_(None), JobRun.sent_at < JobRun.run_after,
                              JobRun.sent_at < now - LOST_AFTER))
    ids = list(db.session.execute(stmt.order_by(JobRun.run_after, JobRun.id).limit(limit)).scalars())
    if ids:
        db.session.execute(update(JobRun).where(JobRun.id.in_(ids)).values(sent_at=now)
                           .execution_options(synchronize_session=False))
    return ids
