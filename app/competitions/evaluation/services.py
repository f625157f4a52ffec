"""Evaluating the bids after the deadline: conflict declarations, independent scoring with
comments, moderation to a consensus mark with a rationale, and the result table."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.roles import EVALUATOR
from app.audit.services import record
from app.errors import DomainError, NotAllowed, Problems
from app.extensions import db

from .. import clock, scoring
from ..bidding.models import Bid
from ..conflicts import services as conflicts
from ..models import Competition, CompetitionCriterion, CompetitionEvaluator
from ..notifications.services import notify
from ..rules import clean_text
from ..state import lock, sync_status, transition
from .models import ConsensusScore, EvaluatorScore


def valid_bids(competition: Competition) -> list[Bid]:
    """The bids that are evaluated: submitted, not withdrawn, not made invalid. Callers show these
    only once the bids are unsealed."""
    return list(db.session.execute(
        select(Bid).where(Bid.competition_id == competition.id, Bid.status == "submitted").order_by(Bid.id)
    ).unique().scalars())


def evaluator_row(competition: Competition, user) -> CompetitionEvaluator | None:
    return next((e for e in competition.evaluators if user is not None and e.user_id == user.id), None)


def start_evaluation(competition: Competition, *, actor=None) -> Competition:
    """Open the bids for evaluation once the deadline has passed (at least one valid bid) and the
    conflicts assessment is complete (s83)."""
    lock(competition)
    sync_status(competition)
    if competition.status == "closed":
        problems = conflicts.assessment_problems(competition)
        if problems:
            raise DomainError("Complete the conflicts assessment before the evaluation starts: " + " ".join(problems))
    if competition.status == "closed" and not valid_bids(competition):
        raise DomainError("No valid bids were received: close the competition with no suitable bid instead.")
    if competition.status == "closed" and not competition.evaluators:
        raise DomainError("Choose at least one evaluator before starting the evaluation.")
    transition(competition, "start_evaluation", actor=actor, evaluation_started_at=clock.now(),
               summary=f"Started the evaluation of {competition.reference}")
    notify([e.user for e in competition.evaluators], f"{competition.reference}: evaluation has started",
           "Declare any conflict of interest, then score every answer on the published scale with a comment.",
           link=f"/competitions/{competition.id}/evaluate", competition=competition, kind="evaluation_assigned")
    return competition


def _need_evaluation(competition: Competition) -> None:
    if competition.effective_status() != "evaluation":
        raise DomainError("This can be done only while the competition is under evaluation.")


def _need_evaluator(competition: Competition, actor) -> CompetitionEvaluator:
    row = evaluator_row(competition, actor)
    if row is None or not actor.has_role(EVALUATOR):
        raise NotAllowed("You are not an evaluator of this competition.")
    return row


def declare_conflict(competition: Competition, *, actor, has_conflict: bool, note: str = "") -> CompetitionEvaluator:
    """An evaluator declares their interests into the conflicts assessment, before seeing any bid
    (any time until the competition ends). No interest: they may score. A declared interest waits
    for the buyer's assessment, which may exclude them; it is never taken back."""
    row = _need_evaluator(competition, actor)
    try:
        conflicts.declare(competition, actor, has_interest=has_conflict, interest=note, actor=actor)
    except DomainError as e:
        if e.field == "interest":
            e.field = "note"
        if e.field == "has_interest":
            e.field = "has_conflict"
        raise
    return row


@dataclass
class Mark:
    mark: int | None
    comment: str = ""


def save_scores(competition: Competition, *, actor, marks: dict[tuple[int, int], Mark]) -> int:
    """Save an evaluator's marks and comments, keyed by (bid id, criterion id). Drafts may be
    incomplete; nothing is visible to anyone else until moderation. Returns how many were saved."""
    _need_evaluation(competition)
    row = _need_evaluator(competition, actor)
    if not row.may_score:
        raise DomainError("Declare that you have no conflict of interest before scoring.")
    if row.submitted_at is not None:
        raise DomainError("You have submitted your scores: they can no longer change.")
    bids = {b.id: b for b in valid_bids(competition)}
    criteria = {c.id: c for c in competition.criteria}
    if any(bid_id not in bids or crit_id not in criteria for bid_id, crit_id in marks):
        raise DomainError("That answer is not part of this evaluation.")
    problems = Problems()
    kept: dict[tuple[int, int], tuple[int, str]] = {}
    for (bid_id, crit_id), m in marks.items():
        if m.mark is None and not (m.comment or "").strip():
            continue
        where = _answer_name(bids[bid_id], criteria[crit_id])
        if m.mark is None or not 0 <= m.mark <= competition.scale_max:
            problems.add(f"{where}: enter a mark from 0 to {competition.scale_max}.", f"mark_{bid_id}_{crit_id}")
        try:
            comment = clean_text(m.comment, f"comment_{bid_id}_{crit_id}", "a comment explaining the mark")
        except DomainError as e:
            problems.add(f"{where}: {e.message[0].lower()}{e.message[1:]}", e.field)
            continue
        kept[(bid_id, crit_id)] = (m.mark, comment)
    problems.raise_if_any()  # every bad mark named at once, before anything is written
    existing = {(s.bid_id, s.criterion_id): s for s in db.session.execute(
        select(EvaluatorScore).where(EvaluatorScore.evaluator_id == row.id)).scalars()}
    saved = 0
    for (bid_id, crit_id), (mark, comment) in kept.items():
        score = existing.get((bid_id, crit_id))
        if score is None:
            score = EvaluatorScore(evaluator_id=row.id, bid_id=bid_id, criterion_id=crit_id, mark=mark, comment=comment)
            db.session.add(score)
        score.mark, score.comment, score.updated_at = mark, comment, clock.now()
        saved += 1
    record("evaluator.score", row, after={"saved": saved}, summary=f"{actor.name} saved {saved} score(s) on "
           f"{competition.reference}", actor=actor)
    return saved


