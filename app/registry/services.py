"""Changes to the register. Each service checks the rules, changes state, records the audit entry
and flushes; the caller commits."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from app import signals
from app.audit.services import acting_user_id, record, snapshot
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow

from .models import Deployment, Framework, FrameworkCriterion, Lot, Membership, MembershipEvent, Organisation, System
from .rules import MEMBERSHIP_VERBS, check_framework_transition, check_membership_transition

FRAMEWORK_FIELDS = (
    "name", "description", "starts_on", "ends_on", "source_url", "quality_weight_min",
    "quality_weight_max", "min_invitees", "clarification_days", "response_days",
    "standstill_days", "max_calloff_months", "standstill_rule", "over_budget_may_win", "direct_award_allowed",
)


def _slug_taken(model, slug: str, exclude_id: int | None = None) -> bool:
    q = select(model.id).where(model.slug == slug)
    if exclude_id is not None:
        q = q.where(model.id != exclude_id)
    return db.session.execute(q).first() is not None


def create_framework(*, slug: str, criteria: list[str] | None = None, actor=None, **fields) -> Framework:
    """Create a framework in draft, with the award criteria its call-offs may use."""
    if _slug_taken(Framework, slug):
        raise DomainError("A framework with this short name already exists.", field="slug")
    framework = Framework(slug=slug, status="draft", **{k: fields[k] for k in FRAMEWORK_FIELDS if k in fields})
    _check_framework_values(framework)
    for i, name in enumerate(criteria or []):
        framework.criteria.append(FrameworkCriterion(position=i, name=name))
    db.session.add(framework)
    record("framework.create", framework, after=snapshot(framework), summary=f"Created framework {framework.name}", actor=actor)
    return framework


def update_framework(framework: Framework, *, actor=None, **fields) -> Framework:
    """Change a framework's details and call-off rules."""
    before = snapshot(framework)
    values = {k: fields[k] for k in FRAMEWORK_FIELDS if k in fields}
    _check_framework_values(SimpleNamespace(**{**before, **values}))  # refuse before changing anything
    for k, v in values.items():
        setattr(framework, k, v)
    record("framework.update", framework, before=before, after=snapshot(framework),
           summary=f"Updated framework {framework.name}", actor=actor)
    return framework


def _check_framework_values(f: Framework) -> None:
    if f.quality_weight_min is not None and f.quality_weight_max is not None:
        if not 0 <= f.quality_weight_min <= f.quality_weight_max <= 100:
            raise DomainError("The quality weighting range must run from a lower to a higher figure between 0 and 100.",
                              field="quality_weight_max")
    if f.starts_on and f.ends_on and f.ends_on < f.starts_on:
        raise DomainError("The end date must be on or after the start date.", field="ends_on")


def change_framework_status(framework: Framework, target: str, *, actor=None) -> Framework:
    """Move a framework along its lifecycle: draft → open → live → expired (live may reopen)."""
    check_framework_transition(framework.status, target)
    if target in ("open", "live") and not framework.lots:
        raise DomainError("Add at least one lot before opening the framework.")
    before = snapshot(framework)
    framework.status = target
    record(f"framework.{target}", framework, before=before, after=snapshot(framework),
           summary=f"Framework {framework.name} is now {target}", actor=actor)
    return framework


def add_lot(framework: Framework, *, number: int, name: str, description: str = "", actor=None) -> Lot:
    if framework.status == "expired":
        raise DomainError("An expired framework cannot gain lots.")
    if any(l.number == number for l in framework.lots):
        raise DomainError(f"Lot {number} already exists on this framework.", field="number")
    lot = Lot(number=number, name=name, description=description)
    framework.lots.append(lot)
    record("lot.create", lot, after=snapshot(lot), summary=f"Added {lot.label} to {framework.name}", actor=actor)
    return lot


def update_lot(lot: Lot, *, name: str, description: str, actor=None) -> Lot:
    before = snapshot(lot)
    lot.name, lot.description = name, description
    record("lot.update", lot, before=before, after=snapshot(lot), summary=f"Updated {lot.label}", actor=actor)
    return lot


