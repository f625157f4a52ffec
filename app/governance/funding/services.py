"""Funding agreements: amounts, yearly profile, tranches and conditions.

Totals always add up: the yearly profile adds up to central + local (central and local
separately), the tranches to the central amount (see funding_rules.check_agreement). Each service
checks the rules, records the audit entry and flushes; the caller commits."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import Organisation

from .models import AgreementCondition, FundingAgreement, FundingProgramme, FundingTranche, FundingYear
from .rules import TrancheFact, YearAmounts, check_agreement

#: Light-touch oversight: about ten conditions, never a hundred.
MAX_CONDITIONS = 15
REFERENCE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


@dataclass(frozen=True)
class PlannedTranche:
    planned_on: date
    amount: int


def _raise_first(problems) -> None:
    if problems:
        raise DomainError(problems[0].message, field=problems[0].field)


def agreement_snapshot(agreement: FundingAgreement) -> dict:
    """The agreement with its profile and tranches, for the audit log."""
    return {**snapshot(agreement),
            "profile": [[y.year_index, y.central_pence, y.local_pence] for y in agreement.profile],
            "tranches": [[t.number, t.planned_on, t.amount_pence, t.released_at is not None] for t in agreement.tranches]}


def suggest_reference(programme: FundingProgramme, organisation: Organisation, first_year: int) -> str:
    """A free reference such as FRONTLINE-PRODUCTIVITY-RBL-2025 (with -2, -3 … if taken)."""
    base = f"{programme.slug.upper()}-{organisation.ods_code.upper()}-{first_year}"
    taken = set(db.session.execute(select(FundingAgreement.reference)
                                   .where(FundingAgreement.reference.like(base + "%"))).scalars())
    n, ref = 1, base
    while ref in taken:
        n += 1
        ref = f"{base}-{n}"
    return ref


def _check_fields(*, organisation: Organisation, title: str, reference: str, exclude_id: int | None) -> tuple[str, str]:
    if organisation.kind not in ("trust", "icb"):
        raise DomainError("Funding agreements are made with NHS trusts and integrated care boards.",
                          field="organisation")
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter a title for the agreement.", field="title")
    reference = (reference or "").strip().upper()
    if not REFERENCE.match(reference) or len(reference) > 40:
        raise DomainError("The reference uses capital letters, numbers and hyphens, like GDE-RBL-2017.",
                          field="reference")
    clash = select(FundingAgreement.id).where(FundingAgreement.reference == reference)
    if exclude_id is not None:
        clash = clash.where(FundingAgreement.id != exclude_id)
    if db.session.execute(clash).first() is not None:
        raise DomainError("Another agreement already has this reference.", field="reference")
    return title, reference


def create_agreement(*, programme: FundingProgramme, organisation: Organisation, title: str, central: int,
                     local: int, first_year: int, years: int, profile: list[YearAmounts],
                     tranches: list[PlannedTranche], reference: str | None = None,
                     conditions: list[tuple[str, str]] | None = None, source_url: str | None = None,
                     source_note: str | None = None, actor=None) -> FundingAgreement:
    """Make a funding agreement, with the programme's default conditions unless others are given."""
    reference = reference or suggest_reference(programme, organisation, first_year)
    title, reference = _check_fields(organisation=organisation, title=title, reference=reference, exclude_id=None)
    facts = [TrancheFact(i + 1, t.amount, t.planned_on) for i, t in enumerate(tranches)]
    _raise_first(check_agreement(central=central, local=local, first_year=first_year, years=years,
                                 profile=profile, tranches=facts, max_years=programme.max_years,
                                 min_match_percent=programme.min_match_percent))
    if conditions is None:
        conditions = [(c.title, c.description) for c in programme.conditions]
    if len(conditions) > MAX_CONDITIONS:
        raise DomainError(f"Keep oversight light: at most {MAX_CONDITIONS} conditions.", field="conditions")
    agreement = FundingAgreement(
        reference=reference, programme=programme, organisation=organisation, title=title, central_pence=central,
        local_pence=local, first_year=first_year, years=years, status="active",
        source_url=(source_url or "").strip() or None, source_note=(source_note or "").strip() or None)
    agreement.profile = [FundingYear(year_index=i, central_pence=y.central, local_pence=y.local)
                         for i, y in enumerate(profile)]
    agreement.tranches = [FundingTranche(number=i + 1, planned_on=t.planned_on, amount_pence=t.amount)
                          for i, t in enumerate(sorted(tranches, key=lambda t: t.planned_on))]
    agreement.conditions = [AgreementCondition(position=i, title=t, description=d or "")
                            for i, (t, d) in enumerate(conditions)]
    db.session.add(agreement)
    record("funding_agreement.create", agreement, after=agreement_snapshot(agreement),
           summary=f"Funding agreement {reference} with {organisation.ods_code}: "
                   f"£{central / 100:,.2f} central, £{local / 100:,.2f} local", actor=actor)
    return agreement


