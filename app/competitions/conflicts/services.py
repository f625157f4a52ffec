"""The conflicts assessment: who takes part, their declarations, the buyer's assessment and its
confirmation; kept under review (a new participant or a changed declaration reopens it).

Evaluators' standing to score (CompetitionEvaluator.has_conflict) follows from the assessment:
undecided until they have declared (and a declared interest is assessed), excluded when the
assessment excludes them.
"""
from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import FOLLOWER_BUYER
from app.audit.services import record
from app.errors import DomainError, NotAllowed
from app.extensions import db

from .. import clock
from ..models import Competition, CompetitionEvaluator
from ..rules import clean_text
from ..notices.models import Notice
from .models import ConflictDeclaration
from .rules import ROLES, DeclarationFacts, may_score, problems, ready_to_confirm


def declarations(competition: Competition) -> list[ConflictDeclaration]:
    return list(db.session.execute(select(ConflictDeclaration).where(
        ConflictDeclaration.competition_id == competition.id).order_by(ConflictDeclaration.id)).unique().scalars())


def declaration_of(competition: Competition, user) -> ConflictDeclaration | None:
    if user is None or getattr(user, "id", None) is None:
        return None
    return db.session.execute(select(ConflictDeclaration).where(
        ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.user_id == user.id)
    ).unique().scalar_one_or_none()


def _facts(rows) -> list[DeclarationFacts]:
    return [DeclarationFacts(d.user_id, d.role, d.has_interest, d.conflict, d.mitigation) for d in rows]


def assessment_problems(competition: Competition) -> list[str]:
    """What stops the assessment from being complete (empty when it is complete and confirmed)."""
    return problems(_facts(declarations(competition)), competition.conflicts_confirmed_at is not None)


def is_complete(competition: Competition) -> bool:
    return not assessment_problems(competition)


def _need_open(competition: Competition) -> None:
    """The assessment is kept under review until the contract details notice confirms it (or the
    competition ends without a contract)."""
    confirmed_in_notice = db.session.execute(select(Notice.id).where(
        Notice.competition_id == competition.id, Notice.kind == "UK7", Notice.status == "published")).first()
    if competition.status in ("cancelled", "no_award") or confirmed_in_notice is not None:
        raise DomainError("This competition has finished: its conflicts assessment can no longer change.")


def _need_buyer(competition: Competition, actor) -> None:
    if actor is None or not actor.has_role(FOLLOWER_BUYER) or actor.organisation_id != competition.buyer_id:
        raise NotAllowed("Only a buyer of this competition's trust can do this.")


def reopen(competition: Competition, why: str, actor=None) -> None:
    """Keep it under review: a confirmed assessment is reopened by any change, and audited so."""
    if competition.conflicts_confirmed_at is None:
        return
    competition.conflicts_confirmed_at, competition.conflicts_confirmed_by_id = None, None
    record("conflicts.reopen", competition, summary=f"Conflicts assessment of {competition.reference} reopened: {why}",
           actor=actor)


def _sync_evaluator(competition: Competition, d: ConflictDeclaration) -> None:
    row = next((e for e in competition.evaluators if e.user_id == d.user_id), None)
    if row is None:
        return
    standing = may_score(d.has_interest, d.conflict, d.excluded)
    row.has_conflict = None if standing is None else not standing
    row.conflict_note = d.interest if d.has_interest else None
    row.declared_at = d.declared_at


def add_participant(competition: Competition, user: User, role: str, *, actor=None) -> ConflictDeclaration:
    """Add someone taking part (buyer, approver, adviser; evaluators join when chosen)."""
    _need_open(competition)
    if role not in ROLES:
        raise DomainError("Choose the person's part in the procurement.", field="role")
    if user.organisation_id != competition.buyer_id or not user.active:
        raise DomainError("Choose a person of your organisation.", field="user")
    existing = declaration_of(competition, user)
    if existing is not None:
        raise DomainError(f"{user.name} already takes part, as {ROLES[existing.role].lower()}.", field="user")
    d = ConflictDeclaration(competition_id=competition.id, user_id=user.id, role=role, added_at=clock.now())
    db.session.add(d)
    record("conflicts.add", d, after={"user_id": user.id, "role": role}, actor=actor,
           summary=f"{user.name} takes part in {competition.reference} as {ROLES[role].lower()}")
    reopen(competition, f"{user.name} joined", actor)
    return d