def _answer_name(bid: Bid, criterion: CompetitionCriterion) -> str:
    """How an error names one answer on the scoring page: the bidder, then the question."""
    return f"{bid.organisation.display_name}, {criterion.name}"


def missing_answers(competition: Competition, row: CompetitionEvaluator) -> list[tuple[Bid, CompetitionCriterion]]:
    """The answers this evaluator has not marked yet, in the page's order."""
    have = {(s.bid_id, s.criterion_id) for s in db.session.execute(
        select(EvaluatorScore).where(EvaluatorScore.evaluator_id == row.id)).scalars()}
    return [(b, c) for b in valid_bids(competition) for c in competition.criteria if (b.id, c.id) not in have]


def missing_scores(competition: Competition, row: CompetitionEvaluator) -> int:
    return len(missing_answers(competition, row))


def submit_scores(competition: Competition, *, actor) -> CompetitionEvaluator:
    """Submit an evaluator's scores: every answer of every valid bid must be marked and commented."""
    _need_evaluation(competition)
    row = _need_evaluator(competition, actor)
    if not row.may_score:
        raise DomainError("Declare that you have no conflict of interest before scoring.")
    if row.submitted_at is not None:
        raise DomainError("You have already submitted your scores.")
    missing = missing_answers(competition, row)
    if missing:
        problems = Problems()
        problems.add(f"Score every answer before submitting: {len(missing)} still to do.")
        for b, c in missing:
            problems.add(f"{_answer_name(b, c)}: enter a mark from 0 to {competition.scale_max}.", f"mark_{b.id}_{c.id}")
        problems.raise_if_any()
    row.submitted_at = clock.now()
    record("evaluator.submit", row, summary=f"{actor.name} submitted their scores on {competition.reference}",
           actor=actor)
    return row


def scores_visible_to(competition: Competition, user) -> bool:
    """Another evaluator's scores are hidden from an evaluator until they submit their own; the
    buyer sees them for moderation once every scoring evaluator has submitted."""
    row = evaluator_row(competition, user)
    if row is not None:
        return row.submitted_at is not None
    return moderation_ready(competition)


def scoring_evaluators(competition: Competition) -> list[CompetitionEvaluator]:
    return [e for e in competition.evaluators if e.may_score]


def moderation_ready(competition: Competition) -> bool:
    """Every evaluator has declared, and every one without a conflict has submitted (at least one)."""
    if any(e.has_conflict is None for e in competition.evaluators):
        return False
    scorers = scoring_evaluators(competition)
    return bool(scorers) and all(e.submitted_at is not None for e in scorers)


def submitted_scores(competition: Competition) -> list[EvaluatorScore]:
    """Submitted scores of evaluators without a conflict (for moderation and the record)."""
    ids = [e.id for e in scoring_evaluators(competition) if e.submitted_at is not None]
    if not ids:
        return []
    return list(db.session.execute(select(EvaluatorScore).where(EvaluatorScore.evaluator_id.in_(ids))
                                   .order_by(EvaluatorScore.bid_id, EvaluatorScore.criterion_id,
                                             EvaluatorScore.evaluator_id)).scalars())


def evaluator_marks(competition: Competition, bid: Bid) -> dict[int, list[EvaluatorScore]]:
    """The submitted scores of one bid, by question (what moderation starts from)."""
    out: dict[int, list[EvaluatorScore]] = {}
    for s in submitted_scores(competition):
        if s.bid_id == bid.id:
            out.setdefault(s.criterion_id, []).append(s)
    return out


def _agreed_rationale(mark: int, scores: list[EvaluatorScore]) -> str:
    """The record of a consensus the evaluators reached on their own: their mark and their reasons."""
    reasons = " ".join(dict.fromkeys(s.comment.strip() for s in scores if s.comment.strip()))
    return f"Every evaluator gave this answer {mark}. {reasons}".strip()