def find_membership(lot: Lot, organisation: Organisation) -> Membership | None:
    return db.session.execute(
        select(Membership).where(Membership.lot_id == lot.id, Membership.organisation_id == organisation.id)
    ).scalar_one_or_none()


def _decide(membership: Membership | None, lot: Lot, organisation: Organisation, target: str,
            reason: str, evidence: str | None, actor, **extra) -> Membership:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give a reason for the decision.", field="reason")
    previous = membership.status if membership else None
    check_membership_transition(previous, target)
    if target in ("applied", "admitted") and lot.framework.status == "expired":
        raise DomainError("The framework has expired: no one can join it.")
    if target == "applied" and lot.framework.status != "open":
        raise DomainError("Applications are accepted only while the framework is open for applications.")
    if organisation.kind != "trust":
        raise DomainError("Only NHS trusts can be exemplars.")
    before = snapshot(membership) if membership else None
    if membership is None:
        membership = Membership(lot=lot, organisation=organisation, status=target,
                                name_at_admission=extra.get("name_at_admission") or organisation.name,
                                ods_code_at_admission=extra.get("ods_code_at_admission") or organisation.ods_code,
                                source_url=extra.get("source_url"))
        db.session.add(membership)
    membership.status = target
    membership.updated_at = utcnow()
    if target == "admitted" and membership.admitted_on is None:
        membership.admitted_on = extra.get("admitted_on") or date.today()
    membership.events.append(MembershipEvent(
        from_status=previous, to_status=target, reason=reason, evidence=evidence,
        decided_by_id=acting_user_id(actor),
    ))
    verb = "reinstate" if target == "admitted" and previous == "suspended" else MEMBERSHIP_VERBS[target]
    record(f"membership.{verb}", membership, before=before, after=snapshot(membership),
           summary=f"{organisation.ods_code} {target} on {lot.framework.name} {lot.label}: {reason}", actor=actor)
    signals.membership_changed.send(membership, membership=membership, previous=previous, actor=actor)
    signals.data_changed.send("membership")
    return membership


def admit_exemplar(lot: Lot, organisation: Organisation, *, reason: str, evidence: str | None = None,
                   actor=None, **extra) -> Membership:
    """Admit a trust to a lot (from no membership, an application, or a suspension)."""
    return _decide(find_membership(lot, organisation), lot, organisation, "admitted", reason, evidence, actor, **extra)


def apply_to_lot(lot: Lot, organisation: Organisation, *, reason: str, evidence: str | None = None, actor=None) -> Membership:
    """Record a trust's application to join a lot."""
    return _decide(find_membership(lot, organisation), lot, organisation, "applied", reason, evidence, actor)


def reject_application(membership: Membership, *, reason: str, evidence: str | None = None, actor=None) -> Membership:
    return _decide(membership, membership.lot, membership.organisation, "rejected", reason, evidence, actor)


def suspend_exemplar(membership: Membership, *, reason: str, evidence: str | None = None, actor=None) -> Membership:
    """Suspend an exemplar: out of search and open competitions at once; reinstatement is possible."""
    return _decide(membership, membership.lot, membership.organisation, "suspended", reason, evidence, actor)


def reinstate_exemplar(membership: Membership, *, reason: str, evidence: str | None = None, actor=None) -> Membership:
    if membership.status != "suspended":
        raise DomainError("Only a suspended exemplar can be reinstated.")
    return _decide(membership, membership.lot, membership.organisation, "admitted", reason, evidence, actor)


def remove_exemplar(membership: Membership, *, reason: str, evidence: str | None = None, actor=None) -> Membership:
    """Remove an exemplar from a lot for good."""
    return _decide(membership, membership.lot, membership.organisation, "removed", reason, evidence, actor)


DEPLOYMENT_FIELDS = ("status", "since", "until", "status_as_of", "source_text", "source_status_text",
                     "source_url", "confidence", "notes")


