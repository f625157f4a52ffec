"""Models of the competitions domain: call-off competitions, their questions, invitations,
evaluators and clarifications. The subjects' models (bids in bidding/, scores in evaluation/, awards
in award/, notifications in notifications/) are imported at the end, so every model of the domain
can be imported from here."""
from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from . import clock, rules
from .calendar import DEFAULT_DEADLINE_TIME
from .scoring import SCALES

INVITATION_STATUSES = ("invited", "ineligible")


class Competition(db.Model):
    """A call-off competition under a framework lot, run by a follower trust (the buyer)."""

    __tablename__ = "competitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    requirement: Mapped[str] = mapped_column(Text)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    budget_pence: Mapped[int | None] = mapped_column(BigInteger)
    # The published scoring method.
    quality_weight: Mapped[int]
    price_weight: Mapped[int]
    scale_max: Mapped[int] = mapped_column(default=4)
    threshold_percent: Mapped[int] = mapped_column(default=0)
    abnormally_low_percent: Mapped[int] = mapped_column(default=25)
    # The timetable, in working days (defaults from the framework) and the time of day (London).
    clarification_days: Mapped[int]
    response_days: Mapped[int]
    standstill_days: Mapped[int]
    # Why the buyer shortened or skipped the framework's voluntary standstill (where it allows that).
    standstill_reason: Mapped[str | None] = mapped_column(Text)
    # "HH:MM", London time (a string, so it audits and compares the same on both backends).
    deadline_time: Mapped[str] = mapped_column(String(5), default=DEFAULT_DEADLINE_TIME.strftime("%H:%M"))
    invitee_justification: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    clarification_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    response_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    evaluation_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    end_reason: Mapped[str | None] = mapped_column(Text)
    # The conflicts assessment (s83): confirmed complete by a buyer; any later change reopens it.
    conflicts_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    conflicts_confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    buyer = relationship("Organisation", lazy="joined")
    lot = relationship("Lot", lazy="joined")
    project = relationship("Project")
    created_by = relationship("User", foreign_keys=[created_by_id])
    criteria: Mapped[list["CompetitionCriterion"]] = relationship(
        back_populates="competition", order_by="CompetitionCriterion.position", cascade="all, delete-orphan")
    invitations: Mapped[list["Invitation"]] = relationship(
        back_populates="competition", order_by="Invitation.id", cascade="all, delete-orphan")
    evaluators: Mapped[list["CompetitionEvaluator"]] = relationship(
        back_populates="competition", order_by="CompetitionEvaluator.id", cascade="all, delete-orphan")
    clarifications: Mapped[list["Clarification"]] = relationship(
        back_populates="competition", order_by="Clarification.id", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint(check_in("status", rules.STATUSES), name="status_known"),
        CheckConstraint("budget_pence IS NULL OR budget_pence >= 0", name="budget_non_negative"),
        CheckConstraint("quality_weight >= 0 AND price_weight >= 0 AND quality_weight + price_weight = 100",
                        name="weights_sum_to_100"),
        CheckConstraint(f"scale_max IN ({', '.join(str(s) for s in SCALES)})", name="scale_known"),
        CheckConstraint("threshold_percent >= 0 AND threshold_percent <= 100", name="threshold_percent_range"),
        CheckConstraint("abnormally_low_percent >= 1 AND abnormally_low_percent <= 90", name="abnormally_low_range"),
        CheckConstraint("clarification_days >= 0 AND response_days >= 1 AND standstill_days >= 0",
                        name="timetable_positive"),
        CheckConstraint("status IN ('draft', 'cancelled') OR response_deadline IS NOT NULL", name="published_has_deadline"),
        CheckConstraint("clarification_deadline IS NULL OR response_deadline IS NULL "
                        "OR clarification_deadline < response_deadline", name="clarification_before_response"),
        Index("ix_competitions_status", "status"),
    )

    @property
    def reference(self) -> str:
        """The reference people quote: CO- and the number."""
        return f"CO-{self.id:05d}" if self.id else "CO-(new)"

    @property
    def timetable(self) -> rules.Timetable:
        return rules.Timetable(self.clarification_deadline, self.response_deadline, self.standstill_ends_at)

    def effective_status(self, now: datetime | None = None) -> str:
        """The status the clock makes true now (derived; never written here)."""
        return rules.effective_status(self.status, self.timetable, now or clock.now())

    def bids_unsealed(self, now: datetime | None = None) -> bool:
        """Whether anyone but a bidder may see bids (or how many there are)."""
        now = now or clock.now()
        return rules.bids_unsealed(self.effective_status(now), self.response_deadline, self.ended_at, now)

    @property
    def deadline_clock(self) -> time:
        """The deadline's time of day (London) as a time."""
        hours, minutes = (int(x) for x in (self.deadline_time or "12:00").split(":"))
        return time(hours, minutes)

    @property
    def framework(self):
        return self.lot.framework

    def __repr__(self) -> str:
        return f"<Competition {self.id} {self.status}>"


