"""Quarterly check-ins (filed by the funded organisation, reviewed by the commercial team) and the
release of tranches."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from app.web.fields import FlaskForm

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.formerrors import show_on_form
from app.web.fields import DateInputField
from app.web import commit
from wtforms.validators import DataRequired

from .. import bp
from ..calendar import parse_quarter
from ..clock import london_today
from ..funding.models import FundingAgreement, FundingTranche
from ..policy import get_or_404, require_hidden
from . import services
from .forms import CheckInReviewForm, checkin_form
from .models import CheckIn
from .rules import open_quarters


class ReleaseForm(FlaskForm):
    released_on = DateInputField("Date the tranche was released", validators=[
        DataRequired("Enter the date the tranche was released")])


def _ratings(form) -> dict[int, tuple[str | None, str | None]]:
    return {c.id: (rag.data or None, comment.data) for c, rag, comment in form.rows}


@bp.route("/funding/agreements/<int:agreement_id>/checkins/new", methods=["GET", "POST"])
def new_checkin(agreement_id: int):
    a = get_or_404(FundingAgreement, agreement_id)
    require_hidden("governance.view_agreement", a)
    require("governance.file_checkin", a)
    if a.status != "active":
        flash("This agreement is closed: no more check-ins are expected.", "error")
        return redirect(url_for("governance.agreement", agreement_id=a.id))
    filed = {c.period for c in a.checkins}
    quarters = [q for q in open_quarters(first_year=a.first_year, years=a.years, today=london_today())
                if q not in filed]
    if not quarters:
        flash("There is no quarter to check in for: every quarter so far has a check-in.", "info")
        return redirect(url_for("governance.agreement", agreement_id=a.id))
    form = checkin_form(a.active_conditions, quarters=quarters)
    if request.method == "GET":
        wanted = parse_quarter(request.args.get("quarter", ""))
        form.quarter.data = wanted.key if wanted in quarters else quarters[0].key
    if form.validate_on_submit():
        quarter = parse_quarter(form.quarter.data)
        try:
            if quarter is None:
                raise DomainError("Choose a quarter from the list.", field="quarter")
            checkin = services.submit_checkin(a, quarter=quarter, ratings=_ratings(form),
                                              milestone_progress=form.milestone_progress.data, actor=current_user)
            commit()
            flash(f"Check-in for {quarter.label} sent to the commercial team.", "success")
            return redirect(url_for("governance.checkin", checkin_id=checkin.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/checkin_form.html", form=form, agreement=a, checkin=None)


@bp.route("/funding/checkins/<int:checkin_id>", methods=["GET", "POST"])
def checkin(checkin_id: int):
    """A check-in, and the commercial team's review of it: the review form posts back here, so a
    refused review is shown in place and a reload never lands on an address without a page."""
    c = get_or_404(CheckIn, checkin_id)
    require_hidden("governance.view_agreement", c.agreement)
    may_manage = can(current_user, "governance.manage")
    form = CheckInReviewForm() if may_manage and c.status == "submitted" else None
    if request.method == "POST":
        require("governance.manage")
        if form is None:
            flash("This check-in has already been reviewed.", "error")
            return redirect(url_for("governance.checkin", checkin_id=c.id))
        if form.validate_on_submit():
            try:
                services.review_checkin(c, decision=form.decision.data, comment=form.comment.data,
                                        actor=current_user)
                commit()
                flash(f"Check-in for {c.period.label} {c.status}.", "success")
                return redirect(url_for("governance.checkin", checkin_id=c.id))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("governance/checkin.html", checkin=c, agreement=c.agreement, review_form=form,
                           may_resubmit=c.status == "queried" and c.agreement.status == "active"
                           and can(current_user, "governance.file_checkin", c.agreement))


@bp.route("/funding/checkins/<int:checkin_id>/edit", methods=["GET", "POST"])
def resubmit_checkin(checkin_id: int):
    c = get_or_404(CheckIn, checkin_id)
    a = c.agreement
    require_hidden("governance.view_agreement", a)
    require("governance.file_checkin", a)
    if c.status != "queried":
        flash("Only a queried check-in can be corrected and resubmitted.", "error")
        return redirect(url_for("governance.checkin", checkin_id=c.id))
    data = {"milestone_progress": c.milestone_progress}
    for r in c.ratings:
        data[f"rag_{r.condition_id}"], data[f"comment_{r.condition_id}"] = r.rag, r.comment
    form = checkin_form(a.active_conditions, data=data)
    if form.validate_on_submit():
        try:
            services.resubmit_checkin(c, ratings=_ratings(form), milestone_progress=form.milestone_progress.data,
                                      actor=current_user)
            commit()
            flash(f"Check-in for {c.period.label} corrected and sent back for review.", "success")
            return redirect(url_for("governance.checkin", checkin_id=c.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/checkin_form.html", form=form, agreement=a, checkin=c)


@bp.route("/funding/tranches/<int:tranche_id>/release", methods=["GET", "POST"])
def release_tranche(tranche_id: int):
    require("governance.manage")
    t = get_or_404(FundingTranche, tranche_id)
    form = ReleaseForm()
    if request.method == "GET":
        form.released_on.data = london_today()
    blocker = services.release_problem(t)
    if blocker is None and form.validate_on_submit():
        try:
            services.release_tranche(t, released_on=form.released_on.data, actor=current_user)
            commit()
            flash(f"Tranche {t.number} of {t.agreement.reference} released.", "success")
            return redirect(url_for("governance.agreement", agreement_id=t.agreement_id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/release.html", form=form, tranche=t, agreement=t.agreement,
                           blocker=blocker)
