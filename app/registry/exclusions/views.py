"""The exclusion register's pages: the commercial team records and ends entries and records
parent organisations; auditors read the register."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.extensions import db
from app.web import commit, nav_item
from app.web.formerrors import show_on_form

from .. import bp
from ..models import Organisation
from ..queries import organisation_by_ods_code
from ..vocab import EXCLUSION_GROUNDS
from . import services
from .forms import EndExclusionForm, ExclusionForm, ParentForm
from .models import ExclusionEntry


nav_item("registry.exclusions", "Exclusions", 92, visible=lambda u: can(u, "registry.view_exclusions"),
         prefix="/exclusions")


def _organisation(code: str | None, field: str) -> Organisation:
    org = organisation_by_ods_code((code or "").strip().upper()[:10]) if code else None
    if org is None:
        raise DomainError("No organisation in the register has this ODS code.", field=field)
    return org


@bp.route("/exclusions")
def exclusions():
    require("registry.view_exclusions")
    parents = db.session.execute(select(Organisation).where(Organisation.parent_id.is_not(None))
                                 .order_by(Organisation.name)).unique().scalars().all()
    return render_template("registry/exclusions.html", entries=services.entries(), grounds=EXCLUSION_GROUNDS,
                           parents=parents, may_manage=can(current_user, "registry.manage"))


@bp.route("/exclusions/new", methods=["GET", "POST"])
def new_exclusion():
    require("registry.manage")
    form = ExclusionForm()
    if form.validate_on_submit():
        try:
            entry = services.add_entry(_organisation(form.ods_code.data, "ods_code"), kind=form.kind.data,
                                       ground_kind=form.ground_kind.data, ground=form.ground.data,
                                       starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                       source_url=form.source_url.data, actor=current_user)
            commit()
            flash(f"{entry.organisation.display_name} is on the exclusion register.", "success")
            return redirect(url_for("registry.exclusions"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/exclusion_form.html", form=form, heading="Add to the exclusion register",
                           submit_text="Add to the register")


@bp.route("/exclusions/<int:entry_id>/end", methods=["GET", "POST"])
def end_exclusion(entry_id: int):
    require("registry.manage")
    entry = db.session.get(ExclusionEntry, entry_id) or abort(404)
    form = EndExclusionForm()
    if form.validate_on_submit():
        try:
            services.end_entry(entry, ends_on=form.ends_on.data, reason=form.reason.data, actor=current_user)
            commit()
            flash("The end date is recorded.", "success")
            return redirect(url_for("registry.exclusions"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/exclusion_form.html", form=form, submit_text="Record the end date",
                           heading=f"End the exclusion of {entry.organisation.display_name}")


@bp.route("/exclusions/parents", methods=["GET", "POST"])
def exclusion_parent():
    require("registry.manage")
    form = ParentForm()
    if form.validate_on_submit():
        try:
            org = _organisation(form.ods_code.data, "ods_code")
            parent = _organisation(form.parent_ods_code.data, "parent_ods_code") if form.parent_ods_code.data else None
            services.set_parent(org, parent, actor=current_user)
            commit()
            flash(f"Parent organisation of {org.display_name} recorded.", "success")
            return redirect(url_for("registry.exclusions"))
        except DomainError as e:
            if e.field == "parent":
                e.field = "parent_ods_code"
            show_on_form(form, e)
    return render_template("registry/exclusion_form.html", form=form, submit_text="Save",
                           heading="Record a supplier's parent organisation",
                           intro="Exclusion checks at the intention to award and at the award cover the supplier "
                                 "and its parent organisation.")
