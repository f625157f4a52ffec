"""Imports run as a job, so a 20,000-row file never holds a web request: the person confirms,
the job plans and writes (all or nothing, in one transaction) and reports its progress, and the
progress page follows it."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app import jobs
from app.accounts.models import User
from app.errors import DomainError
from app.extensions import db
from app.jobs.models import JobRun

from . import imports
from .models import ImportRun


def _jobs_of(run: ImportRun) -> list[JobRun]:
    """The import jobs of this file, newest first (a new one only after one stopped with an error)."""
    return list(db.session.execute(select(JobRun).where(JobRun.key.like(f"registry.import:{run.id}:%"))
                                   .order_by(JobRun.id.desc())).scalars())


def start(run: ImportRun, *, actor) -> int:
    """Queue the import of a checked file: once (confirming twice queues nothing more), again only
    after an import of it stopped with an error. The caller commits."""
    if run.applied_at is not None:
        raise DomainError("This file has already been imported.")
    if run.error_count:
        raise DomainError(f"The file has {run.error_count} bad row(s): nothing was imported.", field="file")
    earlier = _jobs_of(run)
    if earlier and earlier[0].status != "failed":
        return earlier[0].id
    return jobs.enqueue("registry.import", f"registry.import:{run.id}:{len(earlier) + 1}",
                        started_by=getattr(actor, "id", None), import_id=run.id, actor_id=getattr(actor, "id", None))


@jobs.job("registry.import", max_attempts=2)
def run_import(import_id: int, actor_id: int | None) -> str:
    run = db.session.get(ImportRun, import_id)
    actor = db.session.get(User, actor_id) if actor_id else None
    run_id = jobs.current_run_id()
    jobs.report_progress(run_id, 0, 0, stage="Checking every row against the register")

    def progress(done: int, total: int) -> None:
        jobs.report_progress(run_id, done, total, stage="Writing to the register")

    try:
        _, counts = imports.apply_run(run, actor=actor, progress=progress)
    except DomainError as e:
        return f"Nothing was imported: {e.message}"
    return (f"Imported {run.filename}: {counts['create']} new, {counts['update']} updated, "
            f"{counts['unchanged']} unchanged.")


@dataclass(frozen=True)
class ImportProgress:
    status: str          # queued, running, done, failed
    done: int
    total: int
    errors: int
    words: str
    outcome: str
    error: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")

    @property
    def percent(self) -> int:
        return 100 if self.status == "done" else (0 if not self.total else round(100 * self.done / self.total))


def progress_of(run: ImportRun) -> ImportProgress | None:
    """Where the import of `run` has got, or None if it was never started."""
    started = _jobs_of(run)
    if not started:
        return None
    job = started[0]
    p = jobs.read_progress(job.id)
    done, total = (p.done, p.total) if p else (0, 0)
    if job.status == "done":
        done = total = max(total, run.created_count + run.updated_count)
    words = {"queued": "Waiting to start",
             "running": f"{p.stage}: {done:,} of {total:,} rows" if p and total else (p.stage if p else "Starting"),
             "done": "Finished", "failed": "Stopped by an error: nothing was imported"}[job.status]
    return ImportProgress(job.status, done, total, run.error_count, words, job.outcome or "", job.last_error)
