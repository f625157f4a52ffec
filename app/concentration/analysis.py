"""Questions of the graph answered with the metrics: figures, the quarterly series and what-if.

Pure: takes a graph built by graph.build_graph, never touches Flask or the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

import networkx as nx

from . import graph as gr
from . import metrics as m


def lookups(g: nx.MultiDiGraph):
    """Systems and suppliers by id."""
    systems = {s.id: s for s in gr.records(g, "system")}
    suppliers = {s.id: s for s in gr.records(g, "supplier")}
    return systems, suppliers


def figures_of(g: nx.MultiDiGraph, category: str, at: date, market: m.Market, in_scope: set[int],
               weighting: str = "organisation", evidence: Iterable | None = None) -> m.Figures:
    """The figures of a market (now, or projected) over `in_scope`, counting the organisations known
    to have no system that are not in the market. `evidence` is the deployments counted, which with
    the findings make the figures' sources; None for a projection, which rests on no row as it is."""
    systems, suppliers = lookups(g)
    findings = gr.no_system(g, category, at, in_scope, with_system=market)
    return m.figures(market, systems=systems, suppliers=suppliers, orgs_in_scope=len(in_scope), category=category,
                     as_of=at, weighting=weighting, without_system=len(findings),
                     evidence=() if evidence is None else [*evidence, *findings])


def category_figures(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation") -> m.Figures:
    """The figures of one category on one date, with the rows they rest on."""
    in_scope = gr.scope(g, category, at)
    rows = gr.in_use(g, category, at, in_scope)
    held: dict[int, set[int]] = {}
    for d in rows:
        held.setdefault(d.organisation_id, set()).add(d.system_id)
    market = {o: frozenset(s) for o, s in held.items()}
    return figures_of(g, category, at, market, in_scope, weighting, evidence=rows)


@dataclass(frozen=True)
class Point:
    label: str
    at: date
    figures: m.Figures
    projected: bool = False


def time_series(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation",
                quarters: int = 20) -> list[Point]:
    """The figures quarter by quarter (oldest first), from the go-live and end dates of the
    deployments: a quarter counts what was in use on its last day."""
    return [Point(label, d, category_figures(g, category, d, weighting)) for label, d in m.quarter_points(at, quarters)]


def rise_since_previous_quarter(series: list[Point]) -> float | None:
    """The change in HHI (by supplier) between the last two points; None when either is empty."""
    if len(series) < 2:
        return None
    a, b = series[-2].figures, series[-1].figures
    if not a.orgs_with_system or not b.orgs_with_system:
        return None
    return b.suppliers.hhi - a.suppliers.hhi


@dataclass(frozen=True)
class WhatIf:
    """The change in concentration (by supplier) if a follower adopted an exemplar's live system.

    HHI on the 0–10,000 scale; `computed_over` is the number of organisations with a known
    system in scope once the follower has adopted it.
    """

    category: str
    system_name: str
    supplier_name: str
    hhi_before: float
    hhi_after: float
    delta: float
    computed_over: int
    coverage: float | None = None


def _name(g: nx.MultiDiGraph, system_ids: Iterable[int]) -> str:
    return " + ".join(sorted(gr.system(g, s).name for s in system_ids))


def _supplier_names(g: nx.MultiDiGraph, system_ids: Iterable[int]) -> str:
    names = {g.nodes[("supplier", gr.system(g, s).supplier_id)]["record"].name for s in system_ids}
    return " + ".join(sorted(names))


def what_if(g: nx.MultiDiGraph, follower_id: int, exemplar_id: int, at: date,
            weighting: str = "organisation") -> WhatIf | None:
    """ΔHHI in the category of the exemplar's live system if the follower adopted it; None when
    the exemplar has no known live system."""
    results = what_if_awards(g, [(follower_id, exemplar_id)], at, weighting)
    return results[0] if results else None


def what_if_awards(g: nx.MultiDiGraph, awards: Iterable[tuple[int, int]], at: date,
                   weighting: str = "organisation") -> list[WhatIf]:
    """ΔHHI by supplier of a set of awards (follower, exemplar) taken together, one result per
    category. Awards whose exemplar has no known live system change nothing and are left out;
    when a follower appears twice, its last award counts."""
    systems, _ = lookups(g)
    supplier_of = {s: r.supplier_id for s, r in systems.items()}
    by_category: dict[str, dict[int, frozenset[int]]] = {}
    for follower_id, exemplar_id in awards:
        offer = gr.exemplar_offer(g, exemplar_id, at)
        if offer is None:
            continue
        category, chosen = offer
        by_category.setdefault(category, {})[follower_id] = chosen
    out = []
    for category, moves in by_category.items():
        in_scope = gr.scope(g, category, at)
        market = gr.market(g, category, at, in_scope)
        after = m.project(market, moves)
        before_h = m.hhi(m.supplier_weights(market, supplier_of, weighting))
        after_h = m.hhi(m.supplier_weights(after, supplier_of, weighting))
        known = len(after) + len(gr.no_system(g, category, at, in_scope, with_system=after))
        scope_after = len(in_scope | set(moves))
        out.append(WhatIf(category=category, system_name=", ".join(sorted({_name(g, s) for s in moves.values()})),
                          supplier_name=", ".join(sorted({_supplier_names(g, s) for s in moves.values()})),
                          hhi_before=float(before_h), hhi_after=float(after_h), delta=float(after_h - before_h),
                          computed_over=len(after), coverage=100 * known / scope_after if scope_after else None))
    return sorted(out, key=lambda w: w.category)
