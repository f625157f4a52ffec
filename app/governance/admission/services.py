"""Admission of exemplars: the framework's criteria, a trust's application, the assessment and the
decision. Membership status changes go through app.registry.services (which writes the
MembershipEvent, the audit entry and the membership_changed signal); these services keep the
application's detail. Each checks the rules, records the audit entry and flushes; never commits."""
from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.permissions import can
from app.governance import notices
from app.audit.services import record, snapshot
from app.documents import services as docs
from app.errors import DomainError, NotAllowed, Problems
from app.extensions import db
from app.models_base import utcnow
from app.registry import services as registry
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation

from ..vocab import ASSESSMENTS, CRITERION_KINDS, DEFAULT_CRITERIA
from .models import (AdmissionAnswer, AdmissionApplication, AdmissionCriterion, AdmissionLink, AdmissionSystem,
                     ApplicationDocument)
from .rules import AssessmentFact, answer_problem, membership_decision_problem

MAX_LINKS = 20


# --- criteria ---------------------------------------------------------------------------------

def active_criteria(framework: Framework) -> list[AdmissionCriterion]:
    """The criteria applicants to this framework answer now, in order."""
    return list(db.session.execute(
        select(AdmissionCriterion).where(AdmissionCriterion.framework_id == framework.id,
                                         AdmissionCriterion.active.is_(True))
        .order_by(AdmissionCriterion.position, AdmissionCriterion.id)
    ).scalars())


def _check_criterion(framework: Framework, name: str, kind: str, minimum: int | None, exclude_id: int | None) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError("Enter the criterion.", field="name")
    if kind not in CRITERION_KINDS:
        raise DomainError("Choose how the criterion is answered.", field="kind")
    if minimum is not None and (kind != "number" or minimum < 0):
        raise DomainError("Only a criterion answered with a number can have a minimum, of 0 or more.",
                          field="minimum")
    clash = select(AdmissionCriterion.id).where(AdmissionCriterion.framework_id == framework.id,
                                                func.lower(AdmissionCriterion.name) == name.lower())
    if exclude_id is not None:
        clash = clash.where(AdmissionCriterion.id != exclude_id)
    if db.session.execute(clash).first() is not None:
        raise DomainError("This framework already has a criterion with this name.", field="name")
    return name


def add_criterion(framework: Framework, *, name: str, description: str = "", kind: str = "text",
                  minimum: int | None = None, actor=None) -> AdmissionCriterion:
    """Add an admission criterion to a framework (asked of every later applicant)."""
    name = _check_criterion(framework, name, kind, minimum, None)
    position = db.session.scalar(select(func.coalesce(func.max(AdmissionCriterion.position), -1))
                                 .where(AdmissionCriterion.framework_id == framework.id)) + 1
    criterion = AdmissionCriterion(framework_id=framework.id, position=position, name=name,
                                   description=(description or "").strip(), kind=kind, minimum=minimum)
    db.session.add(criterion)
    record("admission_criterion.create", criterion, after=snapshot(criterion),
           summary=f"Added admission criterion ‘{name}’ to {framework.name}", actor=actor)
    return criterion


def update_criterion(criterion: AdmissionCriterion, *, name: str, description: str, kind: str,
                     minimum: int | None, actor=None) -> AdmissionCriterion:
    """Change a criterion. Answers already given keep the name they answered."""
    before = snapshot(criterion)
    criterion.name = _check_criterion(criterion.framework, name, kind, minimum, criterion.id)
    criterion.description = (description or "").strip()
    criterion.kind, criterion.minimum = kind, minimum
    record("admission_criterion.update", criterion, before=before, after=snapshot(criterion),
           summary=f"Updated admission criterion ‘{criterion.name}’", actor=actor)
    return criterion


def set_criterion_active(criterion: AdmissionCriterion, active: bool, *, actor=None) -> AdmissionCriterion:
    """Retire a criterion (no longer asked; past answers kept) or bring it back."""
    if criterion.active == active:
        raise DomainError("This criterion is already " + ("in use." if active else "retired."))
    before = snapshot(criterion)
    criterion.active = active
    record("admission_criterion." + ("restore" if active else "retire"), criterion, before=before,
           after=snapshot(criterion),
           summary=f"{'Restored' if active else 'Retired'} admission criterion ‘{criterion.name}’", actor=actor)
    return criterion