def update_agreement(agreement: FundingAgreement, *, title: str, central: int, local: int, first_year: int,
                     years: int, profile: list[YearAmounts], tranches: list[PlannedTranche],
                     source_url: str | None = None, source_note: str | None = None, actor=None) -> FundingAgreement:
    """Change an agreement's amounts, profile and unreleased tranches.

    Released tranches stay as they are; `tranches` replaces the unreleased ones. Check-ins already
    filed must stay within the funded years."""
    if agreement.status != "active":
        raise DomainError("A closed agreement cannot be changed.")
    title, _ = _check_fields(organisation=agreement.organisation, title=title, reference=agreement.reference,
                             exclude_id=agreement.id)
    released = [t for t in agreement.tranches if t.is_released]
    pending = [t for t in agreement.tranches if not t.is_released]
    facts = [TrancheFact(t.number, t.amount_pence, t.planned_on, True) for t in released]
    first_new = max((t.number for t in released), default=0) + 1
    new_sorted = sorted(tranches, key=lambda t: t.planned_on)
    facts += [TrancheFact(first_new + i, t.amount, t.planned_on) for i, t in enumerate(new_sorted)]
    _raise_first(check_agreement(central=central, local=local, first_year=first_year, years=years,
                                 profile=profile, tranches=facts, max_years=agreement.programme.max_years,
                                 min_match_percent=agreement.programme.min_match_percent))
    outside = [c.period.label for c in agreement.checkins
               if not first_year <= c.financial_year < first_year + years]
    if outside:
        raise DomainError("Check-ins have been filed for " + ", ".join(outside)
                          + ": keep those financial years in the agreement.", field="years")
    before = agreement_snapshot(agreement)
    agreement.title, agreement.central_pence, agreement.local_pence = title, central, local
    agreement.first_year, agreement.years = first_year, years
    agreement.source_url = (source_url or "").strip() or None
    agreement.source_note = (source_note or "").strip() or None
    existing = {y.year_index: y for y in agreement.profile}
    for i, y in enumerate(profile):
        row = existing.pop(i, None)
        if row is None:
            agreement.profile.append(FundingYear(year_index=i, central_pence=y.central, local_pence=y.local))
        else:
            row.central_pence, row.local_pence = y.central, y.local
    for row in existing.values():
        agreement.profile.remove(row)
    # Reuse the unreleased rows in place (their numbers are unique per agreement), then add or drop.
    for i, t in enumerate(new_sorted):
        if i < len(pending):
            pending[i].number, pending[i].planned_on, pending[i].amount_pence = first_new + i, t.planned_on, t.amount
        else:
            agreement.tranches.append(FundingTranche(number=first_new + i, planned_on=t.planned_on,
                                                     amount_pence=t.amount))
    for row in pending[len(new_sorted):]:
        agreement.tranches.remove(row)
    db.session.flush()
    db.session.expire(agreement, ["profile", "tranches"])
    record("funding_agreement.update", agreement, before=before, after=agreement_snapshot(agreement),
           summary=f"Updated funding agreement {agreement.reference}", actor=actor)
    return agreement