def moderate(competition: Competition, bid: Bid, *, actor, marks: dict[int, Mark]) -> list[ConsensusScore]:
    """The buyer records the consensus mark for each question of one bid, with a rationale where
    the evaluators differed or the consensus departs from the mark they all gave (where they agreed,
    their mark and reasons are the record)."""
    _need_evaluation(competition)
    if bid.competition_id != competition.id or bid.status != "submitted":
        raise DomainError("Only valid bids are moderated.")
    if not moderation_ready(competition):
        raise DomainError("Moderation starts when every evaluator has declared and submitted their scores.")
    criteria = {c.id: c for c in competition.criteria}
    if any(crit_id not in criteria for crit_id in marks):
        raise DomainError("That question is not part of this competition.")
    given = evaluator_marks(competition, bid)
    problems = Problems()
    kept: dict[int, tuple[int, str]] = {}
    for crit_id, m in marks.items():
        name = criteria[crit_id].name
        if m.mark is None or not 0 <= m.mark <= competition.scale_max:
            problems.add(f"{name}: enter a consensus mark from 0 to {competition.scale_max}.", f"mark_{crit_id}")
            continue
        scores = given.get(crit_id, [])
        if scoring.rationale_needed([s.mark for s in scores], m.mark):
            try:
                rationale = clean_text(m.comment, f"rationale_{crit_id}", "the rationale for the consensus mark")
            except DomainError as e:
                problems.add(f"{name}: {e.message[0].lower()}{e.message[1:]}", e.field)
                continue
        else:
            rationale = (m.comment or "").strip() or _agreed_rationale(m.mark, scores)
        kept[crit_id] = (m.mark, rationale)
    problems.raise_if_any()  # every question's problem named at once, before anything is written
    existing = {c.criterion_id: c for c in db.session.execute(
        select(ConsensusScore).where(ConsensusScore.bid_id == bid.id)).scalars()}
    out = []
    for crit_id, (mark, rationale) in kept.items():
        row = existing.get(crit_id) or ConsensusScore(bid_id=bid.id, criterion_id=crit_id, mark=mark, rationale=rationale)
        db.session.add(row)
        row.mark, row.rationale = mark, rationale
        row.moderated_by_id, row.moderated_at = getattr(actor, "id", None), clock.now()
        out.append(row)
    record("bid.moderate", bid, after={str(k): v.mark for k, v in marks.items()},
           summary=f"Moderated the scores of a bid on {competition.reference}", actor=actor)
    return out


@dataclass
class ResultRow:
    bid: Bid
    score: scoring.BidScore | None
    over_budget: bool = False


@dataclass
class Results:
    rows: list[ResultRow] = field(default_factory=list)
    complete: bool = False
    missing: int = 0

    @property
    def winner(self) -> ResultRow | None:
        return next((r for r in self.rows if r.score is not None and r.score.rank == 1), None)


def method_of(competition: Competition) -> scoring.Method:
    return scoring.Method(
        questions=tuple(scoring.Question(c.id, c.weight, c.name) for c in competition.criteria),
        price_weight=competition.price_weight, scale_max=competition.scale_max,
        threshold_percent=competition.threshold_percent, abnormally_low_percent=competition.abnormally_low_percent,
        budget_pence=competition.budget_pence, over_budget_may_win=competition.framework.over_budget_may_win,
    )


def results(competition: Competition) -> Results:
    """The result table from the consensus marks: each valid bid's quality, price and total score
    and rank (complete=False, with no scores, until every answer is moderated)."""
    bids = valid_bids(competition)
    consensus: dict[int, dict[int, int]] = {}
    for c in db.session.execute(select(ConsensusScore).join(Bid, Bid.id == ConsensusScore.bid_id)
                                .where(Bid.competition_id == competition.id)).scalars():
        consensus.setdefault(c.bid_id, {})[c.criterion_id] = c.mark
    crit_ids = [c.id for c in competition.criteria]
    missing = sum(1 for b in bids for cid in crit_ids if cid not in consensus.get(b.id, {}))
    budget = competition.budget_pence
    if missing or not bids:
        return Results([ResultRow(b, None, budget is not None and b.price_pence > budget) for b in bids],
                       complete=False, missing=missing)
    facts = [scoring.BidFacts(b.id, b.price_pence, b.submitted_at, consensus[b.id]) for b in bids]
    by_id = {b.id: b for b in bids}
    rows = [ResultRow(by_id[s.bid_id], s, budget is not None and s.price_pence > budget)
            for s in scoring.score_bids(method_of(competition), facts)]
    return Results(rows, complete=True)


def moderated_reasons(bid_ids: list[int]) -> dict[tuple[int, int], str]:
    """The moderated rationale of each (bid, question): what losing bidders read beside the scores."""
    return {(c.bid_id, c.criterion_id): c.rationale for c in db.session.execute(
        select(ConsensusScore).where(ConsensusScore.bid_id.in_(bid_ids))).scalars()}


def criterion(competition: Competition, criterion_id: int) -> CompetitionCriterion | None:
    return next((c for c in competition.criteria if c.id == criterion_id), None)
