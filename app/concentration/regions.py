"""The region × supplier table: how many trusts in each NHS England region run each supplier's
system, with each region's coverage. Pure, over the graph.

Counts are of trusts (a trust running two suppliers' systems is counted under both), so a column
can add up to more than its trusts with a system; the coverage rows say what each column is over.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from . import graph as gr

NO_REGION = 0


@dataclass(frozen=True)
class RegionColumn:
    """One region: its trusts in scope and how many are known."""

    id: int
    name: str
    in_scope: int
    with_system: int
    without_system: int

    @property
    def unknown(self) -> int:
        return self.in_scope - self.with_system - self.without_system

    @property
    def coverage(self) -> float | None:
        return None if not self.in_scope else 100 * (self.with_system + self.without_system) / self.in_scope


@dataclass(frozen=True)
class RegionRow:
    """One supplier: trusts running it, per region (in the order of the columns) and in England."""

    supplier_id: int
    supplier: str
    counts: tuple[int, ...]
    total: int


@dataclass(frozen=True)
class RegionTable:
    columns: tuple[RegionColumn, ...]
    rows: tuple[RegionRow, ...]
    england: RegionColumn


def region_table(g: nx.MultiDiGraph, category: str, at: date) -> RegionTable:
    """Trusts per supplier per region for `category` on `at`, suppliers largest first."""
    in_scope = gr.scope(g, category, at)
    market = gr.market(g, category, at, in_scope)
    without = {f.organisation_id for f in gr.no_system(g, category, at, in_scope, with_system=market)}
    region_of = {o: (gr.organisation(g, o).region_id or NO_REGION) for o in in_scope}
    regions = {r.id: r.display_name for r in gr.records(g, "organisation") if r.kind == "region"}
    used = sorted(set(region_of.values()), key=lambda r: (r == NO_REGION, regions.get(r, ""), r))
    columns = []
    for r in used:
        members = [o for o in in_scope if region_of[o] == r]
        columns.append(RegionColumn(r, regions.get(r, "Region not known"), len(members),
                                    sum(1 for o in members if o in market), sum(1 for o in members if o in without)))
    counts: dict[int, dict[int, int]] = {}
    for o, held in market.items():
        for sup in {gr.system(g, s).supplier_id for s in held}:
            per = counts.setdefault(sup, {})
            per[region_of[o]] = per.get(region_of[o], 0) + 1
    names = {s.id: s.name for s in gr.records(g, "supplier")}
    rows = [RegionRow(sup, names.get(sup, str(sup)), tuple(per.get(c.id, 0) for c in columns), sum(per.values()))
            for sup, per in counts.items()]
    england = RegionColumn(-1, "England", len(in_scope), len(market), len(without))
    return RegionTable(tuple(columns), tuple(sorted(rows, key=lambda r: (-r.total, r.supplier))), england)
