"""Quarterly check-ins and the release of tranches.

The funded organisation rates each condition red, amber or green with a comment and reports
progress against milestones; the commercial team accepts the check-in or queries it (the
organisation then corrects and resubmits). A tranche is released only after an accepted check-in
in which no condition is red (funding_rules.release_blocker); the release is recorded and audited."""
from __future__ import annotations

from datetime import date, datetime, timezone

from app.accounts.permissions import can
from app.governance import notices
from app.audit.services import record, snapshot
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.models_base import utcnow
from app.web.formatting import london_date

from ..calendar import Quarter
from ..clock import london_today
from ..funding.models import FundingAgreement, FundingTranche
from .models import CheckIn, CheckInRating
from .rules import CheckInFact, check_ratings, fileable_quarter_problem, release_blocker

MAX_TEXT = 5000

Ratings = dict[int, tuple[str | None, str | None]]


def _checkin_snapshot(checkin: CheckIn) -> dict:
    return {**snapshot(checkin), "ratings": {r.condition_title: [r.rag, r.comment] for r in checkin.ratings}}


def _check_content(agreement: FundingAgreement, ratings: Ratings, milestone_progress: str) -> str:
    conditions = agreement.active_conditions
    problems = check_ratings([c.id for c in conditions], ratings)
    if problems:
        cid, message = next(iter(problems.items()))
        title = next(c.title for c in conditions if c.id == cid)
        rag = ratings.get(cid, (None, None))[0]
        # A missing rating belongs to the radios; a missing reason for red or amber to the comment box.
        raise DomainError(f"{title}: {message[0].lower() + message[1:]}.",
                          field=f"comment_{cid}" if rag in ("red", "amber") else f"rag_{cid}")
    if any(len(comment or "") > MAX_TEXT for _, comment in ratings.values()):
        raise DomainError(f"Keep each comment to {MAX_TEXT:,} characters.")
    progress = (milestone_progress or "").strip()
    if not progress:
        raise DomainError("Describe progress against your milestones.", field="milestone_progress")
    if len(progress) > MAX_TEXT:
        raise DomainError(f"Keep the progress report to {MAX_TEXT:,} characters.", field="milestone_progress")
    return progress


def _set_ratings(checkin: CheckIn, agreement: FundingAgreement, ratings: Ratings) -> None:
    """Make the check-in's ratings match the agreement's active conditions (updated in place, so
    the one-rating-per-condition unique index is never crossed mid-flush)."""
    existing = {r.condition_id: r for r in checkin.ratings}
    for position, condition in enumerate(agreement.active_conditions):
        rag, comment = ratings[condition.id]
        row = existing.pop(condition.id, None)
        if row is None:
            checkin.ratings.append(CheckInRating(condition=condition, condition_title=condition.title,
                                                 position=position, rag=rag, comment=(comment or "").strip()))
        else:
            row.condition_title, row.position, row.rag = condition.title, position, rag
            row.comment = (comment or "").strip()
    for row in existing.values():
        checkin.ratings.remove(row)


def find_checkin(agreement: FundingAgreement, quarter: Quarter) -> CheckIn | None:
    return next((c for c in agreement.checkins if c.period == quarter), None)


def submit_checkin(agreement: FundingAgreement, *, quarter: Quarter, ratings: Ratings, milestone_progress: str,
                   actor=None, today: date | None = None) -> CheckIn:
    """File a quarterly check-in: a red, amber or green rating with a comment for every condition in
    force (a comment is required for red and amber), and progress against milestones."""
    if actor is not None and not can(actor, "governance.file_checkin", agreement):
        raise NotAllowed("Only the funded organisation's exemplar managers and follower buyers file its check-ins.")
    if agreement.status != "active":
        raise DomainError("This agreement is closed: no more check-ins are expected.")
    problem = fileable_quarter_problem(quarter, first_year=agreement.first_year, years=agreement.years,
                                       today=today or london_today())
    if problem:
        raise DomainError(problem, field="quarter")
    existing = find_checkin(agreement, quarter)
    if existing is not None:
        hint = " Correct and resubmit the queried one." if existing.status == "queried" else ""
        raise DomainError(f"A check-in for {quarter.label} has already been filed.{hint}", field="quarter")
    progress = _check_content(agreement, ratings, milestone_progress)
    checkin = CheckIn(financial_year=quarter.year, quarter=quarter.number, status="submitted",
                      milestone_progress=progress, submitted_by_id=getattr(actor, "id", None), submitted_at=utcnow())
    agreement.checkins.append(checkin)
    _set_ratings(checkin, agreement, ratings)
    record("checkin.submit", checkin, after=_checkin_snapshot(checkin),
           summary=f"{agreement.organisation.ods_code} checked in for {quarter.label} on {agreement.reference} "
                   f"({checkin.reds} red)", actor=actor)
    return checkin


