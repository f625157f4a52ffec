"""Where the market is heading: the contracted pipeline going live at its planned dates, and then
every follower adopting its exemplar's live system. Pure, over the graph.

The pipeline is the planned deployments the sources record (selected, contracted, implementing):
never counted as live, only here, and every row it rests on is named. A row whose planned date has
passed without a confirmed go-live is marked overdue and counted from the first quarter ahead; a row
with no planned date is counted only in "the whole pipeline live".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from . import graph as gr
from . import metrics as m
from .analysis import Point, category_figures, figures_of


@dataclass(frozen=True)
class PipelineRow:
    """One contracted (planned) deployment the projection rests on."""

    organisation_id: int
    organisation: str
    ods_code: str
    system_id: int
    system: str
    supplier: str
    runs_now: str
    expected_on: date | None
    status_as_of: str
    confidence: str
    foi_2024_only: bool
    overdue: bool


@dataclass(frozen=True)
class Projection:
    """Figures now, with the pipeline live (quarter by quarter and all of it), and with every
    follower then adopting its exemplar's system."""

    now: m.Figures
    pipeline: tuple[PipelineRow, ...]
    with_pipeline: m.Figures
    series: tuple[Point, ...]
    projected: m.Figures
    followers_moving: int
    distance_now: m.Distance
    distance_projected: m.Distance


def _runs_now(g: nx.MultiDiGraph, held: frozenset[int] | None, without: bool) -> str:
    if held:
        return " + ".join(sorted(gr.system(g, s).name for s in held))
    return "No EPR (known)" if without else "Not known"


def pipeline_rows(g: nx.MultiDiGraph, category: str, at: date) -> list[PipelineRow]:
    """The contracted rows of a category, by planned date (undated last), then trust."""
    in_scope = gr.scope(g, category, at)
    market = gr.market(g, category, at, in_scope)
    without = {f.organisation_id for f in gr.no_system(g, category, at, in_scope, with_system=market)}
    rows = []
    for d in gr.pipeline(g, category, at):
        if d.system_id in market.get(d.organisation_id, frozenset()):
            continue  # already runs it: nothing changes
        o = gr.organisation(g, d.organisation_id)
        s = gr.system(g, d.system_id)
        rows.append(PipelineRow(
            organisation_id=d.organisation_id, organisation=o.display_name if o else str(d.organisation_id),
            ods_code=o.code if o else "", system_id=d.system_id, system=s.name,
            supplier=g.nodes[("supplier", s.supplier_id)]["record"].name,
            runs_now=_runs_now(g, market.get(d.organisation_id), d.organisation_id in without),
            expected_on=d.expected_on, status_as_of=d.status_as_of, confidence=d.confidence,
            foi_2024_only=d.foi_2024_only, overdue=d.expected_on is not None and d.expected_on <= at))
    return sorted(rows, key=lambda r: (r.expected_on is None, r.expected_on or at, r.organisation))


def _moves(rows: list[PipelineRow]) -> dict[int, frozenset[int]]:
    """Organisation → the planned systems it moves to (several planned rows: all of them)."""
    out: dict[int, set[int]] = {}
    for r in rows:
        out.setdefault(r.organisation_id, set()).add(r.system_id)
    return {o: frozenset(s) for o, s in out.items()}


def projection(g: nx.MultiDiGraph, category: str, at: date, weighting: str = "organisation",
               quarters_ahead: int = 8) -> Projection:
    """The pipeline live quarter by quarter up to its last planned date (at most `quarters_ahead`),
    all of it live, and then every follower (active partnership, no pipeline row of its own)
    adopting its exemplar's live system."""
    in_scope = gr.scope(g, category, at)
    market = gr.market(g, category, at, in_scope)
    now = category_figures(g, category, at, weighting)
    rows = pipeline_rows(g, category, at)
    moves = _moves(rows)
    dated = [r.expected_on for r in rows if r.expected_on is not None]
    series = []
    if rows:
        horizon = max(dated + [at])
        for label, end in m.next_quarter_points(at, quarters_ahead):
            step = _moves([r for r in rows if r.expected_on is not None and r.expected_on <= end])
            series.append(Point(label, end, figures_of(g, category, end, m.project(market, step), in_scope, weighting),
                                projected=True))
            if end >= horizon:
                break
    after_pipeline = m.project(market, moves)
    with_pipeline = figures_of(g, category, at, after_pipeline, in_scope, weighting)
    followers = {f: s for f, s in gr.adoptions(g, category, at).items() if f not in moves}
    after = m.project(after_pipeline, followers)
    projected = figures_of(g, category, at, after, in_scope | set(followers), weighting)
    moving = sum(1 for f, s in followers.items() if after_pipeline.get(f) != s)
    return Projection(now, tuple(rows), with_pipeline, tuple(series), projected, moving,
                      m.distance_to_target(now.suppliers), m.distance_to_target(projected.suppliers))
