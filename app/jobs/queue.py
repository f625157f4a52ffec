"""Putting a job on the queue: a row in the ledger now, the transport told after the commit.

`enqueue` adds the run in the caller's transaction, so a change and the work it causes are
committed together or not at all: a rolled-back bid sends no email. The same key twice (the same
event) makes no second run. After the commit, the app's backend (backends.py) is handed the new
runs: RQ on Redis, a thread of this process, or nothing until a test drains them.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from app.clock import now as clock_now
from app.extensions import db

from .models import JobRun
from .registry import job_type

_PENDING = "jobs_to_dispatch"


def enqueue(name: str, key: str, *, run_after: datetime | None = None, started_by: int | None = None,
            **params: Any) -> int:
    """Queue the job `name` for the event `key` with JSON-able `params`; returns the run's id (the
    existing run's when this event was queued before, which is then not queued again)."""
    kind = job_type(name)
    key = key[:200]
    values = {"name": name, "key": key, "params": json.dumps(params, sort_keys=True, default=str),
              "status": "queued", "attempts": 0, "max_attempts": kind.max_attempts,
              "run_after": run_after or clock_now(), "created_at": clock_now(), "sent_at": clock_now(), "outcome": "",
              "started_by_id": started_by}
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(JobRun).values(**values).on_conflict_do_nothing(index_elements=["key"]).returning(JobRun.id)
    new_id = db.session.execute(stmt).scalar_one_or_none()
    if new_id is None:
        return db.session.execute(select(JobRun.id).where(JobRun.key == key)).scalar_one()
    db.session.info.setdefault(_PENDING, []).append(new_id)
    return new_id


def answer_queued(name: str, outcome: str) -> int:
    """Mark every queued run of `name` done with `outcome`: for work whose one run answers every
    request made before it (rebuilding figures: the latest build covers all earlier changes).
    The caller commits, with the work. Returns how many runs it answered."""
    return db.session.execute(
        update(JobRun).where(JobRun.name == name, JobRun.status == "queued")
        .values(status="done", finished_at=clock_now(), outcome=outcome[:2000])
        .execution_options(synchronize_session=False)).rowcount


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    ids = session.info.pop(_PENDING, None)
    if ids and has_app_context():
        backend = current_app.extensions.get("jobs")
        if backend is not None:
            backend.submit(ids)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
