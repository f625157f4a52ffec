"""Concentration metrics on plain values: shares, HHI, CR1/CR3, effective number of systems.

A *market* is a mapping organisation id → the set of system ids it runs in one category on one
date (only organisations with at least one known system appear). Weights are exact fractions so
that the same market always gives the same HHI, whatever the order of the records, and a no-op
change gives a ΔHHI of exactly 0.

HHI is on the 0–10,000 scale: the sum of squared percentage shares. A market of one system has
HHI 10,000; n systems of equal share have 10,000 ÷ n.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Iterable, Mapping

from .records import CATEGORY_SCOPE, SupplierRecord, SystemRecord

Market = Mapping[int, frozenset[int]]

#: How organisations are weighted: each organisation counts once (split between the systems it
#: runs), or each (organisation, system) pair counts once.
WEIGHTINGS = {"organisation": "Per organisation", "deployment": "Per deployment"}

#: The national aim of converging on about half a dozen core systems.
TARGET_CORE_SYSTEMS = 6

TRUST_TYPE_LABELS = {
    "acute": "acute",
    "specialist": "specialist",
    "mental_health": "mental health",
    "community": "community",
    "ambulance": "ambulance",
}


def scope_types(category: str) -> tuple[str, ...]:
    """The trust types whose organisations make up the market for `category`."""
    return CATEGORY_SCOPE.get(category, ())


def scope_label(category: str) -> str:
    """'acute and specialist trusts' for acute EPR, and so on."""
    names = [TRUST_TYPE_LABELS.get(t, t) for t in scope_types(category)]
    if not names:
        return "trusts"
    if len(names) == 1:
        return f"{names[0]} trusts"
    return ", ".join(names[:-1]) + f" and {names[-1]} trusts"


def system_weights(market: Market, weighting: str = "organisation") -> dict[int, Fraction]:
    """The weight of each system: an organisation running k systems gives each 1/k (per
    organisation), or 1 (per deployment)."""
    if weighting not in WEIGHTINGS:
        raise ValueError(f"unknown weighting {weighting!r}")
    weights: dict[int, Fraction] = {}
    for systems in market.values():
        if not systems:
            continue
        each = Fraction(1, len(systems)) if weighting == "organisation" else Fraction(1)
        for s in systems:
            weights[s] = weights.get(s, Fraction(0)) + each
    return weights


def group_weights(weights: Mapping[int, Fraction], group_of: Mapping[int, int]) -> dict[int, Fraction]:
    """Sum weights by group (e.g. system → supplier)."""
    out: dict[int, Fraction] = {}
    for key, w in weights.items():
        g = group_of[key]
        out[g] = out.get(g, Fraction(0)) + w
    return out


def shares(weights: Mapping[int, Fraction]) -> dict[int, Fraction]:
    """Each key's share of the total, as a fraction of 1 (empty when there is no weight)."""
    total = sum(weights.values(), Fraction(0))
    if total == 0:
        return {}
    return {k: w / total for k, w in weights.items() if w}


def hhi(weights: Mapping[int, Fraction]) -> Fraction:
    """Herfindahl–Hirschman index on the 0–10,000 scale; 0 for an empty market."""
    return _hhi_of_shares(shares(weights))


def _hhi_of_shares(sh: Mapping[int, Fraction]) -> Fraction:
    # Σ(100·s)² = 10,000·Σs², summed exactly; one multiplication instead of one per share.
    return sum((s * s for s in sh.values()), Fraction(0)) * 10_000


def concentration_ratio(weights: Mapping[int, Fraction], k: int) -> Fraction:
    """CRk: the combined percentage share of the k largest."""
    return _cr_of_shares(shares(weights), k)


def _cr_of_shares(sh: Mapping[int, Fraction], k: int) -> Fraction:
    return sum(sorted(sh.values(), reverse=True)[:k], Fraction(0)) * 100


def effective_number(h: Fraction) -> Fraction | None:
    """10,000 ÷ HHI: how many equal-sized systems would give the same concentration."""
    return None if h == 0 else Fraction(10_000) / h


@dataclass(frozen=True)
class Share:
    """One system's (or supplier's) share of the market."""

    id: int
    label: str
    weight: float
    percent: float
    organisations: int


