"""Evaluation pages: starting it, evaluators' declarations and scores, the buyer's moderation and
the result table (with the convergence impact of each possible award, when available)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.extensions import db
from app.web.formerrors import show_on_form
from app.web import commit

from .. import bp, rules, scoring
from ..bidding.models import Bid
from ..policy import back_to, competition_or_404
from ..award import services as award_svc
from ..conflicts import services as assessment
from . import services as evaluation
from .forms import DeclareForm, parse_mark
from .models import ConsensusScore, EvaluatorScore
from .services import Mark


@bp.route("/<int:competition_id>/start-evaluation", methods=["POST"])
def start_evaluation(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    try:
        evaluation.start_evaluation(competition, actor=current_user)
        commit()
        flash("The evaluation has started. Your evaluators have been told.", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return back_to(competition)


@bp.route("/<int:competition_id>/evaluate", methods=["GET", "POST"])
def evaluate(competition_id: int):
    """An evaluator's page: declare first; then score every answer (bids appear only after declaring)."""
    competition = competition_or_404(competition_id, "competitions.evaluate")
    status = competition.effective_status()
    row = evaluation.evaluator_row(competition, current_user)
    declare = DeclareForm(prefix="declare")
    errors: list[str] = []
    if request.method == "POST" and request.form.get("step") == "declare" and declare.validate_on_submit():
        try:
            evaluation.declare_conflict(competition, actor=current_user, has_conflict=declare.has_conflict.data == "yes",
                                        note=declare.note.data or "")
            commit()
            flash("Declaration recorded.", "success")
            return redirect(url_for("competitions.evaluate", competition_id=competition.id))
        except DomainError as e:
            show_on_form(declare, e)
    elif request.method == "POST" and request.form.get("step") in ("save", "submit"):
        bids = evaluation.valid_bids(competition)
        marks = {(b.id, c.id): Mark(parse_mark(request.form.get(f"mark_{b.id}_{c.id}")),
                                    request.form.get(f"comment_{b.id}_{c.id}", ""))
                 for b in bids for c in competition.criteria}
        try:
            evaluation.save_scores(competition, actor=current_user, marks=marks)
            if request.form.get("step") == "submit":
                evaluation.submit_scores(competition, actor=current_user)
            commit()
            flash("Scores submitted." if request.form.get("step") == "submit" else "Scores saved.", "success")
            return redirect(url_for("competitions.evaluate", competition_id=competition.id))
        except DomainError as e:
            db.session.rollback()
            errors.append(e.message)
            competition = competition_or_404(competition_id, "competitions.evaluate")
            row = evaluation.evaluator_row(competition, current_user)
    show_bids = status == "evaluation" and row is not None and row.may_score
    bids = evaluation.valid_bids(competition) if show_bids else []
    mine = {}
    if row is not None and show_bids:
        mine = {(s.bid_id, s.criterion_id): s for s in db.session.execute(
            select(EvaluatorScore).where(EvaluatorScore.evaluator_id == row.id)).scalars()}
    others = []
    if row is not None and row.submitted_at is not None:
        others = [s for s in evaluation.submitted_scores(competition) if s.evaluator_id != row.id]
    return render_template("competitions/evaluate.html", competition=competition, status=status, row=row,
                           declaration=assessment.declaration_of(competition, current_user),
                           declare=declare, bids=bids, mine=mine, others=others, errors=errors,
                           bid_names={b.id: b.organisation.display_name for b in evaluation.valid_bids(competition)}
                           if others else {}, criterion_names={c.id: c.name for c in competition.criteria},
                           posted=request.form if errors else None)


@bp.route("/<int:competition_id>/evaluation")
def evaluation_page(competition_id: int):
    """The buyer's (and oversight's) view: who has declared and submitted, moderation, results."""
    competition = competition_or_404(competition_id)
    require("competitions.view_bids", competition)
    status = competition.effective_status()
    table = evaluation.results(competition)
    impacts = _impacts(competition, table)
    return render_template("competitions/evaluation.html", competition=competition, status=status, table=table,
                           ready=evaluation.moderation_ready(competition), impacts=impacts,
                           may_manage=can(current_user, "competitions.manage", competition),
                           tie_break=scoring.TIE_BREAK_TEXT, rules=rules,
                           low_rule=scoring.abnormally_low_rule(competition.abnormally_low_percent),
                           checks=award_svc.exclusion_checks(competition))


def _impacts(competition, table) -> dict[int, object]:
    """ΔHHI of awarding to each bidder, from the concentration domain when it offers what_if_award."""
    try:
        from app.concentration import services as concentration
    except ImportError:  # pragma: no cover - the domain is always installed
        return {}
    if not hasattr(concentration, "what_if_award"):
        return {}
    out = {}
    for r in table.rows:
        try:
            out[r.bid.id] = concentration.what_if_award(competition.buyer, r.bid.organisation)
        except Exception:  # a figure that cannot be computed is left out, never a 500
            out[r.bid.id] = None
    return out


@bp.route("/<int:competition_id>/moderate/<int:bid_id>", methods=["GET", "POST"])
def moderate(competition_id: int, bid_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    require("competitions.view_bids", competition)
    bid = db.session.get(Bid, bid_id)
    if bid is None or bid.competition_id != competition.id:
        abort(404)
    errors: list[str] = []
    if request.method == "POST":
        marks = {c.id: Mark(parse_mark(request.form.get(f"mark_{c.id}")), request.form.get(f"rationale_{c.id}", ""))
                 for c in competition.criteria}
        try:
            evaluation.moderate(competition, bid, actor=current_user, marks=marks)
            commit()
            flash("Consensus scores recorded.", "success")
            return redirect(url_for("competitions.evaluation_page", competition_id=competition.id))
        except DomainError as e:
            db.session.rollback()
            errors.append(e.message)
            competition = competition_or_404(competition_id, "competitions.manage")
            bid = db.session.get(Bid, bid_id)
    scores = [s for s in evaluation.submitted_scores(competition) if s.bid_id == bid.id] \
        if evaluation.moderation_ready(competition) else []
    consensus = {c.criterion_id: c for c in db.session.execute(
        select(ConsensusScore).where(ConsensusScore.bid_id == bid.id)).scalars()}
    return render_template("competitions/moderate.html", competition=competition, bid=bid, scores=scores,
                           consensus=consensus, errors=errors, posted=request.form if errors else None,
                           ready=evaluation.moderation_ready(competition))
