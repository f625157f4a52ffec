"""The public convergence summary, the commercial dashboard and their CSV downloads."""
from __future__ import annotations

from datetime import date

from flask import abort, render_template, request, url_for
from flask_login import current_user

from app.web.formatting import counted, hhi
from app.accounts.permissions import can, require
from app.web.exports import csv_response
from app.registry.vocab import SYSTEM_CATEGORIES
from app.web import dashboard_panel

from .. import charts, wording
from .. import metrics as m
from ..forms import CategoryForm, FiguresForm
from ..services import today
from ..services import dashboard as dash
from ..services import stored
from ..tables import Table, alerts_table, dashboard_tables, public_tables
from .. import bp

BAND_FILLS = ("#007f3b", "#ffb81c", "#d5281b", "#7c2855")


@dashboard_panel(60)
def _attention(user):
    """Concentration alerts on the signed-in dashboard of the commercial team and auditors."""
    if not can(user, "concentration.view_dashboard"):
        return None
    items = []
    for category, label in SYSTEM_CATEGORIES.items():
        d = dash.summary(category, today())
        if not d.figures.orgs_with_system:
            continue
        a = dash.assess(d.figures, d.rise)
        if not a.assessed:
            text, hint = f"{label}: {a.note}", f"Computed over {d.figures.computed_over}."
        else:
            worst = a.alerts[0].message if a.alerts else "No alert."
            text = f"{label}: HHI {hhi(d.figures.suppliers.hhi)} by supplier, {counted(len(a.alerts), 'alert')}"
            hint = f"{worst} Computed over {d.figures.computed_over}."
        items.append({"text": text, "href": url_for("concentration.dashboard_page", category=category), "hint": hint})
    return {"title": "Supplier concentration", "items": items,
            "empty": "No category has an organisation with a known system yet."}


def _bands(thresholds: list[float]) -> list[charts.Band]:
    cuts = [0.0] + sorted(set(thresholds)) + [10_000.0]
    bands = []
    for i in range(len(cuts) - 1):
        lo, hi = cuts[i], cuts[i + 1]
        label = f"Below {lo if i else hi:,.0f}" if i == 0 else (f"Above {lo:,.0f}" if hi == 10_000 else
                                                               f"{lo:,.0f} to {hi:,.0f}")
        bands.append(charts.Band(lo, hi, label, BAND_FILLS[min(i, len(BAND_FILLS) - 1)]))
    return bands


def hhi_thresholds() -> list[tuple[float, str]]:
    """HHI-only active rules become bands and lines on the trend chart."""
    return sorted({(r.threshold, r.name) for r in dash.rules() if r.metric == "hhi" and r.delta_threshold is None})


def _trend(uid: str, points: list, label: str, thresholds: list[tuple[float, str]], desc: str):
    known = [p.figures.orgs_with_system > 0 for p in points]
    return charts.line_chart(
        uid, [(p.label, p.figures.suppliers.hhi if k else None) for p, k in zip(points, known)],
        ranges=[(p.figures.suppliers.bounds.low, p.figures.suppliers.bounds.high) if k else None
                for p, k in zip(points, known)],
        projected=[p.projected for p in points], title=label, bands=_bands([t for t, _ in thresholds]),
        thresholds=[(t, f"{t:,.0f}") for t, _ in thresholds], desc=desc)


def figure_charts(s: dash.Summary, thresholds: list[tuple[float, str]]) -> dict:
    """The charts of the public summary (the dashboard adds its own)."""
    f = s.figures
    over = f.computed_over
    b = f.suppliers.bounds
    supplier_bars, supplier_suffixes = charts.top_bars(
        [(x.label, (x.percent,)) for x in f.suppliers.shares], "suppliers",
        suffixes=[f"({x.organisations} {'trust' if x.organisations == 1 else 'trusts'})" for x in f.suppliers.shares])
    system_bars, _ = charts.top_bars([(x.label, (x.percent,)) for x in f.systems.shares], "systems")
    return {
        "range": charts.range_chart(
            "chart-range", b.hhi, b.low, b.high, thresholds=[(t, f"{t:,.0f}") for t, _ in thresholds],
            title=f"HHI by supplier and the range it could take, {s.label}",
            desc=f"{wording.hhi_sentence(f.suppliers)} The range is shaded and the alert thresholds are marked."),
        "suppliers": charts.bar_chart(
            "chart-suppliers", supplier_bars, suffixes=supplier_suffixes,
            title=f"Market share per supplier, {s.label}", max_value=100,
            desc=f"Horizontal bars: share of each supplier, with its number of trusts, computed over {over}"
                 f"{' (the smallest summed in one bar)' if len(supplier_bars) < len(f.suppliers.shares) else ''}. "
                 f"The table below gives the figures."),
        "systems": charts.bar_chart(
            "chart-systems", system_bars,
            title=f"Market share per system, {s.label}", max_value=100,
            desc=f"Horizontal bars: share of each system, computed over {over}"
                 f"{' (the smallest summed in one bar)' if len(system_bars) < len(f.systems.shares) else ''}. "
                 f"The table below gives the figures."),
        "trend": _trend(
            "chart-trend", s.series, f"HHI by supplier by quarter, {s.label}", thresholds,
            "Line chart of the Herfindahl–Hirschman index by supplier (0 to 10,000) over the last 20 quarters, with "
            "the range it could take whatever the trusts not known run shaded around it, over bands at the alert "
            "thresholds. The table below gives each quarter's value, range and coverage."),
    }