@dataclass(frozen=True)
class Figures:
    """The headline figures of one category on one date, with what they were computed over."""

    category: str
    as_of: date
    weighting: str
    scope: str
    orgs_in_scope: int
    orgs_with_system: int
    n_systems: int
    hhi: float
    supplier_hhi: float
    cr1: float
    cr3: float
    effective_systems: float | None
    system_shares: tuple[Share, ...]
    supplier_shares: tuple[Share, ...]

    @property
    def coverage(self) -> float | None:
        """Percentage of the organisations in scope with a known system."""
        return None if not self.orgs_in_scope else 100 * self.orgs_with_system / self.orgs_in_scope

    @property
    def computed_over(self) -> str:
        text = f"{self.orgs_with_system} of {self.orgs_in_scope} {self.scope} with a known system"
        if self.coverage is not None:
            text += f" ({self.coverage:.0f}% coverage)"
        return text


def _share_rows(weights: Mapping[int, Fraction], sh: Mapping[int, Fraction], orgs: Mapping[int, int],
                labels: Mapping[int, str]) -> tuple[Share, ...]:
    rows = [Share(id=k, label=labels.get(k, str(k)), weight=float(w), percent=float(sh.get(k, 0) * 100),
                  organisations=orgs.get(k, 0)) for k, w in weights.items()]
    return tuple(sorted(rows, key=lambda r: (-r.weight, r.label, r.id)))


def figures(
    market: Market,
    *,
    systems: Mapping[int, SystemRecord],
    suppliers: Mapping[int, SupplierRecord],
    orgs_in_scope: int,
    category: str,
    as_of: date,
    weighting: str = "organisation",
) -> Figures:
    """All the headline figures of a market."""
    weights = system_weights(market, weighting)
    supplier_of = {s: systems[s].supplier_id for s in weights}
    sup_weights = group_weights(weights, supplier_of)
    sys_orgs: dict[int, int] = {}
    sup_orgs: dict[int, int] = {}
    for held in market.values():
        for s in held:
            sys_orgs[s] = sys_orgs.get(s, 0) + 1
        for sup in {systems[s].supplier_id for s in held}:
            sup_orgs[sup] = sup_orgs.get(sup, 0) + 1
    sh, sup_sh = shares(weights), shares(sup_weights)
    h = _hhi_of_shares(sh)
    eff = effective_number(h)
    return Figures(
        category=category,
        as_of=as_of,
        weighting=weighting,
        scope=scope_label(category),
        orgs_in_scope=orgs_in_scope,
        orgs_with_system=sum(1 for held in market.values() if held),
        n_systems=len(weights),
        hhi=float(h),
        supplier_hhi=float(_hhi_of_shares(sup_sh)),
        cr1=float(_cr_of_shares(sh, 1)),
        cr3=float(_cr_of_shares(sh, 3)),
        effective_systems=None if eff is None else float(eff),
        system_shares=_share_rows(weights, sh, sys_orgs, {k: systems[k].name for k in weights}),
        supplier_shares=_share_rows(sup_weights, sup_sh, sup_orgs,
                                    {k: suppliers[k].name for k in sup_weights if k in suppliers}),
    )


def adopt(market: Market, follower_id: int, system_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """The market after `follower_id` replaces whatever it runs with `system_ids`."""
    new = dict(market)
    chosen = frozenset(system_ids)
    if chosen:
        new[follower_id] = chosen
    return new


def project(market: Market, adoptions: Mapping[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """The market after every follower in `adoptions` adopts its exemplar's system(s)."""
    new = dict(market)
    for follower, chosen in adoptions.items():
        if chosen:
            new[follower] = frozenset(chosen)
    return new


def delta_hhi(before: Market, after: Market, weighting: str = "organisation") -> Fraction:
    """ΔHHI between two markets (exact)."""
    return hhi(system_weights(after, weighting)) - hhi(system_weights(before, weighting))


@dataclass(frozen=True)
class Distance:
    """How far a category is from the target of about six core systems."""

    target: int
    n_systems: int
    effective_systems: float | None
    systems_over_target: int
    effective_over_target: float | None


def distance_to_target(fig: Figures, target: int = TARGET_CORE_SYSTEMS) -> Distance:
    """Systems (and effective systems) beyond the target; 0 when at or under it."""
    eff = fig.effective_systems
    return Distance(
        target=target,
        n_systems=fig.n_systems,
        effective_systems=eff,
        systems_over_target=max(0, fig.n_systems - target),
        effective_over_target=None if eff is None else max(0.0, eff - target),
    )


def quarter_points(as_of: date, n: int = 20) -> list[tuple[str, date]]:
    """The last `n` quarters up to `as_of`, oldest first, as (label, date): each past quarter is
    measured on its last day, the current one on `as_of`."""
    points: list[tuple[str, date]] = []
    year, q = as_of.year, (as_of.month - 1) // 3 + 1
    for i in range(n):
        end_month = q * 3
        end = date(year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1)
        points.append((f"{year} Q{q}", min(end, as_of)))
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return list(reversed(points))
