"""Followers' projects: a saved search and a shortlist of offers with a reason for each.

Services check the rules, change state, record the audit entry and flush; the caller commits.
A project belongs to one organisation and is private to it. A shortlist entry keeps the offer
version the buyer saw; a competition started from the project reads the same version.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.audit.services import record, snapshot
from app.errors import NotAllowed, Problems
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import Organisation

from ..models import Offer, OfferVersion
from ..search.query import SearchQuery
from ..services import is_visible
from .models import Project, ShortlistEntry

MAX_REASON = 2000


def _check_actor(actor, project_or_org_id: int) -> None:
    if actor is not None and getattr(actor, "organisation_id", None) != project_or_org_id:
        raise NotAllowed("Projects are private to their organisation.")


def projects_of(organisation: Organisation) -> list[Project]:
    """An organisation's projects, newest first."""
    return list(db.session.execute(
        select(Project).where(Project.organisation_id == organisation.id)
        .order_by(Project.updated_at.desc(), Project.id.desc())
    ).unique().scalars())


def project_name_problems(organisation: Organisation, name: str | None, field: str = "name") -> list[tuple[str, str]]:
    """What is wrong with a new project's name (the form names the field), or nothing."""
    name = " ".join((name or "").split())
    if not name:
        return [(field, "Enter a name for the project.")]
    if len(name) > 200:
        return [(field, "The project name must be 200 characters or fewer.")]
    taken = db.session.execute(select(Project.id).where(Project.organisation_id == organisation.id,
                                                        Project.name == name)).first()
    return [(field, "Your organisation already has a project with this name.")] if taken else []


