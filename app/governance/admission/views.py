"""Admission pages: a framework's criteria, applying, and assessing and deciding applications."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.exports import csv_response
from app.extensions import db
from app.web.formerrors import show_on_form, validate_all
from app.web.querying import get_or_404 as get_by_or_404, paginate
from app.registry.models import Framework, Lot, Membership
from app.web import commit

from .. import bp, queries
from ..forms import ConfirmForm
from ..policy import get_or_404, require_hidden
from ..vocab import APPLICATION_STATUSES
from . import services
from .forms import (
    CriterionForm,
    DecisionForm,
    application_form,
    assessment_form,
    parse_links,
)
from .models import AdmissionApplication, AdmissionCriterion
from .rules import suggested_assessment


# --- criteria -----------------------------------------------------------------------------------

@bp.route("/frameworks/<slug>/criteria", methods=["GET", "POST"])
def criteria(slug: str):
    require("governance.oversee")
    fw = get_by_or_404(Framework, slug=slug)
    form = CriterionForm()
    if request.method == "POST":
        require("governance.manage")
        if form.validate_on_submit():
            try:
                c = services.add_criterion(fw, name=form.name.data, description=form.description.data or "",
                                           kind=form.kind.data, minimum=form.minimum.data)
                commit()
                flash(f"Criterion ‘{c.name}’ added.", "success")
                return redirect(url_for("governance.criteria", slug=fw.slug))
            except DomainError as e:
                show_on_form(form, e)
    rows = db.session.execute(select(AdmissionCriterion).where(AdmissionCriterion.framework_id == fw.id)
                              .order_by(AdmissionCriterion.active.desc(), AdmissionCriterion.position)).scalars().all()
    return render_template("governance/criteria.html", framework=fw, criteria=rows, form=form,
                           confirm=ConfirmForm(), may_manage=can(current_user, "governance.manage"))


@bp.route("/frameworks/<slug>/criteria/defaults", methods=["GET", "POST"])
def default_criteria(slug: str):
    require("governance.manage")
    fw = get_by_or_404(Framework, slug=slug)
    if ConfirmForm().validate_on_submit():
        added = services.add_default_criteria(fw)
        commit()
        flash(f"{len(added)} standard criteria added." if added else "The standard criteria are all there already.",
              "success")
    return redirect(url_for("governance.criteria", slug=fw.slug))


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
def edit_criterion(criterion_id: int):
    require("governance.manage")
    c = get_or_404(AdmissionCriterion, criterion_id)
    form = CriterionForm(obj=c)
    if form.validate_on_submit():
        try:
            services.update_criterion(c, name=form.name.data, description=form.description.data or "",
                                      kind=form.kind.data, minimum=form.minimum.data)
            commit()
            flash("Criterion updated.", "success")
            return redirect(url_for("governance.criteria", slug=c.framework.slug))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/criterion_form.html", form=form, criterion=c)


@bp.route("/criteria/<int:criterion_id>/toggle", methods=["GET", "POST"])
def toggle_criterion(criterion_id: int):
    require("governance.manage")
    c = get_or_404(AdmissionCriterion, criterion_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_criterion_active(c, not c.active)
            commit()
            flash(f"Criterion ‘{c.name}’ " + ("restored." if c.active else "retired."), "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    return redirect(url_for("governance.criteria", slug=c.framework.slug))


# --- applying -----------------------------------------------------------------------------------

@bp.route("/applications/mine")
def my_applications():
    require("governance.trust_pages")
    org = current_user.organisation
    rows = db.session.execute(queries.applications_stmt(organisation_id=org.id)).unique().scalars().all()
    lots = db.session.execute(
        select(Lot).join(Framework, Framework.id == Lot.framework_id).where(Framework.status == "open")
        .order_by(Framework.name, Lot.number)).unique().scalars().all()
    open_lots = [(lot, services.application_problem(lot, org)) for lot in lots]
    return render_template("governance/my_applications.html", applications=rows, open_lots=open_lots, org=org,
                           statuses=APPLICATION_STATUSES)


def _ids(values) -> list[int]:
    return [int(v) for v in values or [] if str(v).isdecimal()]


@bp.route("/lots/<int:lot_id>/apply", methods=["GET", "POST"])
def apply(lot_id: int):
    require("governance.trust_pages")
    lot = get_or_404(Lot, lot_id)
    org = current_user.organisation
    require("governance.apply", org)
    if lot.framework.status == "draft":
        abort(404)
    problem = services.application_problem(lot, org)
    criteria = services.active_criteria(lot.framework)
    deployments = services.live_deployments(org)
    form = application_form(criteria, deployments)
    if request.method == "GET":
        form.systems.data = [str(d.system_id) for d in deployments]
    if problem is None and validate_all(form, lambda: services.answer_problems(
            lot, org, {c.id: f.data for c, f in form.criterion_fields}, _ids(form.systems.data),
            form.capacity_followers.data, parse_links(form.links.data))):
        try:
            application = services.submit_application(
                lot, org, answers={c.id: f.data for c, f in form.criterion_fields},
                system_ids=[int(s) for s in form.systems.data or []], links=parse_links(form.links.data),
                statement=form.statement.data or "", capacity_followers=form.capacity_followers.data,
                actor=current_user)
            commit()
            flash(f"Application sent to the commercial team for {lot.framework.name}, {lot.label}.", "success")
            return redirect(url_for("governance.application", application_id=application.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/apply.html", form=form, lot=lot, org=org, problem=problem,
                           deployments=deployments)


# --- the commercial team's side -------------------------------------------------------------------

@bp.route("/applications")
def applications():
    require("governance.oversee")
    status = request.args.get("status", "")
    status = status if status in APPLICATION_STATUSES else ""
    stmt = queries.applications_stmt(status or None)
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("applications.csv", [
            "id", "ods_code", "organisation", "framework", "lot", "status", "submitted_at", "decided_at",
            "criteria_met", "criteria_not_met", "decision_reason"],
            ([a.id, a.organisation.ods_code, a.organisation.display_name, a.lot.framework.name, a.lot.label, a.status,
              a.submitted_at, a.decided_at, sum(1 for x in a.answers if x.assessment == "met"),
              sum(1 for x in a.answers if x.assessment == "not_met"), a.decision_reason] for a in rows))
    return render_template("governance/applications.html", page=paginate(stmt), status=status,
                           statuses=APPLICATION_STATUSES)


@bp.route("/applications/<int:application_id>")
def application(application_id: int):
    a = get_or_404(AdmissionApplication, application_id)
    require_hidden("governance.view_application", a)
    oversee = can(current_user, "governance.oversee")
    hints = {x.id: suggested_assessment(x.criterion.kind, x.criterion.minimum, x.answer) for x in a.answers}
    return render_template("governance/application.html", application=a, oversee=oversee, hints=hints,
                           may_manage=can(current_user, "governance.manage"),
                           # The trust sees the assessment with the decision, not while it is being made.
                           show_assessment=oversee or not a.is_open)


@bp.route("/applications/<int:application_id>/assess", methods=["GET", "POST"])
def assess(application_id: int):
    require("governance.manage")
    a = get_or_404(AdmissionApplication, application_id)
    form = assessment_form(a.answers)
    if not a.is_open:
        flash("This application has been decided; its assessment can no longer change.", "error")
        return redirect(url_for("governance.application", application_id=a.id))
    if form.validate_on_submit():
        try:
            services.assess(a, {ans.id: (f.data or None, c.data) for ans, f, c in form.rows}, actor=current_user)
            commit()
            flash("Assessment saved.", "success")
            return redirect(url_for("governance.application", application_id=a.id))
        except DomainError as e:
            show_on_form(form, e)
    hints = {x.id: suggested_assessment(x.criterion.kind, x.criterion.minimum, x.answer) for x in a.answers}
    return render_template("governance/assess.html", form=form, application=a, hints=hints)


@bp.route("/applications/<int:application_id>/decide", methods=["GET", "POST"])
def decide(application_id: int):
    require("governance.manage")
    a = get_or_404(AdmissionApplication, application_id)
    if not a.is_open:
        flash("This application has already been decided.", "error")
        return redirect(url_for("governance.application", application_id=a.id))
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(a, decision=form.decision.data, reason=form.reason.data, actor=current_user)
            commit()
            flash(f"{a.organisation.display_name} {a.status} on {a.lot.label}.", "success")
            return redirect(url_for("governance.application", application_id=a.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/decide.html", form=form, application=a)


@bp.route("/memberships/<int:membership_id>/decide")
def membership_decision(membership_id: int):
    """Where the lot page's "Decide" leads: an application is decided on its decision page (after
    its assessment), an exemplar's suspension, reinstatement or removal on its review page. Both
    take the decision through the one service, decide_membership."""
    require("governance.manage")
    m = get_or_404(Membership, membership_id)
    application = services.open_application(m.lot, m.organisation) if m.status == "applied" else None
    if application is not None:
        return redirect(url_for("governance.decide", application_id=application.id))
    if m.status in ("admitted", "suspended"):
        return redirect(url_for("governance.review", membership_id=m.id))
    flash(f"There is nothing to decide on {m.organisation.display_name}: it is {m.status} on {m.lot.label}.", "error")
    return redirect(url_for("registry.lot", slug=m.lot.framework.slug, number=m.lot.number))