def add_deployment(organisation: Organisation, system: System, *, status: str, confidence: str,
                   actor=None, **fields) -> Deployment:
    """Record that an organisation runs, plans or ran a system."""
    if organisation.kind != "trust":
        raise DomainError("Deployments are recorded for NHS trusts.")
    values = {k: v for k, v in fields.items() if k in DEPLOYMENT_FIELDS}
    _check_deployment(SimpleNamespace(status=status, since=values.get("since"), until=values.get("until")))
    dep = Deployment(organisation=organisation, system=system, status=status, confidence=confidence, **values)
    db.session.add(dep)
    record("deployment.create", dep, after=snapshot(dep),
           summary=f"{organisation.ods_code} {status} {system.name}", actor=actor)
    signals.data_changed.send("deployment")
    return dep


def end_deployment(dep: Deployment, *, until: date, reason: str, actor=None) -> Deployment:
    """Mark a deployment as ended on a date (the system is no longer in use)."""
    if dep.status == "ended":
        raise DomainError("This deployment has already ended.")
    if not (reason or "").strip():
        raise DomainError("Give a reason for ending the deployment.", field="reason")
    _check_deployment(SimpleNamespace(status="ended", since=dep.since, until=until))
    before = snapshot(dep)
    dep.status = "ended"
    dep.until = until
    dep.notes = "\n".join(filter(None, [dep.notes, f"Ended {until.isoformat()}: {reason.strip()}"]))
    record("deployment.end", dep, before=before, after=snapshot(dep),
           summary=f"{dep.organisation.ods_code} ended {dep.system.name}: {reason}", actor=actor)
    signals.data_changed.send("deployment")
    return dep


def _check_deployment(dep: Deployment) -> None:
    if dep.since and dep.until and dep.until < dep.since:
        raise DomainError("The end date must be on or after the start date.", field="until")
    if dep.status == "live" and dep.until is not None:
        raise DomainError("A live deployment has no end date; end it instead.", field="until")


def end_partnership(partnership, *, ended_on: date, for_cause: bool, completed: bool, actor=None):
    """A partnership ends with the contract that made it: completed, or ended (for the exemplar's
    failure, which counts against its track record, or for another reason)."""
    before = snapshot(partnership)
    partnership.status = "completed" if completed else "ended"
    partnership.ended_on, partnership.ended_for_cause = ended_on, for_cause
    record("partnership.end", partnership, before=before, after=snapshot(partnership), actor=actor,
           summary=f"Partnership {partnership.id} {partnership.status} on {ended_on.isoformat()}")
    signals.data_changed.send("partnership")
    return partnership


#: The market's KPI ratings of exemplars' contracts, provided by the competitions domain at import
#: (the register knows nothing of the market): fn(exemplar ids or None) → [(exemplar id, rating)].
_rating_source = None


def provide_ratings(fn) -> None:
    global _rating_source
    _rating_source = fn


def track_records_for(exemplar_ids: list[int] | None = None):
    """Track records of exemplars from the partnerships, their milestones and how they ended, and
    the KPI ratings of their contracts (3 queries)."""
    from .models import Partnership, PartnershipMilestone
    from .track_record import MilestoneFact, track_records

    p_stmt = select(Partnership.exemplar_id, Partnership.follower_id, Partnership.ended_for_cause)
    m_stmt = select(Partnership.exemplar_id, PartnershipMilestone.partnership_id, PartnershipMilestone.kind,
                    PartnershipMilestone.planned_on, PartnershipMilestone.actual_on).join(
        Partnership, Partnership.id == PartnershipMilestone.partnership_id)
    if exemplar_ids is not None:
        p_stmt = p_stmt.where(Partnership.exemplar_id.in_(exemplar_ids))
        m_stmt = m_stmt.where(Partnership.exemplar_id.in_(exemplar_ids))
    rows = db.session.execute(p_stmt).all()
    facts = [MilestoneFact(*row) for row in db.session.execute(m_stmt).all()]
    ratings = _rating_source(exemplar_ids) if _rating_source is not None else []
    return track_records([(e, f) for e, f, _ in rows], facts, ratings=ratings,
                         ended_for_cause=[e for e, _, cause in rows if cause])
