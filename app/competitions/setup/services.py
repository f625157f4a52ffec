"""Setting up a competition in draft and publishing it: details, questions and weights, the
timetable, invitees and evaluators. Each service checks the rules, changes state, audits and
flushes; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import select

from app import signals
from app.accounts.models import User
from app.accounts.roles import EVALUATOR, EXEMPLAR_MANAGER
from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db
from app.registry.models import Lot, Membership, Organisation

from .. import calendar, clock, scoring
from ..award.rules import StandstillChoice, default_days, standstill_problem
from ..conflicts.services import sync_participants
from ..models import Competition, CompetitionCriterion, CompetitionEvaluator, Invitation
from ..notifications.services import notify, org_users
from ..queries import is_admitted
from ..rules import MAX_TEXT, clean_text
from ..state import transition


def _need_draft(competition: Competition) -> None:
    if competition.status != "draft":
        raise DomainError("Only a draft competition can be changed. Once published, the terms are fixed "
                          "so that every invitee bids on the same terms.")


def _money(pence: int | None, field: str) -> int | None:
    if pence is not None and (not isinstance(pence, int) or pence < 0):
        raise DomainError("Enter an amount of £0 or more.", field=field)
    return pence


def eligible_exemplars(lot: Lot, exclude_org_id: int | None = None) -> list[Organisation]:
    """The trusts admitted to the lot now (the only ones who may be invited or bid)."""
    stmt = (select(Organisation).join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.lot_id == lot.id, Membership.status == "admitted").order_by(Organisation.name))
    if exclude_org_id is not None:
        stmt = stmt.where(Organisation.id != exclude_org_id)
    return list(db.session.execute(stmt).unique().scalars())


def create_competition(*, buyer: Organisation, lot: Lot, title: str, requirement: str, actor=None,
                       budget_pence: int | None = None, project=None) -> Competition:
    """Start a draft competition on a lot, with the framework's defaults: every framework criterion
    as a question with equal weights, the middle of the allowed quality range, the default
    timetable; and, from a shortlist, its admitted exemplars as invitees."""
    framework = lot.framework
    if framework.status != "live":
        raise DomainError("Call-off competitions can be run only under a live framework.", field="lot")
    if buyer.kind != "trust":
        raise DomainError("Only an NHS trust can run a call-off competition.")
    if project is not None and project.organisation_id != buyer.id:
        raise DomainError("That shortlist belongs to another organisation.")
    quality = (framework.quality_weight_min + framework.quality_weight_max) // 2
    competition = Competition(
        title=clean_text(title, "title", "a title")[:200], requirement=clean_text(requirement, "requirement", "the requirement"),
        buyer=buyer, lot=lot, project=project, created_by_id=getattr(actor, "id", None),
        budget_pence=_money(budget_pence, "budget"), quality_weight=quality, price_weight=100 - quality,
        clarification_days=framework.clarification_days, response_days=framework.response_days,
        standstill_days=default_days(framework.standstill_rule, framework.standstill_days), status="draft",
    )
    criteria = list(framework.criteria)
    if criteria:
        shares = _split(quality, len(criteria))
        competition.criteria = [CompetitionCriterion(framework_criterion_id=c.id, position=i, weight=w,
                                                     question=c.description or "")
                                for i, (c, w) in enumerate(zip(criteria, shares))]
    db.session.add(competition)
    if project is not None:
        seen = set()
        for entry in project.entries:
            org_id = entry.offer.organisation_id
            if org_id in seen or org_id == buyer.id or not is_admitted(lot.id, org_id):
                continue
            seen.add(org_id)
            competition.invitations.append(Invitation(organisation_id=org_id, offer_version_id=entry.offer_version_id))
    record("competition.create", competition, after=snapshot(competition),
           summary=f"Draft competition {competition.title!r} on {lot.framework.name} {lot.label}", actor=actor)
    sync_participants(competition, actor=actor)
    return competition


def _split(total: int, n: int) -> list[int]:
    """`total` split into n whole shares that differ by at most 1 and add up to total."""
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def update_details(competition: Competition, *, title: str, requirement: str, budget_pence: int | None,
                   actor=None) -> Competition:
    """Change the title, requirement and budget of a draft."""
    _need_draft(competition)
    before = snapshot(competition)
    competition.title = clean_text(title, "title", "a title")[:200]
    competition.requirement = clean_text(requirement, "requirement", "the requirement")
    competition.budget_pence = _money(budget_pence, "budget")
    record("competition.update", competition, before=before, after=snapshot(competition),
           summary=f"Updated the details of {competition.reference}", actor=actor)
    return competition


@dataclass(frozen=True)
class QuestionChoice:
    """One framework criterion picked as a question: its weight and the refined question text."""

    framework_criterion_id: int
    weight: int
    question: str = ""


def set_method(competition: Competition, *, questions: list[QuestionChoice], price_weight: int, scale_max: int,
               threshold_percent: int, abnormally_low_percent: int, actor=None) -> Competition:
    """Pick and weight the framework's criteria (never add others) and set the scoring method."""
    _need_draft(competition)
    framework = competition.framework
    allowed = {c.id for c in framework.criteria}
    if any(q.framework_criterion_id not in allowed for q in questions):
        raise DomainError("A competition may use only its framework's award criteria.", field="questions")
    if len({q.framework_criterion_id for q in questions}) != len(questions):
        raise DomainError("Each criterion may be used once.", field="questions")
    problems = scoring.weight_problems([q.weight for q in questions], price_weight,
                                       framework.quality_weight_min, framework.quality_weight_max)
    if problems:
        raise DomainError(" ".join(problems), field="price_weight")
    if scale_max not in scoring.SCALES:
        raise DomainError("Choose one of the published scales.", field="scale_max")
    if not 0 <= threshold_percent <= 100:
        raise DomainError("The threshold must be a percentage from 0 to 100.", field="threshold_percent")
    if not 1 <= abnormally_low_percent <= 90:
        raise DomainError("The abnormally low price margin must be from 1 to 90%.", field="abnormally_low_percent")
    before = {"questions": [(c.framework_criterion_id, c.weight) for c in competition.criteria],
              **{k: getattr(competition, k) for k in ("price_weight", "scale_max", "threshold_percent",
                                                      "abnormally_low_percent")}}
    competition.criteria = []
    db.session.flush()
    competition.criteria = [CompetitionCriterion(framework_criterion_id=q.framework_criterion_id, position=i,
                                                 weight=q.weight, question=(q.question or "").strip()[:MAX_TEXT])
                            for i, q in enumerate(questions)]
    competition.quality_weight = 100 - price_weight
    competition.price_weight = price_weight
    competition.scale_max, competition.threshold_percent = scale_max, threshold_percent
    competition.abnormally_low_percent = abnormally_low_percent
    record("competition.method", competition, before=before,
           after={"questions": [(q.framework_criterion_id, q.weight) for q in questions], "price_weight": price_weight,
                  "scale_max": scale_max, "threshold_percent": threshold_percent,
                  "abnormally_low_percent": abnormally_low_percent},
           summary=f"Set the questions, weights and scoring method of {competition.reference}", actor=actor)
    return competition


