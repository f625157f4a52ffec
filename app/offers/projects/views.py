"""Followers' projects: saved searches, shortlists, side-by-side comparison and CSV export.

A project is private to its organisation: anyone else gets 404, as if it did not exist.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.exports import csv_response, record_cells
from app.web.formatting import hhi_points
from app.extensions import db
from app.web.formerrors import show_on_form, validate_all
from app.web import commit

from .. import bp
from ..forms import ConfirmForm
from app.registry.vocab import SYSTEM_CATEGORIES

from ..exports import FIELDS, offer_record
from ..policy import offer_or_404
from ..rules import comparable_cost, concentration_change, cost_working
from ..search.query import SearchQuery
from ..vocab import PRICING_MODELS, VAT_TREATMENTS
from . import services as shortlists
from .forms import FollowerSizeForm, ProjectForm, SaveSearchForm, ShortlistForm
from .models import Project, ShortlistEntry

NEW = "__new__"


def project_or_404(project_id: int, action: str = "offers.view_project") -> Project:
    if not getattr(current_user, "is_authenticated", False):
        abort(401)  # signed out: sign in and come back, whatever the id (the 401 handler redirects)
    project = db.session.get(Project, project_id)
    if project is None:
        abort(404)
    require(action, project, hide=True)
    return project


def _project_choices(form) -> None:
    projects = shortlists.projects_of(current_user.organisation)
    form.project.choices = [(str(p.id), p.name) for p in projects] + [(NEW, "A new project")]
    if not form.project.data:
        form.project.data = str(projects[0].id) if projects else NEW


def _picked_project(form) -> Project | None:
    """The existing project picked on a form (None for a new one, or a choice that is not one's own)."""
    if not str(form.project.data).isdecimal():
        return None
    project = db.session.get(Project, int(form.project.data))
    return project if project is not None and can(current_user, "offers.shortlist", project) else None


def _choice_problems(form) -> list[tuple[str, str]]:
    """What is wrong with the project chosen on a form: a new project's name, or a choice that is
    not one of the organisation's projects."""
    if form.project.data == NEW:
        return shortlists.project_name_problems(current_user.organisation, form.new_name.data, field="new_name")
    return [] if _picked_project(form) is not None else [("project", "Choose one of your organisation's projects.")]


def _chosen_project(form) -> Project:
    """The project picked on a form, or a new one named on it (created here)."""
    if form.project.data == NEW:
        return shortlists.create_project(current_user.organisation, name=form.new_name.data or "",
                                         actor=current_user)
    project = _picked_project(form)
    if project is None:
        raise DomainError("Choose one of your organisation's projects.", field="project")
    return project


@bp.route("/projects")
def projects():
    require("offers.view_project")
    return render_template("offers/projects.html", projects=shortlists.projects_of(current_user.organisation),
                           may_create=can(current_user, "offers.shortlist"))


@bp.route("/projects/new", methods=["GET", "POST"])
def new_project():
    require("offers.shortlist")
    form = ProjectForm()
    if form.validate_on_submit():
        try:
            p = shortlists.create_project(current_user.organisation, name=form.name.data, actor=current_user)
            commit()
            flash(f"Project ‘{p.name}’ started.", "success")
            return redirect(url_for("offers.project", project_id=p.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/project_form.html", form=form)


@bp.route("/projects/<int:project_id>")
def project(project_id: int):
    p = project_or_404(project_id)
    saved = SearchQuery.from_query_string(p.search_query)
    return render_template("offers/project.html", project=p, rows=shortlists.comparison(p), saved=saved,
                           may_change=can(current_user, "offers.shortlist", p), confirm=ConfirmForm(),
                           pricing=PRICING_MODELS, may_compete=can(current_user, "competitions.create"),
                           may_end=can(current_user, "offers.end_search", p))


def _compare_rows(p: Project):
    rows = shortlists.comparison(p)
    with_impact = shortlists.convergence_impact(p.organisation, rows)
    return rows, with_impact


#: The shortlist CSV: each offer in the shared export vocabulary, then what the comparison adds.
COMPARE_CSV_FIELDS = (*FIELDS, "followers_served", "go_lives", "go_lives_on_time", "still_available",
                      "newer_version_exists", "reason", "added_on")


def _compare_record(r, with_impact: bool) -> dict:
    record = {**offer_record(r.entry.offer, r.version),
              "followers_served": r.track.followers_served if r.track else 0,
              "go_lives": r.track.go_lives if r.track else 0,
              "go_lives_on_time": r.track.go_lives_on_time if r.track else 0,
              "still_available": r.still_available, "newer_version_exists": r.newer_version,
              "reason": r.entry.reason, "added_on": r.entry.added_at.date()}
    if with_impact:
        record["delta_hhi"] = hhi_points(r.delta_hhi)
    return record


@bp.route("/projects/<int:project_id>/compare")
def compare(project_id: int):
    """The shortlist side by side, as each offer was when shortlisted."""
    p = project_or_404(project_id)
    rows, with_impact = _compare_rows(p)
    size = FollowerSizeForm(request.args)
    if request.args.get("beds") or request.args.get("days"):
        size.validate()
    beds = None if size.beds.errors else size.beds.data
    days = None if size.days.errors else size.days.data
    for r in rows:
        r.estimate = comparable_cost(r.version.pricing_model, r.version.price_pence, beds=beds, days=days)
        r.working = cost_working(r.version.pricing_model, beds=beds, days=days)
    if request.args.get("format") == "csv":
        fields = COMPARE_CSV_FIELDS + (("delta_hhi",) if with_impact else ())
        return csv_response(f"project-{p.id}-shortlist.csv", record_cells({}, fields)[0],
                            (record_cells(_compare_record(r, with_impact), fields)[1] for r in rows))
    return render_template("offers/compare.html", project=p, rows=rows, with_impact=with_impact,
                           pricing=PRICING_MODELS, vat=VAT_TREATMENTS, size=size, categories=SYSTEM_CATEGORIES,
                           change=concentration_change, args={k: v for k, v in (("beds", beds), ("days", days)) if v})


@bp.route("/offers/<int:offer_id>/shortlist", methods=["GET", "POST"])
def shortlist_offer(offer_id: int):
    require("offers.shortlist")
    offer = offer_or_404(offer_id)
    form = ShortlistForm()
    _project_choices(form)
    if validate_all(form, lambda: _choice_problems(form) + shortlists.shortlist_problems(
            current_user.organisation_id, _picked_project(form), offer, form.reason.data)):
        try:
            p = _chosen_project(form)
            shortlists.add_to_shortlist(p, offer, reason=form.reason.data, actor=current_user)
            commit()
            flash(f"Added to the shortlist of ‘{p.name}’.", "success")
            return redirect(url_for("offers.project", project_id=p.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/shortlist_form.html", form=form, offer=offer, new=NEW)


@bp.route("/projects/<int:project_id>/entries/<int:entry_id>/remove", methods=["GET", "POST"])
def remove_entry(project_id: int, entry_id: int):
    p = project_or_404(project_id, "offers.shortlist")
    entry = db.session.get(ShortlistEntry, entry_id)
    if entry is None or entry.project_id != p.id:
        abort(404)
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("offers.project", project_id=p.id))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    title = entry.offer_version.title
    shortlists.remove_from_shortlist(entry, actor=current_user)
    commit()
    flash(f"Removed ‘{title}’ from the shortlist.", "success")
    return redirect(url_for("offers.project", project_id=p.id))


@bp.route("/offers/save-search", methods=["GET", "POST"])
def save_search():
    """Keep the search in the URL (or posted) in a project."""
    require("offers.shortlist")
    form = SaveSearchForm()
    if request.method == "GET":
        form.query.data = SearchQuery.from_args(request.args).query_string(page=False)
    _project_choices(form)
    if validate_all(form, lambda: _choice_problems(form)):
        try:
            p = _chosen_project(form)
            shortlists.save_search(p, form.query.data or "", actor=current_user)
            commit()
            flash(f"Search saved in ‘{p.name}’.", "success")
            return redirect(url_for("offers.project", project_id=p.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("offers/save_search.html", form=form, query=SearchQuery.from_query_string(form.query.data or ""),
                           new=NEW)