def sync_participants(competition: Competition, *, actor=None) -> None:
    """Evaluators take part as such; the buyer who made the competition takes part as a buyer.
    A removed evaluator's row goes unless it records an interest (the record stays)."""
    rows = {d.user_id: d for d in declarations(competition)}
    evaluator_ids = {e.user_id for e in competition.evaluators}
    for e in competition.evaluators:
        if e.user_id not in rows:
            add_participant(competition, e.user, "evaluator", actor=actor)
        else:
            _sync_evaluator(competition, rows[e.user_id])
    for user_id, d in rows.items():
        if d.role == "evaluator" and user_id not in evaluator_ids and not d.has_interest:
            db.session.delete(d)
            record("conflicts.remove", competition, after={"user_id": user_id}, actor=actor,
                   summary=f"{d.user.name} no longer takes part in {competition.reference}")
    creator = competition.created_by
    if creator is not None and creator.organisation_id == competition.buyer_id and creator.id not in rows \
            and creator.id not in evaluator_ids:
        add_participant(competition, creator, "buyer", actor=actor)


def declare(competition: Competition, user: User, *, has_interest: bool, interest: str = "",
            actor=None) -> ConflictDeclaration:
    """A participant declares their interests (or a buyer records the declaration on their behalf).
    A declared interest is never taken back by a later "none"; any declaration reopens the assessment."""
    _need_open(competition)
    d = declaration_of(competition, user)
    if d is None:
        raise NotAllowed("You do not take part in this procurement.")
    if actor is not None and actor.id != user.id:
        _need_buyer(competition, actor)
    if d.has_interest and not has_interest:
        raise DomainError("An interest already declared stays on the record: add to it instead.", field="has_interest")
    if d.has_interest is False and not has_interest:
        raise DomainError("You have already declared that you have no interest to declare.", field="has_interest")
    text = clean_text(interest, "interest", "the interest", required=has_interest)
    before = {"has_interest": d.has_interest, "interest": d.interest}
    d.has_interest, d.interest = has_interest, text or None
    d.declared_at, d.declared_by_id = clock.now(), getattr(actor, "id", None)
    d.conflict, d.mitigation, d.excluded, d.assessed_at, d.assessed_by_id = None, None, False, None, None
    _sync_evaluator(competition, d)
    who = "" if actor is None or actor.id == user.id else f" (recorded by {actor.name})"
    record("conflicts.declare", d, before=before, after={"has_interest": has_interest, "interest": d.interest},
           actor=actor, summary=f"{user.name} declared {'an interest' if has_interest else 'no interest'} on "
                                f"{competition.reference}{who}")
    reopen(competition, f"{user.name} declared", actor)
    return d


def assess(d: ConflictDeclaration, *, conflict: bool, mitigation: str = "", exclude: bool = False,
           actor) -> ConflictDeclaration:
    """The buyer assesses a declared interest: a conflict of interest or not; if it is, how it is
    mitigated (s82), which may be excluding the person (an excluded evaluator does not score)."""
    competition = db.session.get(Competition, d.competition_id)
    _need_open(competition)
    _need_buyer(competition, actor)
    if not d.has_interest:
        raise DomainError("Only a declared interest is assessed.")
    text = clean_text(mitigation, "mitigation", "how the conflict is mitigated", required=conflict)
    before = {"conflict": d.conflict, "mitigation": d.mitigation, "excluded": d.excluded}
    d.conflict, d.mitigation, d.excluded = conflict, text or None, bool(conflict and exclude)
    d.assessed_at, d.assessed_by_id = clock.now(), actor.id
    _sync_evaluator(competition, d)
    record("conflicts.assess", d, before=before, after={"conflict": conflict, "mitigation": d.mitigation,
                                                        "excluded": d.excluded}, actor=actor,
           summary=f"Assessed {d.user.name}'s interest on {competition.reference}: "
                   + ("a conflict, " + ("excluded" if d.excluded else "mitigated") if conflict else "no conflict"))
    reopen(competition, f"{d.user.name}'s interest assessed", actor)
    return d


def confirm(competition: Competition, *, actor) -> Competition:
    """A buyer confirms the assessment complete (everyone declared, every interest assessed)."""
    _need_open(competition)
    _need_buyer(competition, actor)
    if not ready_to_confirm(_facts(declarations(competition))):
        raise DomainError("The assessment is not complete: " + " ".join(
            problems(_facts(declarations(competition)), confirmed=True)))
    if competition.conflicts_confirmed_at is not None:
        raise DomainError("The conflicts assessment is already confirmed.")
    competition.conflicts_confirmed_at, competition.conflicts_confirmed_by_id = clock.now(), actor.id
    record("conflicts.confirm", competition, after={"participants": len(declarations(competition))}, actor=actor,
           summary=f"Conflicts assessment of {competition.reference} confirmed")
    return competition


def evaluator_standing(competition: Competition, user) -> CompetitionEvaluator | None:
    return next((e for e in competition.evaluators if user is not None and e.user_id == user.id), None)
