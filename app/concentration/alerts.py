"""Alert rules evaluated on concentration figures (pure: plain values in, alerts out).

A rule fires when its metric is above its threshold and, if it has a delta threshold, the rise
in HHI is above that too ("HHI > 1,800 and ΔHHI > 100"). Every alert names its rule's source.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RuleSpec:
    """An alert rule as plain values (the service reads them from the AlertRule table)."""

    slug: str
    name: str
    metric: str
    threshold: float
    delta_threshold: float | None = None
    severity: str = "warning"
    regime: str = ""
    source_urls: tuple[str, ...] = ()
    verified: bool = True


@dataclass(frozen=True)
class Measures:
    """The values rules are checked against; None when not known (e.g. no previous quarter)."""

    hhi: float | None = None
    delta_hhi: float | None = None
    cr1: float | None = None
    supplier_share: float | None = None


@dataclass(frozen=True)
class Alert:
    rule: RuleSpec
    value: float
    delta: float | None
    message: str


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


METRIC_TEXT = {
    "hhi": "HHI is {value}",
    "delta_hhi": "HHI rose by {value}",
    "cr1": "the largest system holds {value}%",
    "supplier_share": "the largest supplier holds {value}%",
}


def evaluate(rules: list[RuleSpec], measures: Measures) -> list[Alert]:
    """The alerts the measures raise, most severe first. A rule whose metric (or delta) is not
    known is skipped, never guessed."""
    alerts = []
    for rule in rules:
        value = getattr(measures, rule.metric, None)
        if value is None or not value > rule.threshold:
            continue
        if rule.delta_threshold is not None:
            if measures.delta_hhi is None or not measures.delta_hhi > rule.delta_threshold:
                continue
        text = METRIC_TEXT[rule.metric].format(value=_fmt(value)) + f", above {_fmt(rule.threshold)}"
        if rule.delta_threshold is not None and rule.metric != "delta_hhi":
            text += f", and rose by {_fmt(measures.delta_hhi)} (above {_fmt(rule.delta_threshold)})"
        text = text[0].upper() + text[1:] + "."
        alerts.append(Alert(rule, value, measures.delta_hhi, text))
    order = {"high": 0, "warning": 1, "info": 2}
    return sorted(alerts, key=lambda a: (order.get(a.rule.severity, 3), a.rule.slug))