def add_default_criteria(framework: Framework, *, actor=None) -> list[AdmissionCriterion]:
    """Add the standard criteria (digital maturity, modules live, clinical safety officer, go-lives,
    capacity) that the framework does not already have."""
    have = {n.lower() for n in db.session.execute(
        select(AdmissionCriterion.name).where(AdmissionCriterion.framework_id == framework.id)).scalars()}
    return [add_criterion(framework, name=name, description=desc, kind=kind, minimum=minimum, actor=actor)
            for name, desc, kind, minimum in DEFAULT_CRITERIA if name.lower() not in have]


# --- applications -----------------------------------------------------------------------------

def live_deployments(organisation: Organisation) -> list[Deployment]:
    """The systems a trust runs live now, from its deployments (historical rows excluded)."""
    return list(db.session.execute(
        select(Deployment).where(Deployment.organisation_id == organisation.id, Deployment.status == "live",
                                 Deployment.historical.is_(False)).order_by(Deployment.id)
    ).unique().scalars())


def open_application(lot: Lot, organisation: Organisation) -> AdmissionApplication | None:
    return db.session.execute(
        select(AdmissionApplication).where(AdmissionApplication.lot_id == lot.id,
                                           AdmissionApplication.organisation_id == organisation.id,
                                           AdmissionApplication.status == "submitted")
    ).unique().scalar_one_or_none()


_MEMBER_REFUSALS = {
    "applied": "Your trust has already applied to this lot; wait for the decision.",
    "admitted": "Your trust is already an exemplar on this lot.",
    "suspended": "Your trust is suspended from this lot: the commercial team decides on reinstatement.",
    "removed": "Your trust was removed from this lot and cannot apply again.",
}


def application_problem(lot: Lot, organisation: Organisation) -> str | None:
    """Why this trust cannot apply to this lot now, or None."""
    if lot.framework.status != "open":
        return "Applications are accepted only while the framework is open for applications."
    if organisation.kind != "trust":
        return "Only NHS trusts can apply to be exemplars."
    if open_application(lot, organisation) is not None:
        return _MEMBER_REFUSALS["applied"]
    member = registry.find_membership(lot, organisation)
    if member is not None and member.status in _MEMBER_REFUSALS:
        return _MEMBER_REFUSALS[member.status]
    if not active_criteria(lot.framework):
        return "This framework has no admission criteria yet. The commercial team must set them first."
    return None


