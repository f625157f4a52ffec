"""Pages of the concentration domain: the public summary, the commercial dashboard, what-if and
the alert rules. Figures come from the cache (dashboard.py); charts are server-side SVG."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.exports import csv_response
from app.formerrors import show_on_form
from app.querying import get_or_404
from app.registry.vocab import SYSTEM_CATEGORIES
from app.web import commit, dashboard_panel, nav_item

from . import alert_rules, charts, dashboard as dash
from . import metrics as m
from .forms import CategoryForm, FiguresForm, RuleForm
from .models import ALERT_METRICS, SEVERITIES, AlertRule
from .services import today
from .tables import Table, dashboard_tables, public_tables

bp = Blueprint("concentration", __name__, url_prefix="/concentration")

nav_item("concentration.summary", "Convergence", 50, prefix="/concentration")

BAND_FILLS = ("#007f3b", "#ffb81c", "#d5281b", "#7c2855")

#: The UK competition authority applies no HHI threshold (shown beside the rules).
UK_CMA_2021 = ("UK CMA Merger Assessment Guidelines 2021 (CMA129) apply no threshold to market share or "
               "concentration; the 2010 UK figures are listed for comparison but are not verified.",
               "https://www.clearyantitrustwatch.com/2021/03/cma-publishes-new-merger-assessment-guidelines/")


@dashboard_panel(60)
def _attention(user):
    """Concentration alerts on the signed-in dashboard of the commercial team and auditors."""
    if not can(user, "concentration.view_dashboard"):
        return None
    items = []
    for category, label in SYSTEM_CATEGORIES.items():
        d = dash.dashboard(category, today())
        if not d.figures.orgs_with_system:
            continue
        worst = d.alerts[0].message if d.alerts else "No alert"
        items.append({"text": f"{label}: HHI {d.figures.hhi:,.0f}, {len(d.alerts)} alert(s)",
                      "href": url_for("concentration.dashboard_page", category=category),
                      "hint": f"{worst} Computed over {d.figures.computed_over}."})
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
    return sorted({(r.threshold, r.name) for r in alert_rules.active_specs()
                   if r.metric == "hhi" and r.delta_threshold is None})


def figure_charts(s: dash.Summary, thresholds: list[tuple[float, str]]) -> dict:
    f = s.figures
    over = f.computed_over
    return {
        "systems": charts.bar_chart(
            "chart-systems", [(x.label, (x.percent,)) for x in f.system_shares],
            title=f"Market share per system, {s.label}", max_value=100,
            desc=f"Horizontal bars: share of each system, computed over {over}. The table below gives the figures."),
        "suppliers": charts.bar_chart(
            "chart-suppliers", [(x.label, (x.percent,)) for x in f.supplier_shares],
            title=f"Market share per supplier, {s.label}", max_value=100,
            desc=f"Horizontal bars: share of each supplier, computed over {over}. The table below gives the figures."),
        "trend": charts.line_chart(
            "chart-trend", [(p.label, p.figures.hhi if p.figures.orgs_with_system else None) for p in s.series],
            title=f"HHI by quarter, {s.label}", bands=_bands([t for t, _ in thresholds]),
            thresholds=[(t, f"{t:,.0f}") for t, _ in thresholds],
            desc="Line chart of the Herfindahl–Hirschman index (0 to 10,000) over the last 20 quarters, over shaded "
                 "bands at the alert thresholds. The table below gives each quarter's value."),
    }


def _figures_args(form: FiguresForm) -> tuple[str, date, str]:
    category = form.category.data if form.category.data in SYSTEM_CATEGORIES else "acute_epr"
    weighting = form.weighting.data if form.weighting.data in m.WEIGHTINGS else "organisation"
    as_of = form.as_of.data if not form.as_of.errors and form.as_of.data else today()
    if not date(2000, 1, 1) <= as_of <= date(2100, 1, 1):
        form.as_of.errors = list(form.as_of.errors) + ["Enter a date between 2000 and 2100"]
        as_of = today()
    return category, as_of, weighting


def _category() -> str:
    form = CategoryForm(request.args)
    form.validate()
    return form.category.data if form.category.data in SYSTEM_CATEGORIES else "acute_epr"


@bp.route("/")
def summary():
    require("concentration.view_summary")
    form = CategoryForm(request.args)
    category = _category()
    s = dash.summary(category, today())
    thresholds = hhi_thresholds()
    return render_template("concentration/summary.html", form=form, s=s, charts=figure_charts(s, thresholds),
                           tables=public_tables(s), distance=m.distance_to_target(s.figures),
                           may_see_dashboard=can(current_user, "concentration.view_dashboard"))


@bp.route("/<table>.csv")
def summary_csv(table: str):
    require("concentration.view_summary")
    category = _category()
    t = public_tables(dash.summary(category, today())).get(table) or abort(404)
    return _csv(t, category, today())


def _csv(t: Table, category: str, as_of: date):
    return csv_response(f"concentration-{category}-{t.name}-{as_of.isoformat()}.csv", t.header, t.rows)


@bp.route("/dashboard")
def dashboard_page():
    require("concentration.view_dashboard")
    form = FiguresForm(request.args)
    if request.args:
        form.validate()
    category, as_of, weighting = _figures_args(form)
    d = dash.dashboard(category, as_of, weighting)
    thresholds = hhi_thresholds()
    ch = figure_charts(d, thresholds)
    p = d.projection
    now = {x.label: x.percent for x in p.now.system_shares}
    after = {x.label: x.percent for x in p.projected.system_shares}
    labels = sorted(set(now) | set(after), key=lambda k: (-after.get(k, 0), k))
    ch["projection"] = charts.bar_chart(
        "chart-projection", [(k, (now.get(k, 0.0), after.get(k, 0.0))) for k in labels],
        series=("Now", "If every follower adopted its exemplar's system"), max_value=100,
        title=f"Share per system now and projected, {d.label}",
        desc="Pairs of horizontal bars per system: the share now and the share if every follower adopted its "
             "exemplar's live system. The table below gives the figures.")
    ch["network"] = charts.network_chart(
        "chart-network", d.network.exemplars, d.network.followers, d.network.edges,
        title="Exemplar–follower network",
        desc="Exemplars on the left, followers on the right, a line for each active partnership. The table below "
             "lists every partnership.")
    args = {"category": category, "as_of": as_of.isoformat(), "weighting": weighting}
    return render_template("concentration/dashboard.html", form=form, d=d, charts=ch, tables=dashboard_tables(d),
                           args=args, thresholds=thresholds)


@bp.route("/dashboard/<table>.csv")
def dashboard_csv(table: str):
    require("concentration.view_dashboard")
    form = FiguresForm(request.args)
    form.validate()
    category, as_of, weighting = _figures_args(form)
    t = dashboard_tables(dash.dashboard(category, as_of, weighting)).get(table) or abort(404)
    return _csv(t, category, as_of)


@bp.route("/alert-rules")
def rules():
    require("concentration.view_dashboard")
    return render_template("concentration/rules.html", rules=alert_rules.list_rules(), metrics=ALERT_METRICS,
                           severities=SEVERITIES, may_edit=can(current_user, "concentration.edit_rules"),
                           uk_cma=UK_CMA_2021)


@bp.route("/alert-rules/<int:rule_id>/edit", methods=["GET", "POST"])
def edit_rule(rule_id: int):
    require("concentration.edit_rules")
    rule = get_or_404(AlertRule, id=rule_id)
    form = RuleForm(obj=rule)
    if form.validate_on_submit():
        try:
            alert_rules.update_rule(
                rule, threshold=float(form.threshold.data),
                delta_threshold=None if form.delta_threshold.data is None else float(form.delta_threshold.data),
                severity=form.severity.data, active=form.active.data, notes=form.notes.data or "",
                actor=current_user._get_current_object())
            commit()
            flash(f"Alert rule ‘{rule.name}’ saved.", "success")
            return redirect(url_for("concentration.rules"))
        except DomainError as e:
            show_on_form(form, e)
            rule = get_or_404(AlertRule, id=rule_id)
    return render_template("concentration/rule_form.html", form=form, rule=rule, metrics=ALERT_METRICS)


from . import whatif_views  # noqa: E402,F401  (the what-if page and the CLI attach to bp)
from . import cli  # noqa: E402,F401