def standstill_choice(competition: Competition, days: int | None = None, reason: str | None = None) -> StandstillChoice:
    framework = competition.framework
    return StandstillChoice(framework.standstill_rule, framework.standstill_days,
                            competition.standstill_days if days is None else days,
                            (competition.standstill_reason if reason is None else reason) or "")


def set_timetable(competition: Competition, *, clarification_days: int, response_days: int, standstill_days: int,
                  deadline_time: time | None = None, standstill_reason: str | None = None, actor=None) -> Competition:
    """Set the periods in working days (the framework's are the defaults), the deadline time and
    the voluntary standstill: the framework's default, or — where it allows — shorter or none, with
    the reason."""
    _need_draft(competition)
    if not 1 <= response_days <= 120:
        raise DomainError("The response period must be from 1 to 120 working days.", field="response_days")
    if not 0 <= clarification_days < response_days:
        raise DomainError("The clarification period must be shorter than the response period.",
                          field="clarification_days")
    if not 0 <= standstill_days <= 60:
        raise DomainError("The standstill period must be from 0 to 60 working days.", field="standstill_days")
    reason = (standstill_reason or "").strip()[:MAX_TEXT]
    problem = standstill_problem(standstill_choice(competition, standstill_days, reason))
    if problem:
        raise DomainError(problem, field="standstill_reason" if "reason" in problem else "standstill_days")
    before = snapshot(competition)
    competition.clarification_days, competition.response_days = clarification_days, response_days
    competition.standstill_days = standstill_days
    competition.standstill_reason = reason if standstill_days < competition.framework.standstill_days else None
    if deadline_time is not None:
        if not time(8, 0) <= deadline_time <= time(17, 0):
            raise DomainError("Deadlines fall in working hours: from 8am to 5pm.", field="deadline_time")
        competition.deadline_time = deadline_time.strftime("%H:%M")
    record("competition.timetable", competition, before=before, after=snapshot(competition),
           summary=f"Set the timetable of {competition.reference}", actor=actor)
    return competition


def set_invitees(competition: Competition, *, organisation_ids: list[int], justification: str | None = None,
                 actor=None) -> Competition:
    """Choose the exemplars to invite: admitted members of the lot only (never the buyer)."""
    _need_draft(competition)
    eligible = {o.id for o in eligible_exemplars(competition.lot, competition.buyer_id)}
    wanted = list(dict.fromkeys(organisation_ids))
    if any(i not in eligible for i in wanted):
        raise DomainError("Only exemplars admitted to this lot can be invited.", field="invitees")
    before = sorted(i.organisation_id for i in competition.invitations)
    keep = {i.organisation_id: i for i in competition.invitations}
    competition.invitations = [keep.get(i) or Invitation(organisation_id=i) for i in wanted]
    competition.invitee_justification = (justification or "").strip()[:MAX_TEXT] or None
    record("competition.invitees", competition, before={"invitees": before},
           after={"invitees": sorted(wanted), "justification": competition.invitee_justification},
           summary=f"Chose {len(wanted)} exemplar(s) to invite to {competition.reference}", actor=actor)
    return competition


