"""Periodic reviews of exemplars, and follower feedback on partnerships."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import or_, select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.web.exports import csv_response
from app.extensions import db
from app.web.formerrors import show_on_form
from app.registry.models import Membership, Partnership
from app.web import commit

from .. import bp, queries
from ..forms import choices
from ..policy import get_or_404, require_hidden
from ..vocab import REVIEW_DECISIONS
from . import services
from .forms import RatingForm, ReviewForm
from .models import ExemplarReview, PartnershipRating
from .rules import review_options


@bp.route("/exemplars")
def exemplars():
    require("governance.oversee")
    rows = queries.exemplars_for_review(services.london_today())
    if request.args.get("format") == "csv":
        return csv_response("exemplar-reviews.csv", [
            "framework", "lot", "ods_code", "organisation", "status", "last_review", "last_decision",
            "next_review", "review_due"],
            ([r.membership.lot.framework.name, r.membership.lot.label, r.membership.organisation.ods_code,
              r.membership.organisation.display_name, r.membership.status,
              r.latest.reviewed_on if r.latest else None, r.latest.decision if r.latest else None,
              r.latest.next_review_on if r.latest else None, r.due] for r in rows))
    return render_template("governance/exemplars.html", rows=rows, decisions=REVIEW_DECISIONS)


@bp.route("/memberships/<int:membership_id>/review", methods=["GET", "POST"])
def review(membership_id: int):
    require("governance.oversee")
    m = get_or_404(Membership, membership_id)
    today = services.london_today()
    form = ReviewForm()
    options = review_options(m.status)
    form.decision.choices = choices((o, REVIEW_DECISIONS[o]) for o in options)
    if request.method == "GET":
        form.reviewed_on.data = today
    if request.method == "POST":
        require("governance.manage")
        if form.validate_on_submit():
            try:
                r = services.record_review(
                    m, decision=form.decision.data, reason=form.reason.data, conditions=form.conditions.data,
                    reviewed_on=form.reviewed_on.data, next_review_on=form.next_review_on.data,
                    capacity_declared=form.capacity_declared.data, actor=current_user, today=today)
                commit()
                flash(f"Review recorded: {REVIEW_DECISIONS[r.decision].lower()}. "
                      f"{m.organisation.display_name} is {m.status} on {m.lot.label}.", "success")
                return redirect(url_for("governance.review", membership_id=m.id))
            except DomainError as e:
                show_on_form(form, e)
    history = db.session.execute(select(ExemplarReview).where(ExemplarReview.membership_id == m.id)
                                 .order_by(ExemplarReview.reviewed_on.desc(), ExemplarReview.id.desc())
                                 ).unique().scalars().all()
    return render_template("governance/review.html", membership=m, form=form, options=options,
                           evidence=services.review_evidence(m, today=today), history=history, today=today,
                           may_manage=can(current_user, "governance.manage"), decisions=REVIEW_DECISIONS)


@bp.route("/partnerships/mine")
def my_partnerships():
    require("governance.trust_pages")
    org_id = current_user.organisation_id
    rows = db.session.execute(
        select(Partnership).where(or_(Partnership.follower_id == org_id, Partnership.exemplar_id == org_id))
        .order_by(Partnership.started_on.desc().nullslast(), Partnership.id)).unique().scalars().all()
    ids = [p.id for p in rows]
    ratings: dict[int, list[PartnershipRating]] = {}
    if ids:
        for r in db.session.execute(select(PartnershipRating).where(PartnershipRating.partnership_id.in_(ids))
                                    .order_by(PartnershipRating.given_at.desc())).unique().scalars():
            ratings.setdefault(r.partnership_id, []).append(r)
    return render_template("governance/my_partnerships.html", partnerships=rows, ratings=ratings, org_id=org_id,
                           may_rate={p.id: can(current_user, "governance.rate_partnership", p) for p in rows})


@bp.route("/partnerships/<int:partnership_id>/rate", methods=["GET", "POST"])
def rate_partnership(partnership_id: int):
    p = get_or_404(Partnership, partnership_id)
    require_hidden("governance.rate_partnership", p)
    form = RatingForm()
    if form.validate_on_submit():
        try:
            services.rate_partnership(p, rating=form.rating.data, comment=form.comment.data, actor=current_user)
            commit()
            flash(f"Thank you: your rating of the partnership with {p.exemplar.display_name} is recorded.", "success")
            return redirect(url_for("governance.my_partnerships"))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("governance/rate.html", form=form, partnership=p)