def create_project(organisation: Organisation, *, name: str, search_query: str = "", actor=None) -> Project:
    """Start a project for a follower organisation, optionally with a saved search."""
    _check_actor(actor, organisation.id)
    problems = Problems()
    problems.items = project_name_problems(organisation, name)
    problems.raise_if_any()
    name = " ".join((name or "").split())
    now = utcnow()
    project = Project(organisation=organisation, name=name, created_at=now, updated_at=now,
                      search_query=SearchQuery.from_query_string(search_query).query_string(page=False),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(project)
    record("project.create", project, after=snapshot(project), summary=f"Started project ‘{name}’", actor=actor)
    return project


def save_search(project: Project, query_string: str, *, actor=None) -> Project:
    """Keep a search (the search page's query string, without the page number) in a project."""
    _check_actor(actor, project.organisation_id)
    before = snapshot(project)
    project.search_query = SearchQuery.from_query_string(query_string).query_string(page=False)
    project.updated_at = utcnow()
    record("project.save_search", project, before=before, after=snapshot(project),
           summary=f"Saved a search in project ‘{project.name}’", actor=actor)
    return project


def shortlist_problems(organisation_id: int, project: Project | None, offer: Offer,
                       reason: str | None) -> list[tuple[str | None, str]]:
    """Every problem with shortlisting an offer at once, as (field, message). `project` is None
    when the buyer is starting a new one on the same form."""
    problems = Problems()
    reason = (reason or "").strip()
    if not reason:
        problems.add("Enter a reason for shortlisting this offer.", "reason")
    elif len(reason) > MAX_REASON:
        problems.add(f"The reason must be {MAX_REASON:,} characters or fewer.", "reason")
    if not is_visible(offer):
        problems.add("This offer is not available: it is not published or its exemplar is not admitted.")
    if offer.organisation_id == organisation_id:
        problems.add("You cannot shortlist your own organisation's offer.")
    if project is not None and db.session.execute(select(ShortlistEntry.id).where(
            ShortlistEntry.project_id == project.id, ShortlistEntry.offer_id == offer.id)).first():
        problems.add("This offer is already on the project's shortlist.", "project")
    return problems.items


def add_to_shortlist(project: Project, offer: Offer, *, reason: str, actor=None) -> ShortlistEntry:
    """Put an offer on a project's shortlist with the buyer's reason, keeping the version seen."""
    _check_actor(actor, project.organisation_id)
    problems = Problems()
    problems.items = shortlist_problems(project.organisation_id, project, offer, reason)
    problems.raise_if_any()
    reason = reason.strip()
    entry = ShortlistEntry(project=project, offer=offer, offer_version_id=offer.current_version_id, reason=reason,
                           added_by_id=getattr(actor, "id", None), added_at=utcnow())
    db.session.add(entry)
    project.updated_at = utcnow()
    record("shortlist.add", entry, after=snapshot(entry),
           summary=f"Shortlisted ‘{offer.current_version.title}’ v{offer.current_version.number} "
                   f"in project ‘{project.name}’: {reason}", actor=actor)
    return entry


def remove_from_shortlist(entry: ShortlistEntry, *, actor=None) -> None:
    """Take an offer off a project's shortlist."""
    project = entry.project
    _check_actor(actor, project.organisation_id)
    before = snapshot(entry)
    title = entry.offer_version.title
    project.entries.remove(entry)
    db.session.delete(entry)
    project.updated_at = utcnow()
    record("shortlist.remove", object_type="ShortlistEntry", object_id=before["id"], before=before,
           summary=f"Removed ‘{title}’ from project ‘{project.name}’", actor=actor)


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------

@dataclass
class ComparisonRow:
    """One shortlisted offer, as the buyer saw it, beside what is current now."""

    entry: ShortlistEntry
    version: OfferVersion
    newer_version: bool
    still_available: bool
    track: Any | None
    delta_hhi: float | None = None
    impact: Any | None = None
    estimate: int | None = None      # comparable cost for the follower's size (pence), once given
    working: str = ""                # how the estimate was worked out


def comparison(project: Project) -> list[ComparisonRow]:
    """The shortlist side by side (a fixed number of queries), with each exemplar's track record,
    and, when app.concentration offers it, the change in HHI of choosing each exemplar."""
    from app.registry.services import track_records_for

    entries = list(project.entries)
    if not entries:
        return []
    versions = {v.id: v for v in db.session.execute(
        select(OfferVersion).where(OfferVersion.id.in_([e.offer_version_id for e in entries]))
    ).unique().scalars()}
    offers = {o.id: o for o in db.session.execute(
        select(Offer).where(Offer.id.in_([e.offer_id for e in entries]))).unique().scalars()}
    exemplar_ids = sorted({o.organisation_id for o in offers.values()})
    records = track_records_for(exemplar_ids)
    admitted = _admitted_pairs(list(offers.values()))
    rows = []
    for e in entries:
        offer = offers[e.offer_id]
        rows.append(ComparisonRow(
            entry=e, version=versions[e.offer_version_id],
            newer_version=offer.current_version_id != e.offer_version_id,
            still_available=offer.status == "published" and (offer.organisation_id, offer.lot_id) in admitted,
            track=records.get(offer.organisation_id),
        ))
    return rows


def _admitted_pairs(offers: list[Offer]) -> set[tuple[int, int]]:
    from app.registry.models import Membership

    if not offers:
        return set()
    return set(db.session.execute(
        select(Membership.organisation_id, Membership.lot_id).where(
            Membership.status == "admitted",
            Membership.organisation_id.in_({o.organisation_id for o in offers}),
            Membership.lot_id.in_({o.lot_id for o in offers}))
    ).all())


def convergence_impact(follower_org: Organisation, rows: list[ComparisonRow]) -> bool:
    """THE HOOK for the convergence impact column: fill each row's delta_hhi from
    app.concentration.services.what_if_for_shortlist(follower_org, exemplar_orgs) when that
    function exists. Returns whether it did (the compare page shows the column only then)."""
    try:
        from app.concentration import services as concentration
    except ImportError:
        return False
    if not rows or not hasattr(concentration, "what_if_for_shortlist"):
        return False
    exemplars = []
    for r in rows:
        if r.entry.offer.organisation not in exemplars:
            exemplars.append(r.entry.offer.organisation)
    impact = concentration.what_if_for_shortlist(follower_org, exemplars)
    for r in rows:
        org = r.entry.offer.organisation
        r.delta_hhi = _impact_for(impact, org)
        r.impact = impact.get(org.id) if isinstance(impact, dict) else None
    return True


def _impact_for(impact: Any, org: Organisation) -> float | None:
    """Read ΔHHI for one exemplar from what the concentration service returns: a mapping keyed by
    organisation, id or ODS code, to a number or to an object with a delta_hhi attribute."""
    if impact is None:
        return None
    value = None
    if isinstance(impact, dict):
        for key in (org, org.id, org.ods_code):
            if key in impact:
                value = impact[key]
                break
    else:
        for item in impact:
            oid = getattr(item, "exemplar_id", None) or getattr(item, "organisation_id", None)
            if oid == org.id or getattr(item, "exemplar", None) is org:
                value = item
                break
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    delta = getattr(value, "delta_hhi", None)
    if delta is None:
        delta = getattr(value, "delta", None)
    if delta is None and isinstance(value, dict):
        delta = value.get("delta_hhi")
    return float(delta) if delta is not None else None
