"""What the concentration pages and the report show, assembled from the cached engine.

The heavy part (graph, figures, series, projection, regions, network) is memoised per data version
in the engine; the alert assessment (rules may be edited) and exemplar load (offers' capacity) are
added per call, one query each.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.registry.vocab import SYSTEM_CATEGORIES

from .. import alerts, analysis
from .. import graph as gr
from .. import metrics as m
from ..projection import Projection
from ..regions import RegionTable, region_table
from . import alert_rules, stored
from .engine import Engine, capacities, engine, per_request, unless_data_changed


@dataclass(frozen=True)
class HistoricalRow:
    organisation: str
    ods_code: str
    system: str
    status: str
    status_as_of: str
    confidence: str


@dataclass(frozen=True)
class Network:
    exemplars: list[tuple[int, str]]
    followers: list[tuple[int, str]]
    edges: list[tuple[int, int]]          # each follower–exemplar pair once
    components: list[list[str]]
    #: How many active partnerships join each pair (a fast-follower pairing and a later call-off
    #: award between the same two trusts are two partnerships, but one line and one row).
    counts: dict[tuple[int, int], int] = field(default_factory=dict)


@dataclass
class Summary:
    """The public part: headline figures with their range, shares, trend, regions."""

    category: str
    label: str
    as_of: date
    weighting: str
    figures: m.Figures
    series: list[analysis.Point]
    rise: float | None
    regions: RegionTable | None = None
    historical: list[HistoricalRow] = field(default_factory=list)


@dataclass
class Dashboard(Summary):
    """The commercial team's view: adds the projection, the alert assessment, shut-out systems,
    load and the network."""

    projection: Projection | None = None
    assessment: alerts.Assessment | None = None
    shut_out: list = field(default_factory=list)
    suppliers: list[gr.SupplierReach] = field(default_factory=list)
    load: list[gr.ExemplarLoad] = field(default_factory=list)
    network: Network | None = None


def _name(g, org_id: int) -> str:
    o = gr.organisation(g, org_id)
    return o.display_name if o else str(org_id)


def _historical(eng: Engine, category: str) -> list[HistoricalRow]:
    g = eng.graph
    rows = []
    for d in gr.historical(g, category):
        o = gr.organisation(g, d.organisation_id)
        rows.append(HistoricalRow(_name(g, d.organisation_id), o.code if o else "", gr.system(g, d.system_id).name,
                                  d.status, d.status_as_of, d.confidence))
    return sorted(rows, key=lambda r: (r.organisation, r.system))


def summary(category: str, as_of: date, weighting: str = "organisation") -> Summary:
    """The public figures of one category and date: today's from the latest stored build (never
    computed on a request), another date's from the engine."""
    built = stored.stored(category, as_of, weighting)
    if built is not None:
        return Summary(**{k: getattr(built, k) for k in Summary.__dataclass_fields__})
    return compute_summary(category, as_of, weighting)


def compute_summary(category: str, as_of: date, weighting: str = "organisation") -> Summary:
    """The public figures of one category and date, computed (from the engine's cache)."""
    eng = engine()
    series = eng.series(category, as_of, weighting)
    return Summary(category, SYSTEM_CATEGORIES[category], as_of, weighting, eng.figures(category, as_of, weighting),
                   series, analysis.rise_since_previous_quarter(series),
                   eng.memo(("regions", category, as_of), lambda: region_table(eng.graph, category, as_of)),
                   eng.memo(("historical", category), lambda: _historical(eng, category)))


def measures(fig: m.Figures, rise: float | None) -> alerts.Measures:
    """What the alert rules are checked against (HHI and shares by supplier; CR1 of systems);
    nothing is known of an empty market."""
    if not fig.orgs_with_system:
        return alerts.Measures()
    top = fig.suppliers.largest
    return alerts.Measures(hhi=fig.suppliers.hhi, delta_hhi=rise, cr1=fig.systems.cr1,
                           supplier_share=top.percent if top else None)


def rules() -> list[alerts.RuleSpec]:
    """The active rules, read once per request (and only again after a commit changed data)."""
    return per_request("alert_specs", lambda: unless_data_changed("alert_specs", alert_rules.active_specs))


def assess(fig: m.Figures, rise: float | None) -> alerts.Assessment:
    """The alerts of one category's figures, or "not assessed" below the minimum coverage."""
    return alerts.assess(rules(), measures(fig, rise), fig.coverage, alert_rules.min_coverage())


def _network(eng: Engine) -> Network:
    g = eng.graph
    parts = gr.partnerships(g)
    ex = sorted({p.exemplar_id for p in parts}, key=lambda i: _name(g, i))
    # Followers in the order of their (first) exemplar, so the picture has few crossing lines.
    rank = {e: k for k, e in enumerate(ex)}
    first: dict[int, int] = {}
    for p in parts:
        first[p.follower_id] = min(first.get(p.follower_id, len(ex)), rank[p.exemplar_id])
    fo = sorted(first, key=lambda i: (first[i], _name(g, i)))
    comps = [[_name(g, i) for i in c] for c in gr.follower_components(g)]
    counts: dict[tuple[int, int], int] = {}
    for p in parts:
        counts[(p.follower_id, p.exemplar_id)] = counts.get((p.follower_id, p.exemplar_id), 0) + 1
    return Network([(i, _name(g, i)) for i in ex], [(i, _name(g, i)) for i in fo], list(counts), comps, counts)


def dashboard(category: str, as_of: date, weighting: str = "organisation") -> Dashboard:
    """Everything on the commercial dashboard for one category and date: today's from the latest
    stored build, assessed against the alert rules as they are now; another date's computed."""
    built = stored.stored(category, as_of, weighting)
    if built is not None:
        return replace(built, assessment=assess(built.figures, built.rise))
    return compute_dashboard(category, as_of, weighting)


def compute_dashboard(category: str, as_of: date, weighting: str = "organisation") -> Dashboard:
    """Everything on the commercial dashboard for one category and date, computed."""
    base = compute_summary(category, as_of, weighting)
    eng = engine()
    g = eng.graph
    # Capacities come from offers (not part of the data version), so they are read on each
    # request (once per request: a dashboard request asks for every category).
    caps = per_request("capacities", lambda: unless_data_changed("capacities", capacities))
    load = eng.memo(("load", frozenset(caps.items())), lambda: [
        gr.ExemplarLoad(r.exemplar_id, _name(g, r.exemplar_id), r.partnerships, r.capacity_per_quarter)
        for r in gr.exemplar_load(g, caps)])
    return Dashboard(
        **base.__dict__,
        projection=eng.projection(category, as_of, weighting),
        assessment=assess(base.figures, base.rise),
        shut_out=eng.memo(("shut_out", category, as_of), lambda: gr.shut_out(g, category, as_of)),
        suppliers=eng.memo(("reach", as_of), lambda: gr.supplier_reach(g, as_of, minimum=2)),
        load=load,
        network=eng.memo(("network",), lambda: _network(eng)),
    )


def organisations_for_choice() -> list[tuple[int, str, str]]:
    """Trusts as (id, ODS code, name as people read it) for the what-if form."""
    from app.registry.models import Organisation

    trusts = db.session.execute(select(Organisation).where(Organisation.kind == "trust")
                                .order_by(Organisation.name)).unique().scalars()
    return [(o.id, o.ods_code, o.display_name) for o in trusts]