def close_agreement(agreement: FundingAgreement, *, reason: str, actor=None) -> FundingAgreement:
    """Close an agreement: no more check-ins are expected and no more tranches released."""
    if agreement.status == "closed":
        raise DomainError("This agreement is already closed.")
    if not (reason or "").strip():
        raise DomainError("Give a reason for closing the agreement.", field="reason")
    before = snapshot(agreement)
    agreement.status, agreement.closed_at = "closed", utcnow()
    record("funding_agreement.close", agreement, before=before, after=snapshot(agreement),
           summary=f"Closed funding agreement {agreement.reference}: {reason.strip()}", actor=actor)
    return agreement


# --- conditions ---------------------------------------------------------------------------------

def _check_condition_title(agreement: FundingAgreement, title: str, exclude_id: int | None) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError("Enter the condition.", field="title")
    if any(c.title.lower() == title.lower() and c.id != exclude_id for c in agreement.conditions):
        raise DomainError("This agreement already has a condition with this wording.", field="title")
    return title


def add_condition(agreement: FundingAgreement, *, title: str, description: str = "", actor=None) -> AgreementCondition:
    """Add a condition to an agreement (rated from the next check-in on)."""
    if agreement.status != "active":
        raise DomainError("A closed agreement cannot be changed.")
    title = _check_condition_title(agreement, title, None)
    if len(agreement.active_conditions) >= MAX_CONDITIONS:
        raise DomainError(f"Keep oversight light: an agreement carries at most {MAX_CONDITIONS} conditions "
                          "(the programmes set about ten).", field="title")
    position = max((c.position for c in agreement.conditions), default=-1) + 1
    condition = AgreementCondition(title=title, description=(description or "").strip(), position=position)
    agreement.conditions.append(condition)
    record("agreement_condition.create", condition, after=snapshot(condition),
           summary=f"Added condition ‘{title}’ to {agreement.reference}", actor=actor)
    return condition


def update_condition(condition: AgreementCondition, *, title: str, description: str, actor=None) -> AgreementCondition:
    """Reword a condition. Past ratings keep the wording they rated."""
    if condition.agreement.status != "active":
        raise DomainError("A closed agreement cannot be changed.")
    before = snapshot(condition)
    condition.title = _check_condition_title(condition.agreement, title, condition.id)
    condition.description = (description or "").strip()
    record("agreement_condition.update", condition, before=before, after=snapshot(condition),
           summary=f"Reworded condition ‘{condition.title}’ of {condition.agreement.reference}", actor=actor)
    return condition


def set_condition_active(condition: AgreementCondition, active: bool, *, actor=None) -> AgreementCondition:
    """Drop a condition (no longer rated; past ratings kept) or restore it."""
    agreement = condition.agreement
    if agreement.status != "active":
        raise DomainError("A closed agreement cannot be changed.")
    if condition.active == active:
        raise DomainError("This condition is already " + ("in force." if active else "dropped."))
    if not active and len(agreement.active_conditions) <= 1:
        raise DomainError("An agreement keeps at least one condition.")
    if active and len(agreement.active_conditions) >= MAX_CONDITIONS:
        raise DomainError(f"Keep oversight light: at most {MAX_CONDITIONS} conditions.")
    before = snapshot(condition)
    condition.active = active
    record("agreement_condition." + ("restore" if active else "drop"), condition, before=before,
           after=snapshot(condition),
           summary=f"{'Restored' if active else 'Dropped'} condition ‘{condition.title}’ of {agreement.reference}",
           actor=actor)
    return condition


def programme_by_slug(slug: str) -> FundingProgramme | None:
    return db.session.execute(select(FundingProgramme).where(FundingProgramme.slug == slug)).scalar_one_or_none()


def agreement_totals_consistent(agreement: FundingAgreement) -> bool:
    """True when the stored profile and tranches add up to the stored amounts (a check for tests and
    for operators: every service keeps this true)."""
    return (sum(y.central_pence for y in agreement.profile) == agreement.central_pence
            and sum(y.local_pence for y in agreement.profile) == agreement.local_pence
            and sum(t.amount_pence for t in agreement.tranches) == agreement.central_pence
            and len(agreement.profile) == agreement.years)
