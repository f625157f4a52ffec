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
from ..documents.services import bid_documents_for_publication
from ..policy import back_to, competition_or_404
from ..award import services as award_svc
from ..conflicts import services as assessment
from . import services as evaluation
from .forms import DeclareForm, moderation_form, parse_mark, scoring_form
from .models import ConsensusScore, EvaluatorScore
from .services import Mark


@bp.route("/<int:competition_id>/start-evaluation", methods=["GET", "POST"])
def start_evaluation(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return back_to(competition)
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
    show_bids = status == "evaluation" and row is not None and row.may_score
    bids = evaluation.valid_bids(competition) if show_bids else []
    mine = {}
    if show_bids:
        mine = {(s.bid_id, s.criterion_id): s for s in db.session.execute(
            select(EvaluatorScore).where(EvaluatorScore.evaluator_id == row.id)).scalars()}
    step = request.form.get("step") if request.method == "POST" else None
    form = scoring_form(bids, competition.criteria, competition.scale_max, mine,
                        formdata=request.form if step in ("save", "submit") else None)
    if step == "declare" and declare.validate_on_submit():
        try:
            evaluation.declare_conflict(competition, actor=current_user, has_conflict=declare.has_conflict.data == "yes",
                                        note=declare.note.data or "")
            commit()
            flash("Declaration recorded.", "success")
            return redirect(url_for("competitions.evaluate", competition_id=competition.id))
        except DomainError as e:
            show_on_form(declare, e)
    elif step in ("save", "submit") and form.validate_on_submit():
        marks = {key: Mark(parse_mark(mark.data), comment.data or "") for key, (mark, comment) in form.cells.items()}
        try:
            evaluation.save_scores(competition, actor=current_user, marks=marks)
            if step == "submit":
                evaluation.submit_scores(competition, actor=current_user)
            commit()
            flash("Scores submitted." if step == "submit" else "Scores saved.", "success")
            return redirect(url_for("competitions.evaluate", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
            competition = competition_or_404(competition_id, "competitions.evaluate")
            row = evaluation.evaluator_row(competition, current_user)
    others = []
    if row is not None and row.submitted_at is not None:
        others = [s for s in evaluation.submitted_scores(competition) if s.evaluator_id != row.id]
    documents = (bid_documents_for_publication(competition) or {}) if show_bids else {}
    return render_template("competitions/evaluate.html", competition=competition, status=status, row=row,
                           documents=documents,
                           declaration=assessment.declaration_of(competition, current_user),
                           declare=declare, bids=bids, form=form, others=others,
                           bid_names={b.id: b.organisation.display_name for b in evaluation.valid_bids(competition)}
                           if others else {}, criterion_names={c.id: c.name for c in competition.criteria})


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
    """The consensus marks of one bid: where every evaluator gave the same mark it is filled in and
    needs no rationale; where they differ, the buyer agrees a mark and says why."""
    competition = competition_or_404(competition_id, "competitions.manage")
    require("competitions.view_bids", competition)
    bid = db.session.get(Bid, bid_id)
    if bid is None or bid.competition_id != competition.id:
        abort(404)
    ready = evaluation.moderation_ready(competition)
    given = evaluation.evaluator_marks(competition, bid) if ready else {}
    agreed = {cid: m for cid, scores in given.items()
              if (m := scoring.agreed_mark([s.mark for s in scores])) is not None}
    consensus = {c.criterion_id: c for c in db.session.execute(
        select(ConsensusScore).where(ConsensusScore.bid_id == bid.id)).scalars()}
    form = moderation_form(competition.criteria, competition.scale_max, consensus, agreed)
    if form.validate_on_submit():
        marks = {c.id: Mark(parse_mark(form[f"mark_{c.id}"].data), form[f"rationale_{c.id}"].data or "")
                 for c in competition.criteria}
        try:
            evaluation.moderate(competition, bid, actor=current_user, marks=marks)
            commit()
            flash("Consensus scores recorded.", "success")
            return redirect(url_for("competitions.evaluation_page", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/moderate.html", competition=competition, bid=bid, given=given,
                           documents=(bid_documents_for_publication(competition) or {}).get(bid.organisation_id, []),
                           agreed=agreed, form=form, ready=ready)
