"""Questions of the graph answered with the metrics: figures, time series, projection, what-if.

Pure: takes a graph built by graph.build_graph, never touches Flask or the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

import networkx as nx

from . import graph as gr
from . import metrics as m


@dataclass(frozen=True)
class WhatIf:
    """The change in concentration if a follower adopted an exemplar's live system.

    HHI on the 0–10,000 scale; `computed_over` is the number of organisations with a known
    system in scope once the follower has adopted it.
    """

    category: str
    system_name: str
    hhi_before: float
    hhi_after: float
    delta: float
    computed_over: int


def _lookups(g: nx.MultiDiGraph):
    systems = {s.id: s for s in gr.records(g, "system")}
    suppliers = {s.id: s for s in gr.records(g, "supplier")}
    return systems, suppliers


def category_figures(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation") -> m.Figures:
    """The headline figures of one category on one date."""
    systems, suppliers = _lookups(g)
    in_scope = gr.scope(g, category, at)
    market = gr.market(g, category, at, in_scope)
    return m.figures(market, systems=systems, suppliers=suppliers, orgs_in_scope=len(in_scope),
                     category=category, as_of=at, weighting=weighting)


@dataclass(frozen=True)
class Point:
    label: str
    at: date
    figures: m.Figures


def time_series(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation",
                quarters: int = 20) -> list[Point]:
    """The figures quarter by quarter (oldest first), from the deployment history."""
    return [Point(label, d, category_figures(g, category, d, weighting)) for label, d in m.quarter_points(at, quarters)]


@dataclass(frozen=True)
class Projection:
    """Figures now and if every follower adopted its exemplar's live system."""

    now: m.Figures
    projected: m.Figures
    followers_moving: int
    distance_now: m.Distance
    distance_projected: m.Distance


def projection(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation") -> Projection:
    """Shares and HHI if every follower (active partnership) adopts its exemplar's system."""
    systems, suppliers = _lookups(g)
    in_scope = gr.scope(g, category, at)
    market = gr.market(g, category, at, in_scope)
    moves = gr.adoptions(g, category, at)
    after = m.project(market, moves)
    # A follower outside the category's scope joins the market when it adopts.
    scope_after = len(in_scope | set(moves))
    now = m.figures(market, systems=systems, suppliers=suppliers, orgs_in_scope=len(in_scope),
                    category=category, as_of=at, weighting=weighting)
    projected = m.figures(after, systems=systems, suppliers=suppliers, orgs_in_scope=scope_after,
                          category=category, as_of=at, weighting=weighting)
    moving = sum(1 for f, s in moves.items() if market.get(f) != s)
    return Projection(now, projected, moving, m.distance_to_target(now), m.distance_to_target(projected))


def _name(g: nx.MultiDiGraph, system_ids: Iterable[int]) -> str:
    return " + ".join(sorted(gr.system(g, s).name for s in system_ids))


def what_if(g: nx.MultiDiGraph, follower_id: int, exemplar_id: int, at: date,
            weighting: str = "organisation") -> WhatIf | None:
    """ΔHHI in the category of the exemplar's live system if the follower adopted it; None when
    the exemplar has no known live system."""
    results = what_if_awards(g, [(follower_id, exemplar_id)], at, weighting)
    return results[0] if results else None


def what_if_awards(g: nx.MultiDiGraph, awards: Iterable[tuple[int, int]], at: date,
                   weighting: str = "organisation") -> list[WhatIf]:
    """ΔHHI of a set of awards (follower, exemplar) taken together, one result per category.
    Awards whose exemplar has no known live system change nothing and are left out; when a
    follower appears twice, its last award counts."""
    by_category: dict[str, dict[int, frozenset[int]]] = {}
    for follower_id, exemplar_id in awards:
        offer = gr.exemplar_offer(g, exemplar_id, at)
        if offer is None:
            continue
        category, chosen = offer
        by_category.setdefault(category, {})[follower_id] = chosen
    out = []
    for category, moves in by_category.items():
        market = gr.market(g, category, at)
        after = m.project(market, moves)
        before_h = m.hhi(m.system_weights(market, weighting))
        after_h = m.hhi(m.system_weights(after, weighting))
        names = sorted({_name(g, s) for s in moves.values()})
        out.append(WhatIf(category=category, system_name=", ".join(names), hhi_before=float(before_h),
                          hhi_after=float(after_h), delta=float(after_h - before_h),
                          computed_over=len(after)))
    return sorted(out, key=lambda w: w.category)
