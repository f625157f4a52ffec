"""The framework register: organisations, suppliers, systems, deployments, frameworks, lots and
exemplar memberships."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.web.formatting import title_case_org
from app.models_base import UTCDateTime, check_in, utcnow

from .vocab import (CONFIDENCE, DEPLOYMENT_STATUSES, FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES, ORG_KINDS, STANDARDS,
                    STANDSTILL_RULES, SYSTEM_CATEGORIES, TRUST_TYPES)


class Organisation(db.Model):
    """An NHS organisation identified by its ODS code: a trust, an ICB, a region or a national body."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    ods_code: Mapped[str] = mapped_column(String(10), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    trust_type: Mapped[str | None] = mapped_column(String(20))
    trust_type_source: Mapped[str | None] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    icb_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    town: Mapped[str | None] = mapped_column(String(100))
    postcode: Mapped[str | None] = mapped_column(String(10))
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    name_inferred: Mapped[bool] = mapped_column(default=False)
    # The parent organisation where the commercial team has recorded one (exclusion checks cover it).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))

    region: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[region_id], lazy="joined", join_depth=1
    )
    icb: Mapped["Organisation | None"] = relationship(
        remote_side=[id], foreign_keys=[icb_id], lazy="joined", join_depth=1
    )
    parent: Mapped["Organisation | None"] = relationship(remote_side=[id], foreign_keys=[parent_id])
    deployments: Mapped[list["Deployment"]] = relationship(back_populates="organisation")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation")

    __table_args__ = (
        CheckConstraint(check_in("kind", ORG_KINDS), name="kind_known"),
        CheckConstraint(
            "trust_type IS NULL OR " + check_in("trust_type", TRUST_TYPES), name="trust_type_known"
        ),
        # The register lists and its filters read one kind in name order (performance migration).
        Index("ix_organisations_kind_name", "kind", "name"),
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.ods_code}>"

    @property
    def display_name(self) -> str:
        """The name as people read it, wherever they do (pages, flashes, messages, audit summaries)
        and as every export gives it (API, CSV, OCDS, the open-data database: one vocabulary):
        ODS names are stored as published, in capitals, and shown in title case
        (app.web.formatting.title_case_org holds the rule). The exports give `name` as published
        too, as `official_name` (OCDS: the identifier's legalName)."""
        return title_case_org(self.name)


class Supplier(db.Model):
    """A company that supplies clinical systems. Suppliers have no ODS code: they get a register id."""

    __tablename__ = "suppliers"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    systems: Mapped[list["System"]] = relationship(back_populates="supplier", order_by="System.name")

    @property
    def register_id(self) -> str:
        return f"SUP-{self.id:04d}"


