"""Models of the concentration domain: alert rules (thresholds kept as data) and the data version
the figures cache keys on."""
from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

#: What an alert rule measures. The delta is the rise in HHI since the previous quarter on the
#: dashboard, and the ΔHHI of the awards on the what-if page.
ALERT_METRICS = {
    "hhi": "HHI",
    "delta_hhi": "Rise in HHI (ΔHHI)",
    "cr1": "Share of the largest system (CR1, %)",
    "supplier_share": "Share of the largest supplier (%)",
}

SEVERITIES = {"info": "Information", "warning": "Warning", "high": "High"}

#: What a rule's source is. Only a primary source whose text was read makes a rule "verified".
SOURCE_KINDS = {
    "primary": "Primary: the regulator's own page",
    "secondary": "Secondary: a law firm's summary",
    "other": "Other: a blog, a copy of a document or a figure from memory",
}


class AlertRule(db.Model):
    """A concentration threshold from a published source, editable by the commercial team.

    It names its regime and the kind of its source; `verified` only when the source is primary and
    its text was read. An alert fires when the metric is above `threshold` and, if `delta_threshold` is set, the
    rise in HHI is also above it (e.g. "HHI > 1,800 and ΔHHI > 100").
    """

    __tablename__ = "concentration_alert_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    metric: Mapped[str] = mapped_column(String(20))
    threshold: Mapped[float] = mapped_column(Float)
    delta_threshold: Mapped[float | None] = mapped_column(Float)
    severity: Mapped[str] = mapped_column(String(10), default="warning")
    regime: Mapped[str] = mapped_column(String(200))
    published_threshold: Mapped[str] = mapped_column(Text, default="")
    source_urls: Mapped[str] = mapped_column(Text, default="")
    source_kind: Mapped[str] = mapped_column(String(20), default="other", server_default="other")
    # The primary text was read. Nothing else may be called verified (a CHECK holds it to that).
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by = relationship("User")

    __table_args__ = (
        CheckConstraint(check_in("metric", ALERT_METRICS), name="metric_known"),
        CheckConstraint(check_in("severity", SEVERITIES), name="severity_known"),
        CheckConstraint("threshold >= 0", name="threshold_non_negative"),
        CheckConstraint("delta_threshold IS NULL OR delta_threshold >= 0", name="delta_non_negative"),
        CheckConstraint(check_in("source_kind", SOURCE_KINDS), name="source_kind_known"),
        CheckConstraint("NOT verified OR source_kind = 'primary'", name="verified_only_primary"),
    )

    @property
    def source_url_list(self) -> list[str]:
        return re.findall(r"https?://[^\s;]+", self.source_urls or "")


class DataVersion(db.Model):
    """One row whose counter is bumped whenever data behind the figures changes (a receiver of
    app.signals.data_changed), so every app server sharing the database sees the change."""

    __tablename__ = "concentration_data_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class FigureBuild(db.Model):
    """The figures of every category as the pages show them on one date, built by a job after the
    data changed (services/stored.py), so no page waits for them to be computed."""

    __tablename__ = "concentration_figure_builds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: A digest of the data version the figures were built from (engine.data_version()).
    version: Mapped[str] = mapped_column(String(64), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    took_ms: Mapped[int] = mapped_column(Integer, default=0)
    #: The figures, pickled and signed with the app's SECRET_KEY (HMAC-SHA256): only what this app
    #: signed is ever unpickled, so a row written by anyone else is refused.
    payload: Mapped[bytes] = mapped_column(LargeBinary)
