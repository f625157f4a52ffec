"""Concentration metrics on plain values: shares, HHI, CR1/CR3, effective number, with what every
figure was computed over.

A *market* is a mapping organisation id → the set of system ids it runs in one category on one
date (only organisations with at least one known system appear). Weights are exact fractions so
that the same market always gives the same HHI, whatever the order of the records, and a no-op
change gives a ΔHHI of exactly 0.

Figures are worked out twice: by **supplier** (the headline: market power is a firm's, and the
2024 FOI list behind most rows names suppliers, not products) and by **system** (convergence on
products, where the source states them). HHI is on the 0–10,000 scale: the sum of squared
percentage shares; one supplier everywhere gives 10,000, n of equal size 10,000 ÷ n.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Iterable, Mapping, Protocol

from .bounds import Bounds, Sensitivity, hhi_bounds, sensitivity
from .records import CATEGORY_SCOPE, SupplierRecord, SystemRecord, parse_status_as_of

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

UNITS = {"supplier": ("supplier", "suppliers"), "system": ("system", "systems")}


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


def supplier_weights(market: Market, supplier_of: Mapping[int, int], weighting: str = "organisation") -> dict[int, Fraction]:
    """The weight of each supplier: its systems' weights added up."""
    return group_weights(system_weights(market, weighting), supplier_of)


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
    """10,000 ÷ HHI: how many equal-sized suppliers (systems) would give the same concentration."""
    return None if h == 0 else Fraction(10_000) / h


@dataclass(frozen=True)
class Share:
    """One supplier's (or system's) share of the market."""

    id: int
    label: str
    weight: float
    percent: float
    organisations: int


@dataclass(frozen=True)
class Concentration:
    """The figures of one market counted by supplier or by system, with the range the HHI could
    take whatever the unknown trusts run, and how far one trust switching could move it."""

    unit: str
    n: int
    hhi: float
    cr1: float
    cr3: float
    effective: float | None
    shares: tuple[Share, ...]
    bounds: Bounds
    sensitivity: Sensitivity

    @property
    def largest(self) -> Share | None:
        return self.shares[0] if self.shares else None

    @property
    def nouns(self) -> tuple[str, str]:
        """('supplier', 'suppliers') or ('system', 'systems')."""
        return UNITS[self.unit]


def concentration(weights: Mapping[int, Fraction], orgs: Mapping[int, int], labels: Mapping[int, str], *,
                  unit: str, unknown: int) -> Concentration:
    """All the figures of one set of weights; `unknown` trusts in scope have no known system."""
    sh = shares(weights)
    h = _hhi_of_shares(sh)
    eff = effective_number(h)
    rows = [Share(id=k, label=labels.get(k, str(k)), weight=float(w), percent=float(sh.get(k, 0) * 100),
                  organisations=orgs.get(k, 0)) for k, w in weights.items()]
    return Concentration(
        unit=unit, n=len(weights), hhi=float(h), cr1=float(_cr_of_shares(sh, 1)), cr3=float(_cr_of_shares(sh, 3)),
        effective=None if eff is None else float(eff),
        shares=tuple(sorted(rows, key=lambda r: (-r.weight, r.label, r.id))),
        bounds=hhi_bounds(weights, unknown), sensitivity=sensitivity(weights))


class Evidence(Protocol):
    """A row a figure rests on (a deployment counted, or a "no system" finding)."""

    confidence: str
    foi_2024_only: bool
    status_as_of: str


@dataclass(frozen=True)
class Sources:
    """What the figures rest on: how many rows, of which confidence, how many on the 2024 FOI list
    alone, and the dates of the sources (as the sources give them)."""

    rows: int = 0
    high: int = 0
    medium: int = 0
    low: int = 0
    unrated: int = 0
    foi_2024_only: int = 0
    earliest: str = ""
    latest: str = ""

    @property
    def weaker(self) -> int:
        """Rows of medium, low or no stated confidence."""
        return self.medium + self.low + self.unrated

    @property
    def dated(self) -> str:
        """'2014-05 to 2026-06', or one date, or '' when undated."""
        if not self.earliest:
            return ""
        return self.earliest if self.earliest == self.latest else f"{self.earliest} to {self.latest}"


def sources_of(rows: Iterable[Evidence]) -> Sources:
    """Count the rows behind a figure by confidence and by source, and date them."""
    counts = {"high": 0, "medium": 0, "low": 0, "unrated": 0}
    foi, dated, n = 0, [], 0
    for r in rows:
        n += 1
        counts[r.confidence if r.confidence in counts else "unrated"] += 1
        foi += bool(r.foi_2024_only)
        day = parse_status_as_of(r.status_as_of)
        if day is not None:
            dated.append((day, r.status_as_of.strip()))
    dated.sort()
    return Sources(rows=n, foi_2024_only=foi, earliest=dated[0][1] if dated else "",
                   latest=dated[-1][1] if dated else "", **counts)


