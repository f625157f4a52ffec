"""Each table of the public summary and of the commercial dashboard on a page of its own: every
row, filtered by a text and paginated, with its CSV. The summary and the dashboard show only the
first rows of each (tables.TOP_ROWS) and link here."""
from __future__ import annotations

import math
from dataclasses import dataclass

from flask import abort, current_app, render_template, request, url_for

from app.accounts.permissions import require
from app.web.querying import Paged, page_arg

from ..forms import FiguresForm, TableFilterForm
from ..services import dashboard as dash
from ..services import today
from ..tables import Table, public_tables
from .figures import category_arg, figures_args, tables_of
from .. import bp


@dataclass(frozen=True)
class RowPage(Paged):
    """One page of a list of rows, with what the pagination component needs."""

    page: int
    per_page: int
    total: int


def _render(t: Table, endpoint: str, args: dict, csv_href: str, back: tuple[str, str]):
    form = TableFilterForm(request.args)
    text = (form.q.data or "") if form.validate() else ""
    rows = t.matching(text)
    per_page = current_app.config["PAGE_SIZE"]
    page = RowPage(min(page_arg(), max(1, math.ceil(len(rows) / per_page))), per_page, len(rows))
    shown = rows[(page.page - 1) * per_page:page.page * per_page]
    return render_template("concentration/table.html", t=t, form=form, text=text, rows=shown, page=page,
                           endpoint=endpoint, args={**args, **({"q": text} if text else {})},
                           hidden=args, csv_href=csv_href, back=back)


@bp.route("/tables/<table>")
def summary_table(table: str):
    require("concentration.view_summary")
    category = category_arg()
    t = public_tables(dash.summary(category, today())).get(table) or abort(404)
    return _render(t, "concentration.summary_table", {"category": category, "table": table},
                   url_for("concentration.summary_csv", table=table, category=category),
                   (url_for("concentration.summary", category=category), "Convergence"))


@bp.route("/dashboard/tables/<table>")
def dashboard_table(table: str):
    require("concentration.view_dashboard")
    form = FiguresForm(request.args)
    form.validate()
    category, as_of, weighting = figures_args(form)
    t = tables_of(dash.dashboard(category, as_of, weighting)).get(table) or abort(404)
    args = {"category": category, "as_of": as_of.isoformat(), "weighting": weighting}
    return _render(t, "concentration.dashboard_table", {**args, "table": table},
                   url_for("concentration.dashboard_csv", table=table, **args),
                   (url_for("concentration.dashboard_page", **args), "Commercial dashboard"))