class System(db.Model):
    """A clinical system product, e.g. Epic or Oracle Health Millennium."""

    __tablename__ = "systems"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    supplier_id: Mapped[int] = mapped_column(ForeignKey("suppliers.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))

    supplier: Mapped[Supplier] = relationship(back_populates="systems", lazy="joined")
    standard_rows: Mapped[list["SystemStandard"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    deployments: Mapped[list["Deployment"]] = relationship(back_populates="system")

    __table_args__ = (CheckConstraint(check_in("category", SYSTEM_CATEGORIES), name="category_known"),)

    @property
    def standards(self) -> list[str]:
        return sorted(s.standard for s in self.standard_rows)


class SystemStandard(db.Model):
    """A standard a system declares conformance to."""

    __tablename__ = "system_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id", ondelete="CASCADE"))
    standard: Mapped[str] = mapped_column(String(20))

    __table_args__ = (
        UniqueConstraint("system_id", "standard"),
        CheckConstraint(check_in("standard", STANDARDS), name="standard_known"),
    )


class SourcedFact:
    """What every fact about who runs what keeps of its source: the source's date and wording, its
    addresses, its confidence, whether it describes a past state, and whether it rests on NHS
    England's 2024 FOI list alone (figures say how many such rows they rest on)."""

    status_as_of: Mapped[str | None] = mapped_column(String(40))
    source_text: Mapped[str | None] = mapped_column(String(300))
    source_status_text: Mapped[str | None] = mapped_column(String(300))
    source_url: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[str] = mapped_column(String(10))
    # The source describes a past state (a selection years ago, a predecessor trust): not current.
    historical: Mapped[bool] = mapped_column(default=False)
    foi_2024_only: Mapped[bool] = mapped_column(default=False, server_default=false())
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Deployment(SourcedFact, db.Model):
    """An organisation runs (or plans to run, or ran) a system. Convergence is measured on these."""

    __tablename__ = "deployments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    system_id: Mapped[int] = mapped_column(ForeignKey("systems.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    since: Mapped[date | None] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    # A planned deployment's go-live as the source plans it (the pipeline); None when not stated.
    expected_on: Mapped[date | None] = mapped_column(Date)
    # The source's own status code (live, contracted, replaced), kept beside the status it became.
    source_status_code: Mapped[str | None] = mapped_column(String(20))

    organisation: Mapped[Organisation] = relationship(back_populates="deployments", lazy="joined")
    system: Mapped[System] = relationship(back_populates="deployments", lazy="joined")

    __table_args__ = (
        CheckConstraint(check_in("status", DEPLOYMENT_STATUSES), name="status_known"),
        CheckConstraint(check_in("confidence", CONFIDENCE), name="confidence_known"),
        CheckConstraint("until IS NULL OR since IS NULL OR until >= since", name="until_after_since"),
        Index("ix_deployments_system_status", "system_id", "status"),
    )


class NoSystemFinding(SourcedFact, db.Model):
    """A sourced finding that a trust had no system of a category (e.g. "no EPR as at the 2024 FOI
    list"): known, not unknown. Coverage counts the trust; market shares do not. `until` is the
    go-live of the system it has had since, when one is recorded."""

    __tablename__ = "no_system_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    known_from: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(check_in("category", SYSTEM_CATEGORIES), name="category_known"),
        CheckConstraint(check_in("confidence", CONFIDENCE), name="confidence_known"),
        CheckConstraint("until IS NULL OR until >= known_from", name="until_after_known_from"),
    )


class Framework(db.Model):
    """A procurement framework, e.g. the GDE framework, and the rules its call-offs must follow."""

    __tablename__ = "frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    # Call-off rules.
    quality_weight_min: Mapped[int] = mapped_column(default=40)
    quality_weight_max: Mapped[int] = mapped_column(default=80)
    min_invitees: Mapped[int] = mapped_column(default=3)
    clarification_days: Mapped[int] = mapped_column(default=5)
    response_days: Mapped[int] = mapped_column(default=10)
    standstill_days: Mapped[int] = mapped_column(default=8)
    max_calloff_months: Mapped[int] = mapped_column(default=24)
    standstill_rule: Mapped[str] = mapped_column(String(10), default="fixed")
    over_budget_may_win: Mapped[bool] = mapped_column(default=True)
    #: Whether a buyer may award a call-off directly, without a competition (a project's outcome).
    direct_award_allowed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    lots: Mapped[list["Lot"]] = relationship(
        back_populates="framework", order_by="Lot.number", cascade="all, delete-orphan"
    )
    criteria: Mapped[list["FrameworkCriterion"]] = relationship(
        back_populates="framework", order_by="FrameworkCriterion.position",
        cascade="all, delete-orphan",
    )

    __table_args__ = (
        CheckConstraint(check_in("status", FRAMEWORK_STATUSES), name="status_known"),
        CheckConstraint(
            "quality_weight_min >= 0 AND quality_weight_min <= quality_weight_max "
            "AND quality_weight_max <= 100",
            name="quality_weight_range",
        ),
        CheckConstraint("min_invitees >= 1", name="min_invitees_positive"),
        CheckConstraint(
            "clarification_days >= 0 AND response_days >= 1 AND standstill_days >= 0",
            name="timetable_positive",
        ),
        CheckConstraint("max_calloff_months >= 1", name="max_term_positive"),
        CheckConstraint(check_in("standstill_rule", STANDSTILL_RULES), name="standstill_rule_known"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )


class FrameworkCriterion(db.Model):
    """An award criterion the framework allows; call-offs pick and weight from these, never add."""

    __tablename__ = "framework_criteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="criteria")

    __table_args__ = (UniqueConstraint("framework_id", "name"),)


class Lot(db.Model):
    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="lots", lazy="joined")
    memberships: Mapped[list["Membership"]] = relationship(back_populates="lot")

    __table_args__ = (
        UniqueConstraint("framework_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    @property
    def label(self) -> str:
        return f"Lot {self.number}: {self.name}"


class Membership(db.Model):
    """An exemplar's place on a lot, with its status. The history of decisions is in MembershipEvent."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    name_at_admission: Mapped[str | None] = mapped_column(String(200))
    ods_code_at_admission: Mapped[str | None] = mapped_column(String(10))
    admitted_on: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    lot: Mapped[Lot] = relationship(back_populates="memberships", lazy="joined")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships", lazy="joined")
    events: Mapped[list["MembershipEvent"]] = relationship(
        back_populates="membership", order_by="MembershipEvent.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        UniqueConstraint("lot_id", "organisation_id"),
        CheckConstraint(check_in("status", MEMBERSHIP_STATUSES), name="status_known"),
        Index("ix_memberships_status", "status"),
    )

    @property
    def is_active(self) -> bool:
        return self.status == "admitted"


class MembershipEvent(db.Model):
    """A dated decision about a membership, with its reason and evidence."""

    __tablename__ = "membership_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    membership: Mapped[Membership] = relationship(back_populates="events")
    decided_by = relationship("User")


class Partnership(db.Model):
    """A follower trust working with an exemplar trust: a GDE fast-follower pairing, or the result
    of an awarded call-off competition. Partnerships feed the exemplar's track record and the
    follower network in the concentration dashboard."""

    __tablename__ = "partnerships"

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    exemplar_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"), index=True)
    # The call-off competition whose award made this partnership (added by the competitions migration).
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"), index=True)
    origin: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="active")
    started_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # Ended early for the exemplar's failure (a call-off terminated for breach or exclusion).
    ended_for_cause: Mapped[bool] = mapped_column(default=False)
    source_url: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    follower: Mapped[Organisation] = relationship(foreign_keys=[follower_id], lazy="joined")
    exemplar: Mapped[Organisation] = relationship(foreign_keys=[exemplar_id], lazy="joined")
    lot: Mapped[Lot | None] = relationship()
    milestones: Mapped[list["PartnershipMilestone"]] = relationship(
        back_populates="partnership", order_by="PartnershipMilestone.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint(check_in("origin", ("gde_fast_follower", "call_off")), name="origin_known"),
        CheckConstraint(check_in("status", ("active", "completed", "ended")), name="status_known"),
        CheckConstraint("follower_id <> exemplar_id", name="not_self"),
    )


class PartnershipMilestone(db.Model):
    """A milestone of a partnership (kick-off, go-live, …), planned and actual dates. Met go-lives
    make an exemplar's track record."""

    __tablename__ = "partnership_milestones"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    planned_on: Mapped[date | None] = mapped_column(Date)
    actual_on: Mapped[date | None] = mapped_column(Date)

    partnership: Mapped[Partnership] = relationship(back_populates="milestones")

    __table_args__ = (CheckConstraint(check_in("kind", ("kick_off", "go_live", "other")), name="kind_known"),)