def tables_of(d: dash.Dashboard) -> dict[str, Table]:
    """The dashboard's tables: made once per stored build (thousands of rows at G-Cloud size), with
    the alerts assessed now."""
    made = stored.derived("dashboard_tables", d.category, d.as_of, d.weighting, lambda: dashboard_tables(d))
    return {**made, "alerts": alerts_table(d)}


def figures_args(form: FiguresForm) -> tuple[str, date, str]:
    category = form.category.data if form.category.data in SYSTEM_CATEGORIES else "acute_epr"
    weighting = form.weighting.data if form.weighting.data in m.WEIGHTINGS else "organisation"
    as_of = form.as_of.data if not form.as_of.errors and form.as_of.data else today()
    if not date(2000, 1, 1) <= as_of <= date(2100, 1, 1):
        form.as_of.errors = list(form.as_of.errors) + ["Enter a date between 2000 and 2100"]
        as_of = today()
    return category, as_of, weighting


def category_arg() -> str:
    form = CategoryForm(request.args)
    form.validate()
    return form.category.data if form.category.data in SYSTEM_CATEGORIES else "acute_epr"


@bp.route("/")
def summary():
    require("concentration.view_summary")
    form = CategoryForm(request.args)
    category = category_arg()
    s = dash.summary(category, today())
    thresholds = hhi_thresholds()
    built, stale = stored.freshness()
    return render_template("concentration/summary.html", form=form, s=s, charts=figure_charts(s, thresholds),
                           built=built, stale=stale,
                           tables=public_tables(s), distance=m.distance_to_target(s.figures.suppliers),
                           wording=wording, may_see_dashboard=can(current_user, "concentration.view_dashboard"))


@bp.route("/<table>.csv")
def summary_csv(table: str):
    require("concentration.view_summary")
    category = category_arg()
    t = public_tables(dash.summary(category, today())).get(table) or abort(404)
    return _csv(t, category, today())


def _csv(t: Table, category: str, as_of: date):
    header, rows = t.csv()
    return csv_response(f"concentration-{category}-{t.name}-{as_of.isoformat()}.csv", header, rows)


@bp.route("/dashboard")
def dashboard_page():
    require("concentration.view_dashboard")
    form = FiguresForm(request.args)
    if request.args:
        form.validate()
    category, as_of, weighting = figures_args(form)
    d = dash.dashboard(category, as_of, weighting)
    thresholds = hhi_thresholds()
    ch = figure_charts(d, thresholds)
    p = d.projection
    now = {x.label: x.percent for x in p.now.suppliers.shares}
    piped = {x.label: x.percent for x in p.with_pipeline.suppliers.shares}
    after = {x.label: x.percent for x in p.projected.suppliers.shares}
    labels = sorted(set(now) | set(piped) | set(after), key=lambda k: (-after.get(k, 0), k))
    projection_bars, _ = charts.top_bars(
        [(k, (now.get(k, 0.0), piped.get(k, 0.0), after.get(k, 0.0))) for k in labels], "suppliers")
    ch["projection"] = charts.bar_chart(
        "chart-projection", projection_bars,
        series=("Now", "With the pipeline", "And the followers"), max_value=100,
        title=f"Share per supplier now and projected, {d.label}",
        desc="Three horizontal bars per supplier: the share now, with every contracted system live, and if every "
             "follower then adopted its exemplar's live system. The table below gives the figures.")
    ch["projected_trend"] = _trend(
        "chart-projected-trend", list(d.series[-4:]) + list(p.series),
        f"HHI by supplier, the last four quarters and the quarters ahead, {d.label}", thresholds,
        "Line chart of the HHI by supplier: solid for the last four quarters, dashed for the quarters ahead as the "
        "contracted pipeline goes live at its planned dates. The tables below name every row it rests on.")
    exemplars, followers, edges, part = charts.network_part(d.network.exemplars, d.network.followers,
                                                            d.network.edges)
    ch["network"] = charts.network_chart(
        "chart-network", exemplars, followers, edges,
        title="Exemplar–follower network" + (" (the exemplars with most followers)" if part else ""),
        desc="Exemplars on the left, followers on the right, a line for each active partnership"
             + (f": the {len(exemplars)} exemplars with most followers and {len(followers)} of their followers, "
                f"of {len(d.network.exemplars):,} exemplars and {len(d.network.followers):,} followers in all"
                if part else "") + ". The table below lists the partnerships.")
    args = {"category": category, "as_of": as_of.isoformat(), "weighting": weighting}
    built, stale = stored.freshness()
    return render_template("concentration/dashboard.html", form=form, d=d, charts=ch, tables=tables_of(d),
                           built=built, stale=stale,
                           args=args, thresholds=thresholds, wording=wording)


@bp.route("/dashboard/<table>.csv")
def dashboard_csv(table: str):
    require("concentration.view_dashboard")
    form = FiguresForm(request.args)
    form.validate()
    category, as_of, weighting = figures_args(form)
    t = tables_of(dash.dashboard(category, as_of, weighting)).get(table) or abort(404)
    return _csv(t, category, as_of)

