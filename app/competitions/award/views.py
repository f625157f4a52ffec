"""Award pages: intention to award, withdrawing it, the award and contract, the bidders' outcome,
and the call-off partnership with its milestones."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.extensions import db
from app.web.formerrors import show_on_form
from app.registry.models import Partnership, PartnershipMilestone
from app.web import commit

from .. import bp, queries
from ..evaluation import services as evaluation
from ..contracts.rules import kpi_names
from ..forms import ReasonForm
from ..policy import back_to, competition_or_404
from . import services as award_svc
from .forms import AwardForm, IntentionForm, MilestoneForm


@bp.route("/<int:competition_id>/intend", methods=["GET", "POST"])
def intend(competition_id: int):
    """The intention to award, with its reason; the winner is checked against the exclusion register."""
    competition = competition_or_404(competition_id, "competitions.manage")
    if competition.effective_status() != "evaluation":
        abort(409)  # an intention is announced only under evaluation
    require("competitions.view_bids", competition)
    form = IntentionForm()
    table = evaluation.results(competition)
    if form.validate_on_submit():
        try:
            award_svc.intend_award(competition, actor=current_user, note=form.note.data)
            commit()
            flash("Intention to award announced and every bidder told. " + (
                "Review and publish the contract award notice: the standstill starts when it is published."
                if competition.standstill_days else "There is no standstill: you can make the award now."), "success")
            return back_to(competition)
        except award_svc.WinnerExcluded as e:
            commit()  # the check and the disregarded bid are on the record
            flash(e.message, "error")
            return redirect(url_for("competitions.evaluation_page", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
    winner = table.winner.bid.organisation.display_name if table.winner else None
    return render_template("competitions/form.html", form=form, competition=competition,
                           heading="Announce the intention to award", submit_text="Announce the intention to award",
                           intro=(f"The top-ranked bid is from {winner}. " if winner else "No bid can win. ")
                           + "It is checked against the exclusion register first. " + (
                               f"A voluntary standstill of {competition.standstill_days} working days starts when you "
                               "publish the contract award notice." if competition.standstill_days
                               else "There is no standstill: the award can follow at once."))


@bp.route("/<int:competition_id>/withdraw-intention", methods=["GET", "POST"])
def withdraw_intention(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            award_svc.withdraw_intention(competition, actor=current_user, reason=form.reason.data)
            commit()
            flash("The intention to award was withdrawn. The competition is back under evaluation.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition,
                           heading="Withdraw the intention to award", submit_text="Withdraw the intention",
                           warning=True, intro="Every bidder is told, with your reason.")


@bp.route("/<int:competition_id>/award", methods=["GET", "POST"])
def make_award(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    award = award_svc.current_award(competition)
    if award is None:
        abort(404)
    form = AwardForm()
    if form.validate_on_submit():
        try:
            award_svc.make_award(competition, actor=current_user, value_pence=form.value.pence,
                                 starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                                 go_live_on=form.go_live_on.data, kpis=kpi_names(form.kpis.data),
                                 copy_url=form.copy_url.data)
            commit()
            flash("Awarded. The partnership is recorded, and the contract details notice is ready to review: "
                  "publish it within 30 days.", "success")
            return back_to(competition)
        except award_svc.WinnerExcluded as e:
            commit()  # the check is on the record
            flash(e.message, "error")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)

    return render_template("competitions/form.html", form=form, competition=competition,
                           heading="Award and record the contract", submit_text="Make the award",
                           intro=f"Award to {award.bid.organisation.display_name}. The call-off term may "
                                 f"be at most {competition.framework.max_calloff_months} months.")


@bp.route("/<int:competition_id>/outcome")
def outcome(competition_id: int):
    """A bidder's outcome: its own scores beside the winning bid's, from the intention to award on."""
    competition = competition_or_404(competition_id, "competitions.bid")
    award = award_svc.current_award(competition)
    own = queries.own_bid(competition, current_user.organisation_id)
    if award is None or own is None:
        abort(404)
    table = evaluation.results(competition)
    rows = {r.bid.id: r for r in table.rows}
    return render_template("competitions/outcome.html", competition=competition, award=award, own=own,
                           own_row=rows.get(own.id), winner_row=rows.get(award.bid_id),
                           won=award.bid_id == own.id, winner=award.bid.organisation.display_name,
                           reasons=evaluation.moderated_reasons([own.id, award.bid_id]))


def partnership_or_404(partnership_id: int, action: str = "competitions.partnership.view") -> Partnership:
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None:
        abort(404)
    require("competitions.partnership.view", partnership, hide=True)
    if action != "competitions.partnership.view":
        require(action, partnership)
    return partnership


@bp.route("/partnerships/<int:partnership_id>")
def partnership(partnership_id: int):
    p = partnership_or_404(partnership_id)
    from ..models import Competition

    competition = db.session.get(Competition, p.competition_id) if p.competition_id else None
    return render_template("competitions/partnership.html", partnership=p, competition=competition,
                           may_manage=can(current_user, "competitions.partnership.manage", p),
                           may_view_competition=competition is not None and can(current_user, "competitions.view",
                                                                                 competition))


@bp.route("/partnerships/<int:partnership_id>/milestones/<int:milestone_id>", methods=["GET", "POST"])
def milestone(partnership_id: int, milestone_id: int):
    p = partnership_or_404(partnership_id, "competitions.partnership.manage")
    m = db.session.get(PartnershipMilestone, milestone_id)
    if m is None or m.partnership_id != p.id:
        abort(404)
    form = MilestoneForm(obj=m)
    if form.validate_on_submit():
        try:
            award_svc.record_milestone(m, actor=current_user, actual_on=form.actual_on.data,
                                       planned_on=form.planned_on.data)
            commit()
            flash(f"{m.name} saved.", "success")
            return redirect(url_for("competitions.partnership", partnership_id=p.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=None, heading=f"{m.name}: dates",
                           back_href=url_for("competitions.partnership", partnership_id=p.id))