def evaluator_candidates(competition: Competition) -> list[User]:
    """The buyer organisation's people who hold the evaluator role."""
    return org_users(competition.buyer_id, EVALUATOR)


def set_evaluators(competition: Competition, *, user_ids: list[int], actor=None) -> Competition:
    """Choose the evaluators: people of the buyer's organisation with the evaluator role.
    Allowed until the evaluation starts."""
    if competition.effective_status() not in ("draft", "published", "clarification", "open", "closed"):
        raise DomainError("Evaluators cannot change once the evaluation has started.")
    candidates = {u.id for u in evaluator_candidates(competition)}
    wanted = list(dict.fromkeys(user_ids))
    if any(i not in candidates for i in wanted):
        raise DomainError("Evaluators must be people of your organisation with the evaluator role.",
                          field="evaluators")
    before = sorted(e.user_id for e in competition.evaluators)
    keep = {e.user_id: e for e in competition.evaluators}
    competition.evaluators = [keep.get(i) or CompetitionEvaluator(user_id=i) for i in wanted]
    record("competition.evaluators", competition, before={"evaluators": before}, after={"evaluators": sorted(wanted)},
           summary=f"Chose {len(wanted)} evaluator(s) for {competition.reference}", actor=actor)
    db.session.flush()
    db.session.refresh(competition, ["evaluators"])
    sync_participants(competition, actor=actor)  # they take part: the conflicts assessment covers them
    return competition


def publication_problems(competition: Competition) -> list[str]:
    """What stops a draft from being published (empty when it is ready)."""
    problems = []
    framework = competition.framework
    if framework.status != "live":
        problems.append("The framework is not live.")
    problems += scoring.weight_problems([c.weight for c in competition.criteria], competition.price_weight,
                                        framework.quality_weight_min, framework.quality_weight_max)
    invited = [i for i in competition.invitations if is_admitted(competition.lot_id, i.organisation_id)]
    if len(invited) != len(competition.invitations):
        problems.append("Some invitees are no longer admitted to the lot: choose the invitees again.")
    eligible = len(eligible_exemplars(competition.lot, competition.buyer_id))
    required = framework.min_invitees
    if not invited:
        problems.append("Invite at least one exemplar.")
    elif len(invited) < required:
        if eligible >= required:
            problems.append(f"Invite at least {required} exemplars: {eligible} are admitted to this lot.")
        elif not competition.invitee_justification:
            problems.append(f"The framework asks for {required} invitees and only {eligible} are eligible: "
                            "record why fewer are invited.")
    if not competition.evaluators:
        problems.append("Choose at least one evaluator.")
    standstill = standstill_problem(standstill_choice(competition))
    if standstill:
        problems.append(standstill + " Change the timetable.")
    return problems


def publish(competition: Competition, *, actor=None) -> Competition:
    """Publish: fix the deadlines in working days from now (at the deadline time, London) and send
    the invitations."""
    problems = publication_problems(competition)
    if competition.status == "draft" and problems:
        raise DomainError(" ".join(problems))
    now = clock.now()
    at = competition.deadline_clock
    clarification = (calendar.deadline_after(now, competition.clarification_days, at)
                     if competition.clarification_days else None)
    response = calendar.deadline_after(now, competition.response_days, at)
    transition(competition, "publish", actor=actor, now=now, published_at=now,
               clarification_deadline=clarification, response_deadline=response,
               summary=f"Published {competition.reference} and invited {len(competition.invitations)} exemplar(s)")
    # The clock may already have moved it on (published → clarification or open): write that now.
    from ..state import sync_status

    sync_status(competition, now)
    for inv in competition.invitations:
        notify(org_users(inv.organisation_id, EXEMPLAR_MANAGER),
               f"Invitation to bid: {competition.title}",
               f"{competition.buyer.display_name} invites you to bid in call-off competition {competition.reference} "
               f"on {competition.lot.framework.name}, {competition.lot.label}. Responses are due by the deadline "
               "shown on the competition page.",
               link=f"/competitions/{competition.id}", competition=competition, kind="competition_invitation")
    return competition


@signals.project_competitions.connect
def competitions_of_project(project, **_kw) -> list[tuple[int, str]]:
    """The competitions run from a buyer's project, for the project's outcome (app.offers asks by
    the signal; it may not import the competitions)."""
    return [(c.id, f"{c.reference}: {c.title} ({c.status})") for c in db.session.execute(
        select(Competition).where(Competition.project_id == project.id).order_by(Competition.id)).unique().scalars()]
