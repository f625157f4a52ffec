"""The commercial team's changes to the register: frameworks, lots, memberships, deployments."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from app.accounts.permissions import require
from app.errors import DomainError
from app.extensions import db
from app.formerrors import show_on_form
from app.querying import get_or_404
from app.web import commit

from . import services
from .forms import AdmitForm, DecisionForm, DeploymentForm, EndDeploymentForm, FrameworkForm, LotForm, StatusForm
from .models import Deployment, Membership, Organisation, System
from .queries import organisation_by_ods_code
from .rules import FRAMEWORK_TRANSITIONS, MEMBERSHIP_TRANSITIONS
from .views import bp, framework_or_404, lot_or_404
from .vocab import FRAMEWORK_STATUSES

_FRAMEWORK_VALUES = ("name", "description", "starts_on", "ends_on", "source_url", "quality_weight_min",
                     "quality_weight_max", "min_invitees", "clarification_days", "response_days",
                     "standstill_days", "max_calloff_months")


def _framework_values(form: FrameworkForm) -> dict:
    return {k: getattr(form, k).data for k in _FRAMEWORK_VALUES}


@bp.route("/frameworks/new", methods=["GET", "POST"])
def new_framework():
    require("registry.manage")
    form = FrameworkForm(data={"quality_weight_min": 40, "quality_weight_max": 80, "min_invitees": 3,
                               "clarification_days": 5, "response_days": 10, "standstill_days": 8,
                               "max_calloff_months": 24})
    if form.validate_on_submit():
        criteria = [c.strip() for c in (form.criteria.data or "").splitlines() if c.strip()]
        try:
            fw = services.create_framework(slug=form.slug.data, criteria=criteria, **_framework_values(form))
            commit()
            flash(f"Framework ‘{fw.name}’ created as a draft.", "success")
            return redirect(url_for("registry.framework", slug=fw.slug))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/framework_form.html", form=form, framework=None)


@bp.route("/frameworks/<slug>/edit", methods=["GET", "POST"])
def edit_framework(slug: str):
    require("registry.manage")
    fw = framework_or_404(slug)
    form = FrameworkForm(obj=fw)
    del form.slug, form.criteria
    if form.validate_on_submit():
        try:
            services.update_framework(fw, **_framework_values(form))
            commit()
            flash("Framework updated.", "success")
            return redirect(url_for("registry.framework", slug=fw.slug))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/framework_form.html", form=form, framework=fw)


@bp.route("/frameworks/<slug>/status", methods=["GET", "POST"])
def framework_status(slug: str):
    require("registry.manage")
    fw = framework_or_404(slug)
    form = StatusForm()
    form.status.choices = [(s, FRAMEWORK_STATUSES[s]) for s in sorted(FRAMEWORK_TRANSITIONS[fw.status])]
    if form.validate_on_submit():
        try:
            services.change_framework_status(fw, form.status.data)
            commit()
            flash(f"‘{fw.name}’ is now {FRAMEWORK_STATUSES[fw.status].lower()}.", "success")
            return redirect(url_for("registry.framework", slug=fw.slug))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/framework_status.html", form=form, framework=fw)


@bp.route("/frameworks/<slug>/lots/new", methods=["GET", "POST"])
def new_lot(slug: str):
    require("registry.manage")
    fw = framework_or_404(slug)
    form = LotForm(data={"number": max((l.number for l in fw.lots), default=0) + 1})
    if form.validate_on_submit():
        try:
            lot = services.add_lot(fw, number=form.number.data, name=form.name.data,
                                   description=form.description.data or "")
            commit()
            flash(f"{lot.label} added.", "success")
            return redirect(url_for("registry.framework", slug=fw.slug))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/lot_form.html", form=form, framework=fw, lot=None)


@bp.route("/frameworks/<slug>/lots/<int:number>/edit", methods=["GET", "POST"])
def edit_lot(slug: str, number: int):
    require("registry.manage")
    fw = framework_or_404(slug)
    lot = lot_or_404(fw, number)
    form = LotForm(obj=lot)
    del form.number
    if form.validate_on_submit():
        services.update_lot(lot, name=form.name.data, description=form.description.data or "")
        commit()
        flash(f"{lot.label} updated.", "success")
        return redirect(url_for("registry.lot", slug=fw.slug, number=lot.number))
    return render_template("registry/lot_form.html", form=form, framework=fw, lot=lot)


@bp.route("/frameworks/<slug>/lots/<int:number>/admit", methods=["GET", "POST"])
def admit(slug: str, number: int):
    require("registry.manage")
    fw = framework_or_404(slug)
    lot = lot_or_404(fw, number)
    form = AdmitForm()
    if form.validate_on_submit():
        org = organisation_by_ods_code(form.ods_code.data)
        if org is None:
            form.ods_code.errors = ["No organisation has this ODS code"]
        else:
            try:
                services.admit_exemplar(lot, org, reason=form.reason.data, evidence=form.evidence.data)
                commit()
                flash(f"{org.display_name} admitted to {lot.label}.", "success")
                return redirect(url_for("registry.lot", slug=fw.slug, number=lot.number))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("registry/admit.html", form=form, framework=fw, lot=lot)


_DECISIONS = {
    "suspended": ("Suspend", services.suspend_exemplar),
    "admitted": ("Reinstate", services.reinstate_exemplar),
    "removed": ("Remove from the lot (cannot be undone)", services.remove_exemplar),
    "rejected": ("Reject the application", services.reject_application),
}


@bp.route("/memberships/<int:membership_id>/decide", methods=["GET", "POST"])
def decide_membership(membership_id: int):
    require("registry.manage")
    m = db.get_or_404(Membership, membership_id)
    form = DecisionForm()
    allowed = [s for s in ("suspended", "admitted", "removed", "rejected") if s in MEMBERSHIP_TRANSITIONS[m.status]]
    # An application is admitted, not reinstated.
    form.decision.choices = [(s, "Admit" if s == "admitted" and m.status == "applied" else _DECISIONS[s][0])
                             for s in allowed]
    if form.validate_on_submit():
        try:
            if m.status == "applied" and form.decision.data == "admitted":
                services.admit_exemplar(m.lot, m.organisation, reason=form.reason.data, evidence=form.evidence.data)
            else:
                _DECISIONS[form.decision.data][1](m, reason=form.reason.data, evidence=form.evidence.data)
            commit()
            flash(f"Decision recorded: {m.organisation.display_name} is now {m.status}.", "success")
            return redirect(url_for("registry.lot", slug=m.lot.framework.slug, number=m.lot.number))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/decide.html", form=form, membership=m)


@bp.route("/organisations/<ods_code>/deployments/new", methods=["GET", "POST"])
def new_deployment(ods_code: str):
    require("registry.manage")
    org = get_or_404(Organisation, ods_code=ods_code.upper())
    form = DeploymentForm()
    systems = db.session.execute(select(System).order_by(System.name)).unique().scalars().all()
    form.system.choices = [("", "Choose a system")] + [(s.slug, f"{s.name} ({s.supplier.name})") for s in systems]
    if form.validate_on_submit():
        system = next(s for s in systems if s.slug == form.system.data) if any(
            s.slug == form.system.data for s in systems) else None
        if system is None:
            form.system.errors = ["Choose a system from the list"]
        else:
            try:
                services.add_deployment(org, system, status=form.status.data, confidence=form.confidence.data,
                                        since=form.since.data, until=form.until.data,
                                        source_url=form.source_url.data, notes=form.notes.data or None,
                                        source_text="Entered by the commercial team")
                commit()
                flash(f"{system.name} recorded for {org.display_name}.", "success")
                return redirect(url_for("registry.organisation", ods_code=org.ods_code))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("registry/deployment_form.html", form=form, org=org)


@bp.route("/deployments/<int:deployment_id>/end", methods=["GET", "POST"])
def end_deployment(deployment_id: int):
    require("registry.manage")
    dep = db.get_or_404(Deployment, deployment_id)
    form = EndDeploymentForm()
    if form.validate_on_submit():
        try:
            services.end_deployment(dep, until=form.until.data, reason=form.reason.data)
            commit()
            flash(f"{dep.system.name} at {dep.organisation.display_name} marked as ended.", "success")
            return redirect(url_for("registry.organisation", ods_code=dep.organisation.ods_code))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/end_deployment.html", form=form, deployment=dep)
