"""Funding pages: the overview, agreements (list, new, detail, edit, close), conditions, programmes."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.exports import csv_response, pounds
from app.extensions import db
from app.web.formerrors import show_on_form
from app.web.querying import paginate
from app.registry.queries import organisation_by_ods_code
from app.web import commit

from .. import bp, queries
from ..calendar import financial_year_of
from ..checkins.services import release_problem
from ..clock import london_today
from ..forms import ConfirmForm, choices
from ..policy import get_or_404, require_hidden
from ..vocab import AGREEMENT_STATUSES
from . import services
from .forms import AgreementFields, CloseForm, ConditionForm, NewAgreementForm
from .models import AgreementCondition, FundingAgreement, FundingProgramme
from .rules import YearAmounts

GROUPINGS = {"programme": "Programme", "region": "Region", "year": "Financial year"}


@bp.route("/funding")
def funding():
    """Funding committed, matched and released by programme, region and financial year; overdue
    check-ins; agreements with red conditions."""
    require("governance.oversee")
    today = london_today()
    table = request.args.get("table", "")
    if request.args.get("format") == "csv":
        if table in GROUPINGS:
            rows = queries.totals(table)
            return csv_response(f"funding-by-{table}.csv", [table, "agreements", "committed_central",
                                                            "matched_local", "released"],
                                ([r.label, r.agreements, pounds(r.committed), pounds(r.matched), pounds(r.released)]
                                 for r in rows))
        if table == "overdue":
            return csv_response("overdue-checkins.csv", ["reference", "ods_code", "organisation", "quarter", "due_on"],
                                ([o.agreement.reference, o.agreement.organisation.ods_code,
                                  o.agreement.organisation.display_name, o.quarter.label, o.due_on]
                                 for o in queries.overdue_checkins(today)))
        if table == "red":
            return csv_response("red-conditions.csv", ["reference", "ods_code", "organisation", "quarter",
                                                       "checkin_status", "condition", "comment"],
                                ([r.agreement.reference, r.agreement.organisation.ods_code, r.agreement.organisation.display_name,
                                  r.checkin.period.label, r.checkin.status, x.condition_title, x.comment]
                                 for r in queries.agreements_with_red() for x in r.reds))
        abort(404)
    tables = {k: queries.totals(k) for k in GROUPINGS}
    return render_template("governance/funding.html", tables=tables, groupings=GROUPINGS,
                           totals={k: queries.grand_total(v) for k, v in tables.items()},
                           overdue=queries.overdue_checkins(today), reds=queries.agreements_with_red(),
                           to_review=queries.checkins_to_review(), may_manage=can(current_user, "governance.manage"))


@bp.route("/funding/agreements")
def agreements():
    require("governance.oversee")
    programme = request.args.get("programme", "")
    status = request.args.get("status", "")
    stmt = select(FundingAgreement).order_by(FundingAgreement.reference)
    if programme:
        stmt = stmt.join(FundingProgramme).where(FundingProgramme.slug == programme)
    if status in AGREEMENT_STATUSES:
        stmt = stmt.where(FundingAgreement.status == status)
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("funding-agreements.csv", [
            "reference", "programme", "ods_code", "organisation", "title", "status", "first_year", "years",
            "central", "local", "released", "source_url", "source_note"],
            ([a.reference, a.programme.name, a.organisation.ods_code, a.organisation.display_name, a.title, a.status,
              a.first_year, a.years, pounds(a.central_pence), pounds(a.local_pence), pounds(a.released_pence),
              a.source_url, a.source_note] for a in rows))
    return render_template("governance/agreements.html", page=paginate(stmt), programmes=queries.programmes(),
                           programme=programme, status=status, statuses=AGREEMENT_STATUSES,
                           may_manage=can(current_user, "governance.manage"))


@bp.route("/funding/mine")
def my_funding():
    require("governance.trust_pages")
    org_id = current_user.organisation_id
    rows = db.session.execute(select(FundingAgreement).where(FundingAgreement.organisation_id == org_id)
                              .order_by(FundingAgreement.status, FundingAgreement.reference)).unique().scalars().all()
    return render_template("governance/my_funding.html", agreements=rows,
                           overdue=queries.overdue_checkins(london_today(), org_id))


@bp.route("/funding/programmes")
def programmes():
    require("governance.oversee")
    return render_template("governance/programmes.html", programmes=queries.programmes())


def _profile(form: AgreementFields, years: int) -> list[YearAmounts]:
    return [YearAmounts(getattr(form, f"central_{i}").data or 0, getattr(form, f"local_{i}").data or 0)
            for i in range(1, years + 1)]


def _tranches(form: AgreementFields) -> list[services.PlannedTranche]:
    """The filled tranche rows; a row with only a date or only an amount is an error on the form."""
    out = []
    for entry in form.tranches.entries:
        planned_on, amount = entry.form.planned_on.data, entry.form.amount.data
        if planned_on is None and amount is None:
            continue
        if planned_on is None or amount is None:
            raise DomainError("Give each tranche both a planned date and an amount.", field="tranches")
        out.append(services.PlannedTranche(planned_on, amount))
    return out


def _fill(form: AgreementFields, agreement: FundingAgreement) -> None:
    form.title.data, form.source_url.data, form.source_note.data = (agreement.title, agreement.source_url,
                                                                    agreement.source_note)
    form.central.data, form.local.data = agreement.central_pence, agreement.local_pence
    form.first_year.data = str(agreement.first_year)
    form.years.data = str(agreement.years)
    for y in agreement.profile:
        getattr(form, f"central_{y.year_index + 1}").data = y.central_pence
        getattr(form, f"local_{y.year_index + 1}").data = y.local_pence
    pending = [t for t in agreement.tranches if not t.is_released]
    for entry, t in zip(form.tranches.entries, pending):
        entry.form.planned_on.data, entry.form.amount.data = t.planned_on, t.amount_pence


@bp.route("/funding/agreements/new", methods=["GET", "POST"])
def new_agreement():
    require("governance.manage")
    form = NewAgreementForm()
    form.set_years()
    programmes = queries.programmes()
    form.programme.choices = choices([("", "Choose a programme")] + [(p.slug, p.name) for p in programmes])
    if request.method == "GET":
        form.first_year.data = str(financial_year_of(london_today()))
        form.years.data = "4"
    if form.validate_on_submit():
        org = organisation_by_ods_code(form.ods_code.data)
        programme = next((p for p in programmes if p.slug == form.programme.data), None)
        if org is None:
            form.ods_code.errors = ["No organisation has this ODS code"]
        elif programme is None:
            form.programme.errors = ["Choose a programme from the list"]
        else:
            try:
                years = int(form.years.data)
                a = services.create_agreement(
                    programme=programme, organisation=org, title=form.title.data, central=form.central.data,
                    local=form.local.data, first_year=int(form.first_year.data), years=years,
                    profile=_profile(form, years), tranches=_tranches(form), reference=form.reference.data or None,
                    source_url=form.source_url.data, source_note=form.source_note.data, actor=current_user)
                commit()
                flash(f"Agreement {a.reference} made with {programme.name}'s {len(a.conditions)} default conditions.",
                      "success")
                return redirect(url_for("governance.agreement", agreement_id=a.id))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("governance/agreement_form.html", form=form, agreement=None)


@bp.route("/funding/agreements/<int:agreement_id>")
def agreement(agreement_id: int):
    a = get_or_404(FundingAgreement, agreement_id)
    require_hidden("governance.view_agreement", a)
    next_tranche = next((t for t in a.tranches if not t.is_released), None)
    return render_template(
        "governance/agreement.html", agreement=a, next_tranche=next_tranche,
        release_blocker=release_problem(next_tranche) if next_tranche else None,
        may_manage=can(current_user, "governance.manage"), oversee=can(current_user, "governance.oversee"),
        may_file=a.status == "active" and can(current_user, "governance.file_checkin", a),
        overdue=queries.overdue_checkins(london_today(), a.organisation_id))


@bp.route("/funding/agreements/<int:agreement_id>/edit", methods=["GET", "POST"])
def edit_agreement(agreement_id: int):
    require("governance.manage")
    a = get_or_404(FundingAgreement, agreement_id)
    if a.status != "active":
        flash("A closed agreement cannot be changed.", "error")
        return redirect(url_for("governance.agreement", agreement_id=a.id))
    form = AgreementFields()
    form.set_years()
    if request.method == "GET":
        _fill(form, a)
    if form.validate_on_submit():
        try:
            years = int(form.years.data)
            services.update_agreement(a, title=form.title.data, central=form.central.data, local=form.local.data,
                                      first_year=int(form.first_year.data), years=years,
                                      profile=_profile(form, years), tranches=_tranches(form),
                                      source_url=form.source_url.data, source_note=form.source_note.data,
                                      actor=current_user)
            commit()
            flash(f"Agreement {a.reference} updated.", "success")
            return redirect(url_for("governance.agreement", agreement_id=a.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/agreement_form.html", form=form, agreement=a)


@bp.route("/funding/agreements/<int:agreement_id>/close", methods=["GET", "POST"])
def close_agreement(agreement_id: int):
    require("governance.manage")
    a = get_or_404(FundingAgreement, agreement_id)
    form = CloseForm()
    if form.validate_on_submit():
        try:
            services.close_agreement(a, reason=form.reason.data, actor=current_user)
            commit()
            flash(f"Agreement {a.reference} closed.", "success")
            return redirect(url_for("governance.agreement", agreement_id=a.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/close_agreement.html", form=form, agreement=a)


@bp.route("/funding/agreements/<int:agreement_id>/conditions", methods=["GET", "POST"])
def conditions(agreement_id: int):
    a = get_or_404(FundingAgreement, agreement_id)
    require_hidden("governance.view_agreement", a)
    form = ConditionForm()
    if request.method == "POST":
        require("governance.manage")
        if form.validate_on_submit():
            try:
                c = services.add_condition(a, title=form.title.data, description=form.description.data or "",
                                           actor=current_user)
                commit()
                flash(f"Condition ‘{c.title}’ added.", "success")
                return redirect(url_for("governance.conditions", agreement_id=a.id))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("governance/conditions.html", agreement=a, form=form, confirm=ConfirmForm(),
                           may_manage=can(current_user, "governance.manage") and a.status == "active",
                           max_conditions=services.MAX_CONDITIONS)


@bp.route("/funding/conditions/<int:condition_id>/edit", methods=["GET", "POST"])
def edit_condition(condition_id: int):
    require("governance.manage")
    c = get_or_404(AgreementCondition, condition_id)
    form = ConditionForm(obj=c)
    if form.validate_on_submit():
        try:
            services.update_condition(c, title=form.title.data, description=form.description.data or "",
                                      actor=current_user)
            commit()
            flash("Condition updated.", "success")
            return redirect(url_for("governance.conditions", agreement_id=c.agreement_id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/condition_form.html", form=form, condition=c)


@bp.route("/funding/conditions/<int:condition_id>/toggle", methods=["GET", "POST"])
def toggle_condition(condition_id: int):
    require("governance.manage")
    c = get_or_404(AgreementCondition, condition_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.set_condition_active(c, not c.active, actor=current_user)
            commit()
            flash(f"Condition ‘{c.title}’ " + ("restored." if c.active else "dropped."), "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    return redirect(url_for("governance.conditions", agreement_id=c.agreement_id))
