"""The job queue: a run per event, claimed once, retried with backoff after a failure, failed for
good after its last attempt, and never run twice; the scheduler queuing each slot once."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select

from app import clock, jobs
from app.jobs import runner
from app.jobs.models import JobRun
from app.jobs.registry import _TYPES
from app.jobs.schedule import Task

T0 = datetime(2026, 12, 2, 10, 0, 30, tzinfo=timezone.utc)
CALLS: list[int] = []
FAILURES_LEFT: dict[int, int] = {}


@jobs.job("test.flaky", max_attempts=3, backoff=(timedelta(seconds=30), timedelta(minutes=2)))
def flaky(n: int) -> str:
    """Fails FAILURES_LEFT[n] times, then succeeds; counts every call that got as far as working."""
    CALLS.append(n)
    if FAILURES_LEFT.get(n, 0) > 0:
        FAILURES_LEFT[n] -= 1
        raise ConnectionError("the mail server hung up")
    return f"did {n}"


@pytest.fixture()
def at():
    moments = [T0]
    clock.set_source(lambda: moments[0])
    CALLS.clear()
    FAILURES_LEFT.clear()
    yield moments
    clock.set_source(None)


def _run(db_session, key: str) -> JobRun:
    return db_session.execute(select(JobRun).where(JobRun.key == key)).scalar_one()


def test_the_same_event_queues_one_run(db_session, at):
    first = jobs.enqueue("test.flaky", "test:event-1", n=1)
    second = jobs.enqueue("test.flaky", "test:event-1", n=1)
    assert first == second
    assert db_session.execute(select(JobRun).where(JobRun.key == "test:event-1")).scalars().all().__len__() == 1


def test_a_job_retried_after_a_failure_runs_once_and_never_twice(db_session, at):
    FAILURES_LEFT[7] = 1
    run_id = jobs.enqueue("test.flaky", "test:event-7", n=7)
    db_session.commit()
    assert runner.run(run_id) == "queued"  # failed, waiting its backoff
    row = _run(db_session, "test:event-7")
    db_session.refresh(row)
    assert row.attempts == 1 and "ConnectionError: the mail server hung up" in row.last_error
    assert row.run_after == T0 + timedelta(seconds=30)
    assert runner.run(run_id) == "skipped"  # not before its backoff is over
    at[0] = T0 + timedelta(seconds=31)
    assert runner.run(run_id) == "done"
    db_session.refresh(row)
    assert row.status == "done" and row.attempts == 2 and row.outcome == "did 7" and row.last_error is None
    # Delivered again (a duplicate from Redis, a second worker, the sweep): nothing happens.
    assert runner.run(run_id) == "skipped"
    jobs.drain()
    assert CALLS == [7, 7]


def test_a_job_that_keeps_failing_is_failed_for_good_with_its_error(db_session, at):
    FAILURES_LEFT[8] = 99
    run_id = jobs.enqueue("test.flaky", "test:event-8", n=8)
    db_session.commit()
    statuses = []
    for step in range(4):
        statuses.append(runner.run(run_id))
        at[0] = at[0] + timedelta(minutes=5)
    assert statuses == ["queued", "queued", "failed", "skipped"]
    row = _run(db_session, "test:event-8")
    db_session.refresh(row)
    assert row.status == "failed" and row.attempts == 3 and row.finished_at is not None
    assert "the mail server hung up" in row.last_error
    assert CALLS == [8, 8, 8]


def test_the_work_of_a_failed_attempt_is_rolled_back(db_session, at, make):
    from app.registry.models import Organisation

    @jobs.job("test.half_done", max_attempts=1)
    def half_done(trust: str):
        db_session.add(Organisation(ods_code="ZZ9", name=trust, kind="trust"))
        db_session.flush()
        raise RuntimeError("stopped half way")

    try:
        run_id = jobs.enqueue("test.half_done", "test:half", trust="HALF DONE TRUST")
        db_session.commit()
        assert runner.run(run_id) == "failed"
        assert db_session.execute(select(Organisation).where(Organisation.ods_code == "ZZ9")).first() is None
    finally:
        _TYPES.pop("test.half_done", None)


def test_a_run_lost_with_its_worker_is_taken_back_and_its_work_kept_once(db_session, at):
    run_id = jobs.enqueue("test.flaky", "test:event-9", n=9)
    db_session.commit()
    db_session.execute(JobRun.__table__.update().where(JobRun.id == run_id)
                       .values(status="running", started_at=T0 - timedelta(hours=1), attempts=1))
    db_session.commit()
    assert run_id in runner.due(T0)  # taken back: its worker stopped while running it
    db_session.commit()
    assert runner.run(run_id) == "done"
    assert CALLS == [9]


def test_a_scheduled_task_is_queued_once_per_slot_whoever_ticks(db_session, at):
    @jobs.every("test.every_ten", minutes=10)
    def every_ten():
        return "ticked"

    try:
        jobs.tick(T0)
        jobs.tick(T0 + timedelta(minutes=3))  # a second scheduler, the same slot
        jobs.tick(T0 + timedelta(minutes=10))
        keys = db_session.execute(select(JobRun.key).where(JobRun.name == "test.every_ten")).scalars().all()
        assert sorted(keys) == ["test.every_ten@2026-12-02T10:00Z", "test.every_ten@2026-12-02T10:10Z"]
    finally:
        from app.jobs import schedule

        schedule._TASKS.pop("test.every_ten", None)
        _TYPES.pop("test.every_ten", None)


def test_a_daily_task_falls_on_its_time_in_england():
    task = Task("x", timedelta(days=1), at=time(7, 0))
    summer = datetime(2026, 7, 1, 6, 30, tzinfo=timezone.utc)  # 07:30 BST
    assert task.slot(summer) == datetime(2026, 7, 1, 6, 0, tzinfo=timezone.utc)
    winter = datetime(2026, 12, 2, 6, 59, tzinfo=timezone.utc)  # 06:59 GMT: before today's slot
    assert task.slot(winter) == datetime(2026, 12, 1, 7, 0, tzinfo=timezone.utc)


def test_a_job_queued_in_a_transaction_rolled_back_never_runs(db_session, at):
    jobs.enqueue("test.flaky", "test:rolled-back", n=5)
    db_session.rollback()
    jobs.drain()
    assert CALLS == []
    assert db_session.execute(select(JobRun).where(JobRun.key == "test:rolled-back")).first() is None
