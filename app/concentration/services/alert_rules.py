"""Alert rules as data: loading the published defaults and the commercial team's edits, and the
published thresholds (or their absence) the rules come from."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, has_app_context
from sqlalchemy import select

from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db

from ..alerts import DEFAULT_MIN_COVERAGE, RuleSpec
from ..models import ALERT_METRICS, SEVERITIES, SOURCE_KINDS, AlertRule

SEED_DIR = Path(__file__).resolve().parents[3] / "seed"
#: The default rules, built by seed/build from ../shared/data/hhi_thresholds.csv with their sources.
DEFAULTS_CSV = SEED_DIR / "concentration_alert_rules.csv"
#: Every published threshold the defaults were chosen from, with its sources' kind.
REGIMES_CSV = SEED_DIR / "hhi_regimes.csv"

#: The largest meaningful threshold per metric: HHI values are on 0–10,000, shares on 0–100.
METRIC_MAX = {"hhi": 10_000.0, "delta_hhi": 10_000.0, "cr1": 100.0, "supplier_share": 100.0}


def min_coverage() -> float:
    """The coverage (%) a category needs before any rule is applied (CONCENTRATION_MIN_COVERAGE)."""
    if has_app_context():
        return float(current_app.config.get("CONCENTRATION_MIN_COVERAGE", DEFAULT_MIN_COVERAGE))
    return DEFAULT_MIN_COVERAGE


def list_rules() -> list[AlertRule]:
    """Every rule, active ones first."""
    return list(db.session.execute(
        select(AlertRule).order_by(AlertRule.active.desc(), AlertRule.metric, AlertRule.threshold, AlertRule.slug)
    ).scalars())


def as_spec(rule: AlertRule) -> RuleSpec:
    """The rule as plain values for the pure alert evaluation."""
    return RuleSpec(slug=rule.slug, name=rule.name, metric=rule.metric, threshold=rule.threshold,
                    delta_threshold=rule.delta_threshold, severity=rule.severity, regime=rule.regime,
                    source_urls=tuple(rule.source_url_list), source_kind=rule.source_kind,
                    verified=rule.verified)


def active_specs() -> list[RuleSpec]:
    """The active rules as plain values, for alerts.assess."""
    return [as_spec(r) for r in db.session.execute(select(AlertRule).where(AlertRule.active.is_(True))).scalars()]


def read_defaults(path: Path = DEFAULTS_CSV) -> list[dict[str, str]]:
    """The published default rules from the seed CSV."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Regime:
    """A published concentration threshold (or the statement that there is none), as compiled."""

    regime: str
    band_or_test: str
    published_threshold: str
    notes: str
    source_urls: tuple[str, ...]
    source_kind: str
    source_kind_text: str
    verified: bool


def regimes(path: Path = REGIMES_CSV) -> list[Regime]:
    """Every regime and band the defaults were chosen from, including those with no threshold."""
    with open(path, newline="", encoding="utf-8") as f:
        return [Regime(r["regime"], r["band_or_test"], r["published_threshold"], r["notes"],
                       tuple(u for u in r["source_urls"].split(" ; ") if u), r["source_kind"],
                       r["source_kind_text"], r["verified"] == "true") for r in csv.DictReader(f)]


def _float(text: str | None) -> float | None:
    text = (text or "").strip()
    return float(text) if text else None


def _provenance(r: dict[str, str]) -> dict:
    """What a default rule is and says about its source: taken from the defaults again on every load
    (the commercial team edits thresholds, severity, use and notes, never these)."""
    return {"name": r["name"], "metric": r["metric"], "regime": r["regime"], "published_threshold": r["published_threshold"], "source_urls": r["source_urls"],
            "source_kind": r["source_kind"], "verified": r["verified"].strip().lower() == "true"}


def load_default_rules(rows: list[dict[str, str]] | None = None, actor=None) -> list[AlertRule]:
    """Create the default rules that are missing (matched by slug). An existing rule keeps what the
    commercial team may have changed (thresholds, severity, use, notes) but takes its source from
    the defaults again, so a corrected source (a forum replaced by the regulator's page, a rule no
    longer called verified) reaches every deployment; each such change is audited. Returns the
    rules created."""
    rows = read_defaults() if rows is None else rows
    existing = {r.slug: r for r in db.session.execute(select(AlertRule)).scalars()}
    created = []
    for r in rows:
        rule = existing.get(r["slug"])
        if rule is not None:
            wanted = _provenance(r)
            if any(getattr(rule, k) != v for k, v in wanted.items()):
                before = snapshot(rule)
                for k, v in wanted.items():
                    setattr(rule, k, v)
                _check(rule)
                record("concentration.rule_source", rule, before=before, after=snapshot(rule), actor=actor,
                       summary=f"Alert rule ‘{rule.name}’: source updated from the published defaults.")
            continue
        rule = AlertRule(
            slug=r["slug"], threshold=float(r["threshold"]),
            delta_threshold=_float(r.get("delta_threshold")), severity=r["severity"],
            active=r["active"].strip().lower() == "true", notes=r.get("notes") or "", **_provenance(r),
        )
        _check(rule)
        db.session.add(rule)
        record("concentration.rule_create", rule, after=snapshot(rule), actor=actor,
               summary=f"Alert rule ‘{rule.name}’ loaded from the published defaults.")
        existing[rule.slug] = rule
        created.append(rule)
    db.session.flush()
    return created


def _check(rule: AlertRule) -> None:
    if rule.metric not in ALERT_METRICS:
        raise DomainError("Choose a metric from the list.", field="metric")
    if rule.severity not in SEVERITIES:
        raise DomainError("Choose a severity from the list.", field="severity")
    if rule.source_kind not in SOURCE_KINDS:
        raise DomainError("The kind of source must be primary, secondary or other.")
    if rule.verified and rule.source_kind != "primary":
        raise DomainError("Only a rule whose primary source was read may be called verified.")
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
