"""Alert rules evaluated on concentration figures (pure: plain values in, an assessment out).

A rule fires when its metric is above its threshold and, if it has a delta threshold, the rise
in HHI is above that too ("HHI > 1,800 and ΔHHI > 100"). Every alert names its rule's regime and
the kind of its source. A category whose coverage is below the minimum is not assessed at all: a
figure over a tenth of the trusts is not one anybody can act on.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.web.formatting import hhi

#: The coverage (% of trusts in scope known) below which no rule is applied, unless configured.
DEFAULT_MIN_COVERAGE = 60.0

SOURCE_KIND_TEXT = {
    "primary": "the regulator's own page",
    "secondary": "a law firm's summary",
    "other": "neither the regulator's page nor a law firm's summary",
}

#: The UK competition authority's position, said wherever the rules are: it applies no threshold.
UK_CMA_NO_THRESHOLD = ("The UK CMA's Merger Assessment Guidelines (CMA129, 2021) apply no threshold to market "
                       "shares, concentration or any other measure, so no UK rule can fire; the UK 2010 figures "
                       "are kept for comparison only.")


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
    source_kind: str = "other"
    verified: bool = False

    @property
    def is_verified(self) -> bool:
        """Only a primary source whose text was read makes a rule verified."""
        return self.verified and self.source_kind == "primary"

    @property
    def source_label(self) -> str:
        """'primary source (the regulator's own page), not verified: its text has not been read'."""
        kind = self.source_kind if self.source_kind in SOURCE_KIND_TEXT else "other"
        text = f"{kind} source ({SOURCE_KIND_TEXT[kind]})"
        if self.is_verified:
            return text + ", verified: its text was read"
        if kind == "primary":
            return text + ", not verified: its text has not been read"
        return text + ", not verified"


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


@dataclass(frozen=True)
class Assessment:
    """The alerts of one category, or why it was not assessed."""

    coverage: float | None
    minimum: float
    alerts: tuple[Alert, ...] = ()

    @property
    def assessed(self) -> bool:
        return self.coverage is not None and self.coverage >= self.minimum

    @property
    def note(self) -> str:
        """'Not assessed: coverage 10 %' when the rules were not applied, else ''."""
        if self.assessed:
            return ""
        if self.coverage is None:
            return "Not assessed: no trust in scope"
        return f"Not assessed: coverage {self.coverage:.0f} % (the rules apply from {self.minimum:.0f} %)"


def _fmt(x: float) -> str:
    return hhi(x)  # whole points (or per cent), rounded as HHI is everywhere


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


def assess(rules: list[RuleSpec], measures: Measures, coverage: float | None,
           minimum: float = DEFAULT_MIN_COVERAGE) -> Assessment:
    """The alerts of a category whose coverage reaches `minimum`; none, with the reason, below it."""
    result = Assessment(coverage, minimum)
    if not result.assessed:
        return result
    return Assessment(coverage, minimum, tuple(evaluate(rules, measures)))
