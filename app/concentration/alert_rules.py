"""Alert rules as data: loading the published defaults and the commercial team's edits."""
from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db

from .alerts import RuleSpec
from .models import ALERT_METRICS, SEVERITIES, AlertRule

#: The published defaults (copied from ../shared/data/hhi_thresholds.csv with their sources).
DEFAULTS_CSV = Path(__file__).resolve().parents[2] / "seed" / "concentration_alert_rules.csv"

#: The largest meaningful threshold per metric: HHI values are on 0–10,000, shares on 0–100.
METRIC_MAX = {"hhi": 10_000.0, "delta_hhi": 10_000.0, "cr1": 100.0, "supplier_share": 100.0}


def list_rules() -> list[AlertRule]:
    """Every rule, active ones first."""
    return list(db.session.execute(
        select(AlertRule).order_by(AlertRule.active.desc(), AlertRule.metric, AlertRule.threshold, AlertRule.slug)
    ).scalars())


def as_spec(rule: AlertRule) -> RuleSpec:
    """The rule as plain values for the pure alert evaluation."""
    return RuleSpec(slug=rule.slug, name=rule.name, metric=rule.metric, threshold=rule.threshold,
                    delta_threshold=rule.delta_threshold, severity=rule.severity, regime=rule.regime,
                    source_urls=tuple(rule.source_url_list), verified=rule.verified)


def active_specs() -> list[RuleSpec]:
    """The active rules as plain values, for alerts.evaluate."""
    return [as_spec(r) for r in db.session.execute(select(AlertRule).where(AlertRule.active.is_(True))).scalars()]


def read_defaults(path: Path = DEFAULTS_CSV) -> list[dict[str, str]]:
    """The published default rules from the seed CSV."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def load_default_rules(rows: list[dict[str, str]] | None = None, actor=None) -> list[AlertRule]:
    """Create the rules from the published defaults that are missing (matched by slug); an
    existing rule, perhaps edited by the commercial team, is left alone. Returns those created."""
    rows = read_defaults() if rows is None else rows
    existing = set(db.session.execute(select(AlertRule.slug)).scalars())
    created = []
    for r in rows:
        if r["slug"] in existing:
            continue
        rule = AlertRule(
            slug=r["slug"], name=r["name"], metric=r["metric"], threshold=float(r["threshold"]),
            delta_threshold=_float(r.get("delta_threshold")), severity=r["severity"],
            active=r["active"].strip().lower() == "true", verified=r["verified"].strip().lower() == "true",
            regime=r["regime"], published_threshold=r["published_threshold"], source_urls=r["source_urls"],
            notes=r.get("notes") or "",
        )
        _check(rule)
        db.session.add(rule)
        record("concentration.rule_create", rule, after=snapshot(rule), actor=actor,
               summary=f"Alert rule ‘{rule.name}’ loaded from the published defaults.")
        existing.add(rule.slug)
        created.append(rule)
    db.session.flush()
    return created


def _check(rule: AlertRule) -> None:
    if rule.metric not in ALERT_METRICS:
        raise DomainError("Choose a metric from the list.", field="metric")
    if rule.severity not in SEVERITIES:
        raise DomainError("Choose a severity from the list.", field="severity")
    top = METRIC_MAX[rule.metric]
    if rule.threshold is None or not 0 <= rule.threshold <= top:
        raise DomainError(f"The threshold must be between 0 and {top:,.0f}.", field="threshold")
    if rule.delta_threshold is not None and not 0 <= rule.delta_threshold <= 10_000:
        raise DomainError("The rise in HHI must be between 0 and 10,000.", field="delta_threshold")
    if rule.metric == "delta_hhi" and rule.delta_threshold is not None:
        raise DomainError("A rule on the rise in HHI needs no second rise threshold.", field="delta_threshold")


def update_rule(rule: AlertRule, *, threshold: float, delta_threshold: float | None, severity: str,
                active: bool, notes: str = "", actor=None) -> AlertRule:
    """Change a rule's thresholds, severity or whether it is used; recorded in the audit log.
    The source and the published figure stay as they were, so an edited rule still says where
    its default came from."""
    before = snapshot(rule)
    rule.threshold, rule.delta_threshold, rule.severity, rule.active = threshold, delta_threshold, severity, active
    rule.notes = notes or ""
    if actor is not None:
        rule.updated_by_id = actor.id
    _check(rule)
    db.session.flush()
    record("concentration.rule_update", rule, before=before, after=snapshot(rule), actor=actor,
           summary=f"Alert rule ‘{rule.name}’ changed.")
    return rule
