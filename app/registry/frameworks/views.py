"""The register's frameworks, their lots and admitted exemplars: the public pages, and the
commercial team's pages to create and change them (memberships are decided on the governance
pages, through the service that enforces the admission criteria)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.extensions import db
from app.web import commit
from app.web.exports import csv_response
from app.web.formerrors import show_on_form
from app.web.querying import get_or_404

from .. import bp, services
from ..models import Framework, Lot, Membership, Organisation
from ..rules import FRAMEWORK_TRANSITIONS
from ..vocab import FRAMEWORK_STATUSES
from .forms import FrameworkForm, LotForm, StatusForm


def _visible_frameworks():
    stmt = select(Framework).order_by(Framework.starts_on.desc().nullslast(), Framework.name)
    if not can(current_user, "registry.view_drafts"):
        stmt = stmt.where(Framework.status != "draft")
    return stmt


def framework_or_404(slug: str) -> Framework:
    fw = get_or_404(Framework, slug=slug)
    if fw.status == "draft" and not can(current_user, "registry.view_drafts"):
        abort(404)
    return fw


@bp.route("/frameworks")
def frameworks():
    # The lots in one query, not one per framework (the list shows each framework's lot count).
    rows = db.session.execute(_visible_frameworks().options(selectinload(Framework.lots))).scalars().all()
    counts = dict(db.session.execute(
        select(Lot.framework_id, func.count(Membership.id)).join(Membership, Membership.lot_id == Lot.id)
        .where(Membership.status == "admitted").group_by(Lot.framework_id)
    ).all())
    return render_template("registry/frameworks.html", frameworks=rows, counts=counts,
                           may_manage=can(current_user, "registry.manage"))


@bp.route("/frameworks/<slug>")
def framework(slug: str):
    fw = framework_or_404(slug)
    counts = dict(db.session.execute(
        select(Membership.lot_id, func.count(Membership.id)).join(Lot, Lot.id == Membership.lot_id)
        .where(Lot.framework_id == fw.id, Membership.status == "admitted").group_by(Membership.lot_id)
    ).all())
    return render_template("registry/framework.html", framework=fw, counts=counts,
                           may_manage=can(current_user, "registry.manage"),
                           may_oversee=can(current_user, "governance.oversee"))


def lot_or_404(fw: Framework, number: int) -> Lot:
    lot = next((l for l in fw.lots if l.number == number), None)
    if lot is None:
        abort(404)
    return lot


@bp.route("/frameworks/<slug>/lots/<int:number>")
def lot(slug: str, number: int):
    fw = framework_or_404(slug)
    lot_ = lot_or_404(fw, number)
    may_manage = can(current_user, "registry.manage")
    stmt = select(Membership).where(Membership.lot_id == lot_.id).join(
        Organisation, Organisation.id == Membership.organisation_id).order_by(Organisation.name)
    if not may_manage:
        stmt = stmt.where(Membership.status.in_(("admitted", "suspended")))
    memberships = db.session.execute(stmt).unique().scalars().all()
    return render_template("registry/lot.html", framework=fw, lot=lot_, memberships=memberships,
                           may_manage=may_manage)


@bp.route("/exemplars")
def exemplars():
    memberships = db.session.execute(
        select(Membership).where(Membership.status == "admitted")
        .join(Lot, Lot.id == Membership.lot_id).join(Framework, Framework.id == Lot.framework_id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Framework.status != "draft")
        .order_by(Framework.name, Lot.number, Organisation.name)
    ).unique().scalars().all()
    if request.args.get("format") == "csv":
        return csv_response("exemplars.csv", ["framework", "lot", "ods_code", "organisation", "name_at_admission",
                                              "admitted_on"],
                            ([m.lot.framework.name, m.lot.label, m.organisation.ods_code, m.organisation.display_name,
                              m.name_at_admission, m.admitted_on] for m in memberships))
    return render_template("registry/exemplars.html", memberships=memberships)


_FRAMEWORK_VALUES = ("name", "description", "starts_on", "ends_on", "source_url", "quality_weight_min",
                     "quality_weight_max", "min_invitees", "clarification_days", "response_days",
                     "standstill_days", "max_calloff_months", "standstill_rule")


def _framework_values(form: FrameworkForm) -> dict:
    values = {k: getattr(form, k).data for k in _FRAMEWORK_VALUES}
    return {**values, "over_budget_may_win": form.over_budget_may_win.data == "yes",
            "direct_award_allowed": form.direct_award_allowed.data == "yes"}



@bp.route("/frameworks/new", methods=["GET", "POST"])
def new_framework():
    require("registry.manage")
    form = FrameworkForm(data={"quality_weight_min": 40, "quality_weight_max": 80, "min_invitees": 3,
                               "clarification_days": 5, "response_days": 10, "standstill_days": 8,
                               "max_calloff_months": 24, "standstill_rule": "fixed", "over_budget_may_win": "yes",
                               "direct_award_allowed": "no"})
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
    if not form.is_submitted():
        form.over_budget_may_win.data = "yes" if fw.over_budget_may_win else "no"
        form.direct_award_allowed.data = "yes" if fw.direct_award_allowed else "no"
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


@bp.route("/memberships/<int:membership_id>/decide", methods=["GET", "POST"])
def decide_membership(membership_id: int):
    """An old address: membership decisions are taken on the governance pages, through the one
    service that enforces the framework's admission criteria."""
    require("registry.manage")
    return redirect(url_for("governance.membership_decision", membership_id=membership_id), 303)