class CompetitionCriterion(db.Model):
    """A quality question of a competition: a framework criterion picked, refined and weighted."""

    __tablename__ = "competition_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    framework_criterion_id: Mapped[int] = mapped_column(ForeignKey("framework_criteria.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    weight: Mapped[int]
    question: Mapped[str] = mapped_column(Text, default="")

    competition: Mapped[Competition] = relationship(back_populates="criteria")
    framework_criterion = relationship("FrameworkCriterion", lazy="joined")

    __table_args__ = (
        UniqueConstraint("competition_id", "framework_criterion_id"),
        CheckConstraint("weight >= 1 AND weight <= 100", name="weight_range"),
    )

    @property
    def name(self) -> str:
        return self.framework_criterion.name


class Invitation(db.Model):
    """An exemplar trust invited to a competition (from the shortlist or the lot's members)."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The offer version the buyer shortlisted, when the invitation came from a shortlist.
    offer_version_id: Mapped[int | None] = mapped_column(ForeignKey("offer_versions.id"))
    status: Mapped[str] = mapped_column(String(20), default="invited")
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    competition: Mapped[Competition] = relationship(back_populates="invitations")
    organisation = relationship("Organisation", lazy="joined")
    offer_version = relationship("OfferVersion")

    __table_args__ = (
        UniqueConstraint("competition_id", "organisation_id"),
        CheckConstraint(check_in("status", INVITATION_STATUSES), name="status_known"),
    )


class CompetitionEvaluator(db.Model):
    """A person of the buyer's organisation who scores the bids, with their conflict declaration."""

    __tablename__ = "competition_evaluators"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # None until declared; True excludes the evaluator from scoring.
    has_conflict: Mapped[bool | None]
    conflict_note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    competition: Mapped[Competition] = relationship(back_populates="evaluators")
    user = relationship("User", lazy="joined")

    __table_args__ = (UniqueConstraint("competition_id", "user_id"),)

    @property
    def may_score(self) -> bool:
        return self.has_conflict is False


class Clarification(db.Model):
    """A question an invitee asked, and the buyer's answer published to every invitee, anonymised."""

    __tablename__ = "clarifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    asked_by_org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The question as published: the buyer may reword it so it does not identify the asker.
    published_question: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    competition: Mapped[Competition] = relationship(back_populates="clarifications")
    asked_by_org = relationship("Organisation")

    __table_args__ = (
        CheckConstraint("published_at IS NULL OR (answer IS NOT NULL AND published_question IS NOT NULL)",
                        name="published_has_answer"),
    )


# The subjects' models, so that every model of the domain is found here (app/models.py, the API).
from .award.models import Award, ExclusionCheck  # noqa: E402,F401
from .bidding.models import Bid, BidAnswer, BidRevision  # noqa: E402,F401
from .documents.models import BidDocument, CompetitionDocument  # noqa: E402,F401
from .conflicts.models import ConflictDeclaration  # noqa: E402,F401
from .contracts.models import ContractChange, ContractKpi, KpiRating  # noqa: E402,F401
from .evaluation.models import ConsensusScore, EvaluatorScore  # noqa: E402,F401
from .notices.models import Notice  # noqa: E402,F401
from .notifications.models import Notification  # noqa: E402,F401