@dataclass(frozen=True)
class Figures:
    """The figures of one category on one date, by supplier (the headline) and by system, with
    what they were computed over: the trusts in scope, how many are known (a system, or known to
    have none), and the sources."""

    category: str
    as_of: date
    weighting: str
    scope: str
    orgs_in_scope: int
    orgs_with_system: int
    orgs_without_system: int
    suppliers: Concentration
    systems: Concentration
    sources: Sources

    @property
    def known(self) -> int:
        return self.orgs_with_system + self.orgs_without_system

    @property
    def unknown(self) -> int:
        return max(0, self.orgs_in_scope - self.known)

    @property
    def coverage(self) -> float | None:
        """Percentage of the organisations in scope that are known (a system, or known to have none)."""
        return None if not self.orgs_in_scope else 100 * self.known / self.orgs_in_scope

    @property
    def computed_over(self) -> str:
        """'133 of 134 acute and specialist trusts known (116 with a known system, 17 known to have none;
        99% coverage)'."""
        text = (f"{self.known} of {self.orgs_in_scope} {self.scope} known ({self.orgs_with_system} with a known "
                f"system, {self.orgs_without_system} known to have none")
        if self.coverage is not None:
            text += f"; {self.coverage:.0f}% coverage"
        text += ")"
        if self.sources.dated:
            text += f"; sources dated {self.sources.dated}"
        return text


def figures(market: Market, *, systems: Mapping[int, SystemRecord], suppliers: Mapping[int, SupplierRecord],
            orgs_in_scope: int, category: str, as_of: date, weighting: str = "organisation",
            without_system: int = 0, evidence: Iterable[Evidence] = ()) -> Figures:
    """All the figures of a market; `without_system` organisations in scope are known to have none."""
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
    with_system = sum(1 for held in market.values() if held)
    unknown = max(0, orgs_in_scope - with_system - without_system)
    return Figures(
        category=category, as_of=as_of, weighting=weighting, scope=scope_label(category),
        orgs_in_scope=orgs_in_scope, orgs_with_system=with_system, orgs_without_system=without_system,
        suppliers=concentration(sup_weights, sup_orgs, {k: suppliers[k].name for k in sup_weights if k in suppliers},
                                unit="supplier", unknown=unknown),
        systems=concentration(weights, sys_orgs, {k: systems[k].name for k in weights}, unit="system",
                              unknown=unknown),
        sources=sources_of(evidence),
    )


def adopt(market: Market, follower_id: int, system_ids: Iterable[int]) -> dict[int, frozenset[int]]:
    """The market after `follower_id` replaces whatever it runs with `system_ids`."""
    new = dict(market)
    chosen = frozenset(system_ids)
    if chosen:
        new[follower_id] = chosen
    return new


def project(market: Market, adoptions: Mapping[int, frozenset[int]]) -> dict[int, frozenset[int]]:
    """The market after every organisation in `adoptions` moves to its system(s)."""
    new = dict(market)
    for follower, chosen in adoptions.items():
        if chosen:
            new[follower] = frozenset(chosen)
    return new


def delta_hhi(before: Market, after: Market, supplier_of: Mapping[int, int],
              weighting: str = "organisation") -> Fraction:
    """ΔHHI by supplier between two markets (exact)."""
    return (hhi(supplier_weights(after, supplier_of, weighting))
            - hhi(supplier_weights(before, supplier_of, weighting)))


@dataclass(frozen=True)
class Distance:
    """How far a category is from the target of about six core suppliers (systems)."""

    target: int
    n: int
    effective: float | None
    over_target: int
    effective_over_target: float | None


def distance_to_target(c: Concentration, target: int = TARGET_CORE_SYSTEMS) -> Distance:
    """Suppliers (and the effective number) beyond the target; 0 when at or under it."""
    eff = c.effective
    return Distance(target=target, n=c.n, effective=eff, over_target=max(0, c.n - target),
                    effective_over_target=None if eff is None else max(0.0, eff - target))


def _quarter_end(year: int, q: int) -> date:
    end_month = q * 3
    return date(year + (end_month == 12), end_month % 12 + 1, 1) - timedelta(days=1)


def quarter_points(as_of: date, n: int = 20) -> list[tuple[str, date]]:
    """The last `n` quarters up to `as_of`, oldest first, as (label, date): each past quarter is
    measured on its last day, the current one on `as_of`."""
    points: list[tuple[str, date]] = []
    year, q = as_of.year, (as_of.month - 1) // 3 + 1
    for _ in range(n):
        points.append((f"{year} Q{q}", min(_quarter_end(year, q), as_of)))
        q -= 1
        if q == 0:
            year, q = year - 1, 4
    return list(reversed(points))


def next_quarter_points(as_of: date, n: int) -> list[tuple[str, date]]:
    """The `n` quarters after the one holding `as_of`, each measured on its last day."""
    points: list[tuple[str, date]] = []
    year, q = as_of.year, (as_of.month - 1) // 3 + 1
    for _ in range(n):
        q += 1
        if q == 5:
            year, q = year + 1, 1
        points.append((f"{year} Q{q}", _quarter_end(year, q)))
    return points
