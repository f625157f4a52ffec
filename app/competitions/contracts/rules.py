"""Contract management's rules, as pure functions (no Flask, no database).

* KPIs (Procurement Act 2023 s52): a contract worth more than £5 million must have at least three
  key performance indicators. The check uses the contract value as recorded.
* Assessment (s71): the KPIs are assessed at least once in every 12 months of the contract; round
  n is due by the n-th anniversary of the start.
* Ratings, as the contract performance notice has them: Good, Approaching target, Requires
  improvement, Inadequate.
"""
from __future__ import annotations

from datetime import date

#: £5 million, in pence: above it, at least three KPIs.
KPI_THRESHOLD_PENCE = 500_000_000
MIN_KPIS_ABOVE_THRESHOLD = 3

RATINGS = {
    "good": "Good",
    "approaching": "Approaching target",
    "requires_improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
#: The UK extension's measure classification for each rating (Observation.measureClassification).
MEASURE_CLASSIFICATION = {"good": "met", "approaching": "slightlyBelow", "requires_improvement": "below",
                          "inadequate": "significantlyBelow"}


def needs_kpis(value_pence: int | None) -> bool:
    """Whether a contract of this value must have at least three KPIs."""
    return value_pence is not None and value_pence > KPI_THRESHOLD_PENCE


def kpi_problem(value_pence: int | None, kpi_count: int) -> str | None:
    """Why a contract's KPIs do not meet the rule, or None."""
    if needs_kpis(value_pence) and kpi_count < MIN_KPIS_ABOVE_THRESHOLD:
        return (f"A contract worth more than £5,000,000 needs at least {MIN_KPIS_ABOVE_THRESHOLD} key performance "
                f"indicators: {kpi_count} given.")
    return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")  # pragma: no cover


def next_round_due(starts_on: date, rounds_done: int) -> date:
    """The last day of the 12 months in which the next assessment round must happen."""
    return add_months(starts_on, 12 * (rounds_done + 1))


def kpi_names(text: str | None) -> list[str]:
    """KPIs typed one per line: trimmed, empty lines and repeats dropped."""
    seen: list[str] = []
    for line in (text or "").splitlines():
        name = line.strip()[:300]
        if name and name not in seen:
            seen.append(name)
    return seen
