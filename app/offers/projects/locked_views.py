"""Pages of a project's locked search: ending the search, the frozen list (also as CSV and ODS,
each view and download audited), and recording what the project then did."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can
from app.errors import DomainError
from app.web import commit
from app.web.exports import csv_response
from app.web.formerrors import show_on_form, validate_all

from .. import bp
from ..forms import ConfirmForm
from ..search.query import FACETS, SearchQuery
from . import locked as locking
from .forms import OutcomeForm
from .models import OUTCOMES
from .views import project_or_404


@bp.route("/projects/<int:project_id>/end-search", methods=["GET", "POST"])
def end_search(project_id: int):
    p = project_or_404(project_id, "offers.end_search")
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("offers.project", project_id=p.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        locked = locking.end_search(p, actor=current_user)
        commit()
    except DomainError as e:
        flash(e.message, "error")
        return redirect(url_for("offers.project", project_id=p.id))
    flash(f"Search ended: {len(locked.rows):,} {'offer' if len(locked.rows) == 1 else 'offers'} kept as they are now.",
          "success")
    return redirect(url_for("offers.locked_search", project_id=p.id))


@bp.route("/projects/<int:project_id>/locked-search")
def locked_search(project_id: int):
    p = project_or_404(project_id, "offers.view_locked_search")
    locked = p.locked_search
    if locked is None:
        abort(404)
    how = request.args.get("format") if request.args.get("format") in ("csv", "ods") else "view"
    locking.record_access(locked, how, actor=current_user)
    commit()
    if how != "view":
        header, rows = locking.locked_table(locked)
        name = f"project-{p.id}-locked-search"
        if how == "csv":
            return csv_response(f"{name}.csv", header, rows)
        body = locking.ods_bytes([("Search", locking.locked_preamble(locked)), ("Offers", [header, *rows])])
        return Response(body, content_type="application/vnd.oasis.opendocument.spreadsheet",
                        headers={"Content-Disposition": f'attachment; filename="{name}.ods"'})
    query = SearchQuery.from_query_string(locked.query_string)
    return render_template("offers/locked_search.html", project=p, locked=locked, rows=locking.locked_rows(locked),
                           query=query, facets=FACETS, outcomes=OUTCOMES,
                           may_record=can(current_user, "offers.end_search", p) and p.outcome is None)


@bp.route("/projects/<int:project_id>/outcome", methods=["GET", "POST"])
def project_outcome(project_id: int):
    p = project_or_404(project_id, "offers.end_search")
    if p.outcome is not None:
        return redirect(url_for("offers.locked_search", project_id=p.id) if p.locked_search
                        else url_for("offers.project", project_id=p.id))
    form = OutcomeForm()
    competitions = locking.project_competitions(p)
    award_rows = [r for r in (p.locked_search.rows if p.locked_search else [])
                  if r.offer.lot.framework.direct_award_allowed]
    choices = [(k, v) for k, v in OUTCOMES.items()
               if k != "direct_award" or award_rows]
    form.outcome.choices = choices
    form.competition.choices = [("", "Choose a competition")] + [(str(i), label) for i, label in competitions]
    form.offer.choices = [("", "Choose an offer")] + [
        (str(r.offer_id), f"{r.rank}. {r.offer_version.title} (version {r.version_number})") for r in award_rows]

    def number(value) -> int | None:
        return int(value) if str(value or "").isdecimal() else None

    if validate_all(form, lambda: locking.outcome_problems(p, form.outcome.data, form.reason.data,
                                                           number(form.competition.data), number(form.offer.data))):
        try:
            locking.record_outcome(p, outcome=form.outcome.data, reason=form.reason.data,
                                   competition_id=number(form.competition.data), offer_id=number(form.offer.data),
                                   actor=current_user)
            commit()
            flash(f"Outcome recorded: {OUTCOMES[form.outcome.data]}.", "success")
            return redirect(url_for("offers.locked_search", project_id=p.id) if p.locked_search
                            else url_for("offers.project", project_id=p.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/project_outcome.html", form=form, project=p, competitions=competitions,
                           award_rows=award_rows)
