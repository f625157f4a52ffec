"""The queue on the machine's real Redis with RQ (as in production and CI): a run handed to RQ is
done by an RQ worker, a failure comes back after its backoff through the scheduler's sweep, and a
run delivered twice is still done once. Skipped, saying why, only when Redis is not running."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app import clock, jobs
from app.jobs.backends import RQBackend, set_worker_app
from app.jobs.cli import scheduler_round
from app.jobs.models import JobRun

from tests.jobs.test_queue import CALLS, FAILURES_LEFT
from tests.redis_support import TEST_REDIS_URL, redis_prefix  # noqa: F401  (fixture)

T0 = datetime(2026, 12, 2, 11, 0, tzinfo=timezone.utc)


@pytest.fixture()
def rq_backend(app, redis_prefix, monkeypatch):  # noqa: F811
    backend = RQBackend(app, url=TEST_REDIS_URL, prefix=redis_prefix)
    monkeypatch.setitem(app.extensions, "jobs", backend)
    set_worker_app(app)
    moments = [T0]
    clock.set_source(lambda: moments[0])
    CALLS.clear()
    FAILURES_LEFT.clear()
    yield backend, moments
    clock.set_source(None)
    set_worker_app(None)


def work(backend) -> None:
    """An RQ worker (no fork: the test's database transaction is in this process) until the queue is empty."""
    import signal

    from rq import SimpleWorker

    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        SimpleWorker([backend.queue()], connection=backend.connection()).work(burst=True, logging_level="WARNING")
    finally:  # the worker's own handlers must not outlive it in the test process
        for s, handler in saved.items():
            signal.signal(s, handler)


def test_a_job_on_redis_is_retried_after_a_failure_and_never_run_twice(db_session, rq_backend):
    backend, moments = rq_backend
    FAILURES_LEFT[21] = 1
    run_id = jobs.enqueue("test.flaky", "test:redis-21", n=21)
    db_session.commit()  # after the commit the run is handed to RQ
    assert backend.queue().count == 1
    work(backend)
    row = db_session.execute(select(JobRun).where(JobRun.id == run_id)).scalar_one()
    db_session.refresh(row)
    assert row.status == "queued" and row.attempts == 1 and "hung up" in row.last_error

    moments[0] = T0 + timedelta(seconds=31)  # the backoff is over: the scheduler's sweep sends it again
    scheduler_round()
    assert backend.queue().count >= 1
    work(backend)
    db_session.refresh(row)
    assert row.status == "done" and row.attempts == 2

    # Delivered twice more (a duplicate, a second sweep): RQ runs them, the ledger does nothing.
    backend.submit([run_id, run_id])
    work(backend)
    db_session.refresh(row)
    assert row.status == "done" and row.attempts == 2
    assert CALLS == [21, 21]
