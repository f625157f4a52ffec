"""Admission of exemplars to framework lots.

The membership status itself lives in the register (app.registry.models.Membership, changed only
through app.registry.services); these tables keep the detail: the criteria, the application's
answers and evidence, and the assessment (reviews/models.py keeps each later review).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import AttachmentMixin
from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from ..vocab import APPLICATION_STATUSES, ASSESSMENTS, CRITERION_KINDS


class AdmissionCriterion(db.Model):
    """A criterion a framework's applicants are assessed against (kept per framework, as data)."""

    __tablename__ = "admission_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10), default="text")
    # For a numeric criterion, the figure at or above which it looks met (a hint, not a verdict).
    minimum: Mapped[int | None]
    # Retired criteria stay for the applications that answered them, but are no longer asked.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    framework = relationship("Framework")

    __table_args__ = (
        UniqueConstraint("framework_id", "name"),
        CheckConstraint(check_in("kind", CRITERION_KINDS), name="kind_known"),
        CheckConstraint("minimum IS NULL OR (kind = 'number' AND minimum >= 0)", name="minimum_for_numbers"),
    )


class AdmissionApplication(db.Model):
    """A trust's application to join a lot, with its answers, live systems and documents."""

    __tablename__ = "admission_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    statement: Mapped[str] = mapped_column(Text, default="")
    # How many follower trusts it can support at once: the yardstick for capacity use in reviews.
    capacity_followers: Mapped[int | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(Text)

    lot = relationship("Lot", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")
    membership = relationship("Membership")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    decided_by = relationship("User", foreign_keys=[decided_by_id])
    answers: Mapped[list["AdmissionAnswer"]] = relationship(
        back_populates="application", order_by="AdmissionAnswer.position", cascade="all, delete-orphan")
    systems: Mapped[list["AdmissionSystem"]] = relationship(
        back_populates="application", order_by="AdmissionSystem.id", cascade="all, delete-orphan")
    links: Mapped[list["AdmissionLink"]] = relationship(
        back_populates="application", order_by="AdmissionLink.id", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint(check_in("status", APPLICATION_STATUSES), name="status_known"),
        CheckConstraint("capacity_followers IS NULL OR capacity_followers >= 0", name="capacity_non_negative"),
        CheckConstraint(
            "(status = 'submitted' AND decided_at IS NULL) OR "
            "(status <> 'submitted' AND decided_at IS NOT NULL AND decision_reason IS NOT NULL)",
            name="decision_complete",
        ),
        # One undecided application per trust per lot; re-applying after a rejection is a new row.
        Index("ux_admission_applications_open", "lot_id", "organisation_id", unique=True,
              sqlite_where="status = 'submitted'", postgresql_where="status = 'submitted'"),
    )

    @property
    def is_open(self) -> bool:
        return self.status == "submitted"


class AdmissionAnswer(db.Model):
    """The trust's answer to one criterion, and the commercial team's assessment of it."""

    __tablename__ = "admission_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("admission_applications.id", ondelete="CASCADE"),
                                                index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("admission_criteria.id"), index=True)
    # The criterion as it read when answered, so later edits do not rewrite the record.
    criterion_name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    answer: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str | None] = mapped_column(String(10))
    assessment_comment: Mapped[str | None] = mapped_column(Text)
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    application: Mapped[AdmissionApplication] = relationship(back_populates="answers")
    criterion: Mapped[AdmissionCriterion] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id"),
        CheckConstraint("assessment IS NULL OR " + check_in("assessment", ASSESSMENTS), name="assessment_known"),
        CheckConstraint("assessment IS NULL OR assessed_at IS NOT NULL", name="assessment_dated"),
    )


class AdmissionSystem(db.Model):
    """A system the trust runs live, as its deployments showed when it applied."""

    __tablename__ = "admission_systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("admission_applications.id", ondelete="CASCADE"),
                                                index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    live_since: Mapped[date | None] = mapped_column(Date)

    application: Mapped[AdmissionApplication] = relationship(back_populates="systems")
    system = relationship("System", lazy="joined")

    __table_args__ = (UniqueConstraint("application_id", "system_id"),)


class AdmissionLink(db.Model):
    """A document given as evidence, as a link."""

    __tablename__ = "admission_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("admission_applications.id", ondelete="CASCADE"),
                                                index=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(Text)

    application: Mapped[AdmissionApplication] = relationship(back_populates="links")

    __table_args__ = (CheckConstraint("url LIKE 'http://%' OR url LIKE 'https://%'", name="url_web"),)


class ApplicationDocument(AttachmentMixin, db.Model):
    """A document uploaded as evidence for an admission application (a series per file name)."""

    __tablename__ = "application_documents"

    application_id: Mapped[int] = mapped_column(ForeignKey("admission_applications.id", ondelete="CASCADE"),
                                                index=True)

    application = relationship("AdmissionApplication")

    __table_args__ = (
        UniqueConstraint("application_id", "series", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    def same_owner(self) -> list:
        return [ApplicationDocument.application_id == self.application_id]