def resubmit_checkin(checkin: CheckIn, *, ratings: Ratings, milestone_progress: str, actor=None) -> CheckIn:
    """Correct a queried check-in and send it back for review."""
    agreement = checkin.agreement
    if actor is not None and not can(actor, "governance.file_checkin", agreement):
        raise NotAllowed("Only the funded organisation's exemplar managers and follower buyers file its check-ins.")
    if checkin.status != "queried":
        raise DomainError("Only a queried check-in can be corrected and resubmitted.")
    if agreement.status != "active":
        raise DomainError("This agreement is closed: no more check-ins are expected.")
    progress = _check_content(agreement, ratings, milestone_progress)
    before = _checkin_snapshot(checkin)
    checkin.milestone_progress, checkin.status = progress, "submitted"
    checkin.submitted_by_id, checkin.submitted_at = getattr(actor, "id", None), utcnow()
    _set_ratings(checkin, agreement, ratings)
    db.session.flush()
    record("checkin.resubmit", checkin, before=before, after=_checkin_snapshot(checkin),
           summary=f"{agreement.organisation.ods_code} resubmitted its {checkin.period.label} check-in "
                   f"on {agreement.reference}", actor=actor)
    return checkin


def review_checkin(checkin: CheckIn, *, decision: str, comment: str | None = None, actor=None) -> CheckIn:
    """The commercial team accepts a submitted check-in, or queries it with a question."""
    if checkin.status != "submitted":
        raise DomainError(f"This check-in is {checkin.status}: only a submitted check-in can be reviewed.")
    if decision not in ("accept", "query"):
        raise DomainError("Choose to accept or to query the check-in.", field="decision")
    comment = (comment or "").strip() or None
    if decision == "query" and not comment:
        raise DomainError("Say what the organisation must clarify or correct.", field="comment")
    before = _checkin_snapshot(checkin)
    checkin.status = "accepted" if decision == "accept" else "queried"
    checkin.review_comment = comment
    checkin.reviewed_by_id, checkin.reviewed_at = getattr(actor, "id", None), utcnow()
    record(f"checkin.{decision}", checkin, before=before, after=_checkin_snapshot(checkin),
           summary=f"{checkin.period.label} check-in on {checkin.agreement.reference} {checkin.status}"
                   + (f": {comment}" if comment else ""), actor=actor)
    return checkin


def _facts(agreement: FundingAgreement) -> list[CheckInFact]:
    return [CheckInFact(c.id, c.period, c.status, c.reds) for c in agreement.checkins]


def release_problem(tranche: FundingTranche) -> str | None:
    """Why this tranche cannot be released now, or None if it can."""
    agreement = tranche.agreement
    return release_blocker(
        tranche_number=tranche.number, released=tranche.is_released,
        unreleased_before=sum(1 for t in agreement.tranches if t.number < tranche.number and not t.is_released),
        agreement_active=agreement.status == "active", checkins=_facts(agreement),
        used_checkin_ids=[t.released_checkin_id for t in agreement.tranches if t.released_checkin_id])


def release_tranche(tranche: FundingTranche, *, released_on: date | None = None, actor=None,
                    today: date | None = None) -> FundingTranche:
    """Release a tranche on the strength of the latest accepted check-in, which must have no red.

    `released_on` records a payment made on an earlier day (never in the future, nor before the
    quarter of the check-in it rests on); by default the release is now."""
    problem = release_problem(tranche)
    if problem:
        raise DomainError(problem)
    agreement = tranche.agreement
    basis = max((c for c in agreement.checkins if c.status == "accepted"), key=lambda c: c.period)
    when = utcnow()
    if released_on is not None:
        if released_on > (today or london_today()):
            raise DomainError("The release date cannot be in the future.", field="released_on")
        if released_on < basis.period.starts_on:
            raise DomainError(f"The release date cannot be before the {basis.period.label} check-in's quarter "
                              f"began ({london_date(basis.period.starts_on)}).", field="released_on")
        if released_on != (today or london_today()):
            # A past day is recorded at midday UTC, which is the same date in London all year round.
            when = datetime(released_on.year, released_on.month, released_on.day, 12, tzinfo=timezone.utc)
    before = snapshot(tranche)
    tranche.released_at, tranche.released_by_id, tranche.released_checkin_id = when, getattr(actor, "id", None), basis.id
    record("funding_tranche.release", tranche, before=before, after=snapshot(tranche),
           summary=(f"Released tranche {tranche.number} of {agreement.reference} "
                    f"(£{tranche.amount_pence / 100:,.2f}) after the accepted {basis.period.label} check-in"),
           actor=actor)
    notices.tranche_released(tranche)
    return tranche
