"""What the concentration pages and the report show, assembled from the cached engine.

The heavy part (graph, figures, series, projection, network) is memoised per data version in
the engine; alerts (rules may be edited) and exemplar load (offers' capacity) are added per call,
one query each.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.formatting import title_case_org
from app.registry.vocab import SYSTEM_CATEGORIES

from . import alert_rules, analysis, alerts
from . import graph as gr
from . import metrics as m
from .services import Engine, capacities, engine, per_request, unless_data_changed


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
    edges: list[tuple[int, int]]
    components: list[list[str]]


@dataclass
class Summary:
    """The public part: headline figures, shares, trend."""

    category: str
    label: str
    as_of: date
    weighting: str
    figures: m.Figures
    series: list[analysis.Point]
    rise: float | None
    historical: list[HistoricalRow] = field(default_factory=list)


@dataclass
class Dashboard(Summary):
    """The commercial team's view: adds projection, alerts, shut-out systems, load, network."""

    projection: analysis.Projection | None = None
    alerts: list[alerts.Alert] = field(default_factory=list)
    shut_out: list = field(default_factory=list)
    suppliers: list[gr.SupplierReach] = field(default_factory=list)
    load: list[gr.ExemplarLoad] = field(default_factory=list)
    network: Network | None = None


def _name(g, org_id: int) -> str:
    o = gr.organisation(g, org_id)
    return title_case_org(o.name) if o else str(org_id)


def _historical(eng: Engine, category: str) -> list[HistoricalRow]:
    g = eng.graph
    rows = []
    for d in gr.historical(g, category):
        o = gr.organisation(g, d.organisation_id)
        rows.append(HistoricalRow(_name(g, d.organisation_id), o.code if o else "", gr.system(g, d.system_id).name,
                                  d.status, d.status_as_of, d.confidence))
    return sorted(rows, key=lambda r: (r.organisation, r.system))


def rise_since_previous_quarter(series: list[analysis.Point]) -> float | None:
    """The change in HHI between the last two points (None when either market is empty)."""
    if len(series) < 2:
        return None
    a, b = series[-2].figures, series[-1].figures
    if not a.orgs_with_system or not b.orgs_with_system:
        return None
    return b.hhi - a.hhi


def summary(category: str, as_of: date, weighting: str = "organisation") -> Summary:
    """The public figures of one category and date (from the cache)."""
    eng = engine()
    series = eng.series(category, as_of, weighting)
    return Summary(category, SYSTEM_CATEGORIES[category], as_of, weighting, eng.figures(category, as_of, weighting),
                   series, rise_since_previous_quarter(series),
                   eng.memo(("historical", category), lambda: _historical(eng, category)))


def measures(fig: m.Figures, rise: float | None) -> alerts.Measures:
    """What the alert rules are checked against; nothing is known of an empty market."""
    if not fig.orgs_with_system:
        return alerts.Measures()
    top_supplier = fig.supplier_shares[0].percent if fig.supplier_shares else None
    return alerts.Measures(hhi=fig.hhi, delta_hhi=rise, cr1=fig.cr1, supplier_share=top_supplier)


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
    return Network([(i, _name(g, i)) for i in ex], [(i, _name(g, i)) for i in fo],
                   [(p.follower_id, p.exemplar_id) for p in parts], comps)


def dashboard(category: str, as_of: date, weighting: str = "organisation") -> Dashboard:
    """Everything on the commercial dashboard for one category and date."""
    base = summary(category, as_of, weighting)
    eng = engine()
    g = eng.graph
    fired = alerts.evaluate(per_request("alert_specs", lambda: unless_data_changed("alert_specs", alert_rules.active_specs)), measures(base.figures, base.rise))
    # Capacities come from offers (not part of the data version), so they are read on each
    # request (once per request: a dashboard request asks for every category).
    caps = per_request("capacities", lambda: unless_data_changed("capacities", capacities))
    load = eng.memo(("load", frozenset(caps.items())), lambda: [
        gr.ExemplarLoad(r.exemplar_id, _name(g, r.exemplar_id), r.partnerships, r.capacity_per_quarter)
        for r in gr.exemplar_load(g, caps)])
    return Dashboard(
        **base.__dict__,
        projection=eng.projection(category, as_of, weighting),
        alerts=fired,
        shut_out=eng.memo(("shut_out", category, as_of), lambda: gr.shut_out(g, category, as_of)),
        suppliers=eng.memo(("reach", as_of), lambda: gr.supplier_reach(g, as_of, minimum=2)),
        load=load,
        network=eng.memo(("network",), lambda: _network(eng)),
    )


def organisations_for_choice() -> list[tuple[int, str, str]]:
    """Trusts as (id, ODS code, name) for the what-if form."""
    from app.registry.models import Organisation

    rows = db.session.execute(select(Organisation.id, Organisation.ods_code, Organisation.name)
                              .where(Organisation.kind == "trust").order_by(Organisation.name))
    return [(i, code, title_case_org(name)) for i, code, name in rows]
