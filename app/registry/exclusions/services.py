"""Keeping the exclusion register, and checking a supplier against it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db

from ..models import Organisation
from ..vocab import EXCLUSION_GROUNDS, EXCLUSION_KINDS
from .models import ExclusionEntry
from .rules import CheckResult, EntryFacts, check, date_problem

MAX_TEXT = 5000


def _text(value: str | None, field: str, label: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {label}.", field=field)
    if len(value) > MAX_TEXT:
        raise DomainError(f"{label[0].upper() + label[1:]} must be {MAX_TEXT:,} characters or fewer.", field=field)
    return value


def add_entry(organisation: Organisation, *, kind: str, ground_kind: str, ground: str, starts_on: date | None,
              ends_on: date | None = None, source_url: str | None = None, actor=None) -> ExclusionEntry:
    """Record that a supplier is excluded or debarred, on a ground, from a date (to a date)."""
    if kind not in EXCLUSION_KINDS:
        raise DomainError("Choose whether the supplier is excluded or debarred.", field="kind")
    if ground_kind not in EXCLUSION_GROUNDS:
        raise DomainError("Choose the kind of ground.", field="ground_kind")
    problem = date_problem(starts_on, ends_on)
    if problem:
        raise DomainError(problem, field="ends_on" if starts_on else "starts_on")
    entry = ExclusionEntry(organisation_id=organisation.id, kind=kind, ground_kind=ground_kind,
                           ground=_text(ground, "ground", "the ground"), starts_on=starts_on, ends_on=ends_on,
                           source_url=_text(source_url, "source_url", "the source", required=False) or None,
                           recorded_by_id=getattr(actor, "id", None))
    db.session.add(entry)
    record("exclusion.add", entry, after=snapshot(entry), actor=actor,
           summary=f"{organisation.display_name} recorded as {EXCLUSION_KINDS[kind].lower()} from {starts_on.isoformat()}")
    return entry


def end_entry(entry: ExclusionEntry, *, ends_on: date | None, reason: str, actor=None) -> ExclusionEntry:
    """Set the last day an entry applies (an exclusion lifted, a debarment that ends), with a reason."""
    if ends_on is None:
        raise DomainError("Enter the last day the exclusion applies.", field="ends_on")
    problem = date_problem(entry.starts_on, ends_on)
    if problem:
        raise DomainError(problem, field="ends_on")
    before = snapshot(entry)
    entry.ends_on, entry.ended_reason = ends_on, _text(reason, "reason", "a reason")
    record("exclusion.end", entry, before=before, after=snapshot(entry), actor=actor,
           summary=f"Exclusion of {entry.organisation.display_name} ends on {ends_on.isoformat()}")
    return entry


def set_parent(organisation: Organisation, parent: Organisation | None, *, actor=None) -> Organisation:
    """Record (or clear) a supplier's parent organisation, which exclusion checks cover too."""
    if parent is not None and (parent.id == organisation.id or parent.parent_id == organisation.id):
        raise DomainError("An organisation cannot be its own parent, or its parent's.", field="parent")
    before = {"parent_id": organisation.parent_id}
    organisation.parent_id = parent.id if parent is not None else None
    record("organisation.parent", organisation, before=before, after={"parent_id": organisation.parent_id},
           actor=actor, summary=f"Parent of {organisation.display_name}: "
                                f"{parent.display_name if parent is not None else 'none'}")
    return organisation


def entries() -> list[ExclusionEntry]:
    return list(db.session.execute(select(ExclusionEntry).order_by(ExclusionEntry.starts_on.desc(),
                                                                   ExclusionEntry.id.desc())).scalars())


def check_supplier(organisation: Organisation, on: date) -> tuple[CheckResult, list[ExclusionEntry]]:
    """Check a supplier, and its parent where recorded, against the entries in force on a day:
    the pure result and the entries it found."""
    ids = [organisation.id] + ([organisation.parent_id] if organisation.parent_id else [])
    rows = list(db.session.execute(select(ExclusionEntry).where(ExclusionEntry.organisation_id.in_(ids))).scalars())
    result = check([EntryFacts(e.id, e.organisation_id, e.kind, e.ground, e.starts_on, e.ends_on) for e in rows],
                   organisation.id, organisation.parent_id, on)
    found = {m.id for m in result.matches}
    return result, [e for e in rows if e.id in found]


def describe(entries_found: list[ExclusionEntry]) -> str:
    """The entries that stop an award, in words for the buyer."""
    return "; ".join(f"{e.organisation.display_name}: {e.label.lower()} from {e.starts_on.isoformat()}"
                     f"{' to ' + e.ends_on.isoformat() if e.ends_on else ''} ({EXCLUSION_GROUNDS[e.ground_kind].lower()}: "
                     f"{e.ground})" for e in entries_found)
