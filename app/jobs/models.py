"""The job ledger: one row per job event, the truth about what ran.

The transport (Redis with RQ, or a thread in this process) only says "look at run N"; whether it
has run, failed or must wait is decided here, so a job delivered twice, or re-sent after Redis
lost it, still runs once.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

STATUSES = ("queued", "running", "done", "failed")


class JobRun(db.Model):
    """One event's job: its name, its key (unique: the event), its parameters and its outcome."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    #: The event this run is for ("mail.send:41", "competitions.tick@2026-12-02T10:15"): unique, so
    #: the same event never makes a second run.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    params: Mapped[str] = mapped_column(Text, default="{}")
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=4)
    #: Not before this instant (a retry's backoff).
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: When it was last handed to the transport: the sweep re-sends a retry whose backoff is over
    #: (run_after > sent_at) or a run the transport lost (still queued long after sent_at).
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What the job said it did, or the last error (type and message; never a traceback's locals).
    outcome: Mapped[str] = mapped_column(Text, default="")
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Who started it (imports): the progress page is theirs and the admins'.
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    __table_args__ = (
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        CheckConstraint("attempts >= 0 AND max_attempts >= 1", name="attempts_sane"),
        Index("ix_job_runs_status_run_after", "status", "run_after"),
    )

    @property
    def failed(self) -> bool:
        return self.status == "failed"

    def __repr__(self) -> str:
        return f"<JobRun {self.id} {self.key} {self.status}>"