def _clean_links(links: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned = []
    for title, url in links:
        url = (url or "").strip()
        title = (title or "").strip() or url
        if not url.lower().startswith(("https://", "http://")) or " " in url or len(url) > 2000:
            raise DomainError(f"‘{url[:60]}’ is not a web address: links start with https://", field="links")
        cleaned.append((title[:200], url))
    if len(cleaned) > MAX_LINKS:
        raise DomainError(f"Give at most {MAX_LINKS} links.", field="links")
    return cleaned


def answer_problems(lot: Lot, organisation: Organisation, answers: dict[int, str], system_ids: list[int],
                    capacity_followers: int | None, links) -> list[tuple[str | None, str]]:
    """Every problem with an application's content at once, as (field, message): each criterion's
    answer, the systems, the capacity and the links, so the form shows them all together."""
    problems = Problems()
    for c in active_criteria(lot.framework):
        msg = answer_problem(c.kind, answers.get(c.id))
        if msg:
            problems.add(f"{c.name}: {msg[0].lower()}{msg[1:]}.", f"answer_{c.id}")
    live = {d.system_id for d in live_deployments(organisation)}
    chosen = list(dict.fromkeys(system_ids))
    if not live:
        problems.add("The register shows no system live at your trust. Ask the commercial team to "
                     "record your live systems before applying.", "systems")
    elif not chosen:
        problems.add("Choose the live systems your application is about.", "systems")
    elif any(s not in live for s in chosen):
        problems.add("Choose only systems your trust runs live.", "systems")
    if capacity_followers is not None and capacity_followers < 0:
        problems.add("Capacity must be 0 or more follower trusts.", "capacity_followers")
    try:
        _clean_links(list(links))
    except DomainError as e:
        problems.items += e.problems
    return problems.items


def submit_application(lot: Lot, organisation: Organisation, *, answers: dict[int, str], system_ids: list[int],
                       links: list[tuple[str, str]] = (), statement: str = "",
                       capacity_followers: int | None = None, actor=None) -> AdmissionApplication:
    """A trust applies to join a lot: answers to every active criterion, the live systems it runs
    (from its deployments), evidence as links. The membership becomes "applied" in the register."""
    if actor is not None and not can(actor, "governance.apply", organisation):
        raise NotAllowed("Only your own trust's exemplar managers and follower buyers can apply for it.")
    problem = application_problem(lot, organisation)
    if problem:
        raise DomainError(problem)
    problems = Problems()
    problems.items = answer_problems(lot, organisation, answers, system_ids, capacity_followers, links)
    problems.raise_if_any()
    criteria = active_criteria(lot.framework)
    live = {d.system_id: d for d in live_deployments(organisation)}
    chosen = list(dict.fromkeys(system_ids))
    clean_links = _clean_links(list(links))

    membership = registry.apply_to_lot(
        lot, organisation, actor=actor,
        reason=f"Application to {lot.framework.name} {lot.label} submitted.",
        evidence="\n".join(url for _, url in clean_links) or None)
    application = AdmissionApplication(
        lot=lot, organisation=organisation, membership=membership, status="submitted",
        statement=(statement or "").strip(), capacity_followers=capacity_followers,
        submitted_by_id=getattr(actor, "id", None), submitted_at=utcnow())
    for i, c in enumerate(criteria):
        application.answers.append(AdmissionAnswer(criterion=c, criterion_name=c.name, position=i,
                                                   answer=answers[c.id].strip()))
    for sid in chosen:
        application.systems.append(AdmissionSystem(system_id=sid, live_since=live[sid].since))
    for title, url in clean_links:
        application.links.append(AdmissionLink(title=title, url=url))
    db.session.add(application)
    record("admission.submit", application, after={
        **snapshot(application), "answers": {c.name: answers[c.id].strip() for c in criteria},
        "systems": [live[s].system.name for s in chosen], "links": [u for _, u in clean_links]},
        summary=f"{organisation.ods_code} applied to {lot.framework.name} {lot.label}", actor=actor)
    return application


def assess(application: AdmissionApplication, assessments: dict[int, tuple[str | None, str | None]], *,
           actor=None) -> AdmissionApplication:
    """Record the commercial team's view of each criterion: met or not met, with a comment (a
    comment is required when a criterion is not met). Keyed by answer id; None leaves it open."""
    if not application.is_open:
        raise DomainError("This application has been decided; its assessment can no longer change.")
    by_id = {a.id: a for a in application.answers}
    if set(assessments) - set(by_id):
        raise DomainError("The assessment names a criterion this application did not answer.")
    before = {a.criterion_name: [a.assessment, a.assessment_comment] for a in application.answers}
    now = utcnow()
    problems = Problems()
    for answer_id, (verdict, comment) in assessments.items():
        name, comment = by_id[answer_id].criterion_name, (comment or "").strip()
        if verdict is None and comment:
            problems.add(f"{name}: choose met or not met for your comment.", f"assessment_{answer_id}")
        elif verdict is not None and verdict not in ASSESSMENTS:
            problems.add(f"{name}: choose met or not met.", f"assessment_{answer_id}")
        elif verdict == "not_met" and not comment:
            problems.add(f"{name}: say why it is not met; the trust will see it.", f"comment_{answer_id}")
    problems.raise_if_any()  # every criterion's problem at once
    for answer_id, (verdict, comment) in assessments.items():
        answer = by_id[answer_id]
        comment = (comment or "").strip() or None
        if verdict is None:
            continue
        if (answer.assessment, answer.assessment_comment) != (verdict, comment):
            answer.assessment, answer.assessment_comment = verdict, comment
            answer.assessed_by_id, answer.assessed_at = getattr(actor, "id", None), now
    after = {a.criterion_name: [a.assessment, a.assessment_comment] for a in application.answers}
    record("admission.assess", application, before=before, after=after,
           summary=f"Assessed the application of {application.organisation.ods_code} to {application.lot.label}",
           actor=actor)
    return application


_REGISTRY_VERBS = {
    "suspend": registry.suspend_exemplar,
    "reinstate": registry.reinstate_exemplar,
    "remove": registry.remove_exemplar,
}


def decide_membership(lot: Lot, organisation: Organisation, decision: str, *, reason: str,
                      conditions: str | None = None, evidence: str | None = None, actor=None) -> Membership:
    """The one door for every decision on a trust's membership of a lot: admit, reject, suspend,
    reinstate or remove, whichever page takes it (the application's decision page, a periodic review,
    the lot's "Decide" link). It enforces the framework's admission criteria (an admission needs the
    trust's open application assessed, every criterion met), makes the application's status follow the
    decision, and changes the register through app.registry.services (the membership event, its audit
    entry and the membership_changed signal)."""
    application = open_application(lot, organisation)
    facts = None if application is None else [AssessmentFact(a.criterion_name, a.assessment)
                                              for a in application.answers]
    problem = membership_decision_problem(decision, facts, len(active_criteria(lot.framework)), reason, conditions)
    if problem:
        raise DomainError(problem, field=("reason" if "reason" in problem else
                                          "conditions" if "conditions" in problem else "decision"))
    reason = reason.strip()
    membership = registry.find_membership(lot, organisation)
    if decision in _REGISTRY_VERBS:
        if membership is None:
            raise DomainError("This trust is not an exemplar on this lot.")
        return _REGISTRY_VERBS[decision](membership, reason=reason, evidence=(conditions or "").strip() or evidence,
                                         actor=actor)
    if application is not None:
        evidence = f"Application #{application.id}; assessment: " + "; ".join(
            f"{a.criterion_name}: {ASSESSMENTS[a.assessment].lower()}" for a in application.answers)
    if decision == "admit":
        membership = registry.admit_exemplar(lot, organisation, reason=reason, evidence=evidence, actor=actor)
    else:
        membership = registry.reject_application(application.membership, reason=reason, evidence=evidence,
                                                 actor=actor)
    if application is not None:
        _close_application(application, "admitted" if decision == "admit" else "rejected", reason, actor)
    return membership


def _close_application(application: AdmissionApplication, status: str, reason: str, actor) -> None:
    """The application's status follows the membership decision taken on it."""
    before = snapshot(application)
    application.status = status
    application.decision_reason = reason
    application.decided_by_id, application.decided_at = getattr(actor, "id", None), utcnow()
    record(f"admission.{'admit' if status == 'admitted' else 'reject'}", application, before=before,
           after=snapshot(application),
           summary=f"{application.organisation.ods_code} {status} on {application.lot.label}: {reason}", actor=actor)
    notices.admission_decided(application)


def decide(application: AdmissionApplication, *, decision: str, reason: str, actor=None) -> AdmissionApplication:
    """Admit the trust to the lot, or reject its application, with a reason the trust will see
    (through decide_membership: every criterion assessed first, admission needs every one met)."""
    if not application.is_open:
        raise DomainError("This application has already been decided.")
    decide_membership(application.lot, application.organisation, decision, reason=reason, actor=actor)
    return application


# --- evidence documents -------------------------------------------------------------------------

def evidence_of(application: AdmissionApplication) -> list[ApplicationDocument]:
    return docs.links_of(ApplicationDocument, ApplicationDocument.application_id == application.id)


def add_evidence(application: AdmissionApplication, *, upload: docs.Upload, actor) -> ApplicationDocument:
    """Attach an evidence document to an application (audited with its hash; the view commits)."""
    link = ApplicationDocument(application_id=application.id, application=application,
                               series=f"evidence:{upload.judged.name.lower()}"[:200])
    return docs.attach(link, upload, actor=actor, summary=f"Added evidence {upload.judged.name} to the application of "
                                                          f"{application.organisation.display_name} to {application.lot.label}")
