"""The what-if page: ΔHHI if a competition were awarded to an exemplar, alone or as a set."""
from __future__ import annotations

from flask import render_template, request

from app.accounts.permissions import require
from app.web.exports import csv_response

from .. import alerts, services
from ..forms import WhatIfForm
from ..services import alert_rules
from ..services import dashboard as dash
from ..tables import Table, category_label
from .. import bp

MAX_AWARDS = 50


def _assess(rules: list[alerts.RuleSpec], w: services.WhatIf) -> alerts.Assessment:
    """The alerts the HHI after the award would raise; not assessed when the category's coverage
    is below the minimum."""
    return alerts.assess(rules, alerts.Measures(hhi=w.hhi_after, delta_hhi=w.delta), w.coverage,
                         alert_rules.min_coverage())


def _competition_rows(names: dict[int, tuple[str, str]]) -> list[dict]:
    """Each open competition with the ΔHHI of awarding it to each invited exemplar."""
    rows = []
    for c in services.open_competitions():
        results = services.what_if_for_shortlist(c["buyer_id"], c["invited"])
        rows.append({**c, "buyer": names.get(c["buyer_id"], ("", str(c["buyer_id"]))),
                     "options": [(names.get(e, ("", str(e))), results.get(e)) for e in c["invited"]]})
    return rows


def _table(rows: list[dict]) -> Table:
    out = []
    for c in rows:
        for (code, name), w in c["options"]:
            out.append((c["title"], c["buyer"][1], name, code,
                        category_label(w.category) if w else "", w.system_name if w else "No known live system",
                        w.supplier_name if w else "", round(w.hhi_before, 1) if w else None,
                        round(w.hhi_after, 1) if w else None, round(w.delta, 1) if w else None,
                        w.computed_over if w else None, None if w is None or w.coverage is None else round(w.coverage, 1)))
    return Table("what-if", "ΔHHI by supplier if each open competition were awarded to each invited exemplar",
                 ("Competition", "Buyer", "Exemplar", "ODS code", "Category", "System adopted", "Supplier",
                  "HHI before", "HHI after", "ΔHHI", "Trusts with a known system", "Coverage (%)"), out)


@bp.route("/what-if")
def what_if():
    require("concentration.what_if")
    orgs = dash.organisations_for_choice()
    by_code = {code: i for i, code, _ in orgs}
    names = {i: (code, name) for i, code, name in orgs}
    form = WhatIfForm(request.args)
    choices = [("", "Choose a trust")] + [(code, f"{name} ({code})") for _, code, name in orgs]
    form.follower.choices = form.exemplar.choices = choices
    single, single_alerts, asked = None, None, False
    rules = alert_rules.active_specs()
    if request.args.get("follower") or request.args.get("exemplar"):
        if form.validate():
            if form.follower.data == form.exemplar.data:
                form.exemplar.errors = ["Choose an exemplar other than the follower"]
            else:
                asked = True
                single = services.what_if_award(by_code[form.follower.data], by_code[form.exemplar.data])
                single_alerts = _assess(rules, single) if single else None
    pairs, not_understood = [], 0
    for text in request.args.getlist("award")[:MAX_AWARDS]:
        f, _, e = text.partition(":")
        if f in by_code and e in by_code and f != e:
            pairs.append((by_code[f], by_code[e]))
        else:
            not_understood += 1
    combined = [(w, _assess(rules, w)) for w in services.what_if_awards(pairs)] if pairs else []
    competitions = _competition_rows(names)
    return render_template("concentration/what_if.html", form=form, single=single, single_alerts=single_alerts,
                           asked=asked, pairs=[(names[f], names[e]) for f, e in pairs], combined=combined,
                           not_understood=not_understood, competitions=competitions, table=_table(competitions),
                           category_label=category_label)


@bp.route("/what-if.csv")
def what_if_csv():
    require("concentration.what_if")
    names = {i: (code, name) for i, code, name in dash.organisations_for_choice()}
    header, rows = _table(_competition_rows(names)).csv()
    return csv_response(f"concentration-what-if-{services.today().isoformat()}.csv", header, rows)
