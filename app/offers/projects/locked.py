"""A search a buyer can defend: a project's search ended and frozen, and what the project then did.

`end_search` runs the project's saved search once more, as the project's organisation sees it,
and keeps the query, filters, date and the exact offer versions returned, with their rank (ids
and version numbers: versions are never changed once public, so the text is not copied).
`record_outcome` then records what the project did — a competition run from it (linked), a direct
award of one of the locked offers where its framework allows direct award, no suitable offer, or
cancelled — with the buyer's reason. Both are audited; so is each view and download of the locked
list (`record_access`). Services check the rules, change state, record the audit entry and flush;
the caller commits.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from sqlalchemy import select

from app import signals
from app.audit.services import record, snapshot
from app.errors import NotAllowed, Problems
from app.extensions import db
from app.models_base import utcnow

from ..models import Offer, OfferVersion
from ..search.engine import MAX_EXPORT_ROWS, search, visible_offers_condition
from ..search.query import SearchQuery
from .models import OUTCOMES, LockedSearch, LockedSearchRow, Project, ProjectOutcome

MAX_REASON = 2000


def _check_actor(actor, project: Project) -> None:
    if actor is not None and getattr(actor, "organisation_id", None) != project.organisation_id:
        raise NotAllowed("Projects are private to their organisation.")


def end_search_problems(project: Project) -> list[tuple[str | None, str]]:
    problems = Problems()
    if project.locked_search is not None:
        problems.add("This project's search has already been ended.")
    if not project.search_query:
        problems.add("Save a search in this project before ending it.")
    return problems.items


def end_search(project: Project, *, actor=None) -> LockedSearch:
    """Freeze the project's saved search: its query, filters, date and the offer versions it
    returns now, in rank order (the first MAX_EXPORT_ROWS)."""
    _check_actor(actor, project)
    problems = Problems()
    problems.items = end_search_problems(project)
    problems.raise_if_any()
    query = SearchQuery.from_query_string(project.search_query)
    results = search(query, follower_org=project.organisation, facets=False, everything=True)
    locked = LockedSearch(project=project, query_string=query.query_string(page=False), total=results.total,
                          locked_at=utcnow(), locked_by_id=getattr(actor, "id", None))
    locked.rows = [LockedSearchRow(rank=i, offer_id=h.offer.id, offer_version_id=h.version.id,
                                   version_number=h.version.number) for i, h in enumerate(results.hits, start=1)]
    db.session.add(locked)
    project.updated_at = utcnow()
    record("project.end_search", locked,
           after={**snapshot(locked), "rows": [[r.rank, r.offer_id, r.offer_version_id, r.version_number]
                                               for r in locked.rows]},
           summary=f"Ended the search of project ‘{project.name}’: {results.total:,} "
                   f"{'offer' if results.total == 1 else 'offers'} found, {len(locked.rows):,} kept", actor=actor)
    return locked


def record_access(locked: LockedSearch, how: str, *, actor=None) -> None:
    """Audit a view ("view") or a download ("csv", "ods") of a locked search."""
    action = "locked_search.view" if how == "view" else "locked_search.download"
    record(action, locked, summary=f"{'Viewed' if how == 'view' else 'Downloaded (' + how.upper() + ')'} "
                                   f"the locked search of project ‘{locked.project.name}’", actor=actor)


@dataclass
class LockedRow:
    row: LockedSearchRow
    version: OfferVersion
    offer: Offer
    newer_version: bool
    still_available: bool


def locked_rows(locked: LockedSearch) -> list[LockedRow]:
    """The locked list with each version as it was, and whether the offer has changed or gone
    since (a fixed number of queries)."""
    rows = list(locked.rows)
    if not rows:
        return []
    versions = {v.id: v for v in db.session.execute(
        select(OfferVersion).where(OfferVersion.id.in_([r.offer_version_id for r in rows]))).unique().scalars()}
    offers = {o.id: o for o in db.session.execute(
        select(Offer).where(Offer.id.in_([r.offer_id for r in rows]))).unique().scalars()}
    visible = set(db.session.execute(
        select(Offer.id).where(Offer.id.in_(list(offers)), visible_offers_condition())).scalars())
    return [LockedRow(row=r, version=versions[r.offer_version_id], offer=offers[r.offer_id],
                      newer_version=offers[r.offer_id].current_version_id != r.offer_version_id,
                      still_available=r.offer_id in visible) for r in rows]


# ---------------------------------------------------------------------------
# The outcome
# ---------------------------------------------------------------------------

def project_competitions(project: Project) -> list[tuple[int, str]]:
    """The competitions run from the project, as (id, label), from whichever domain runs them
    (app.competitions answers the signal: the offers may not import it)."""
    out: list[tuple[int, str]] = []
    for _receiver, answer in signals.project_competitions.send(project):
        out += list(answer or [])
    return out


def outcome_problems(project: Project, outcome: str | None, reason: str | None, competition_id: int | None,
                     offer_id: int | None) -> list[tuple[str | None, str]]:
    """Every problem with recording the project's outcome at once, as (field, message)."""
    problems = Problems()
    locked = project.locked_search
    if project.outcome is not None:
        problems.add("This project's outcome has already been recorded.")
    if outcome not in OUTCOMES:
        problems.add("Choose what the project did.", "outcome")
    elif outcome != "cancelled" and locked is None:
        problems.add("End the project's search before recording this outcome.", "outcome")
    reason = (reason or "").strip()
    if not reason:
        problems.add("Enter the reason for this outcome.", "reason")
    elif len(reason) > MAX_REASON:
        problems.add(f"The reason must be {MAX_REASON:,} characters or fewer.", "reason")
    if outcome == "competition":
        if competition_id not in {cid for cid, _label in project_competitions(project)}:
            problems.add("Choose the competition run from this project.", "competition")
    if outcome == "direct_award" and locked is not None:
        row = next((r for r in locked.rows if r.offer_id == offer_id), None)
        if row is None:
            problems.add("Choose the offer awarded, from the offers the search returned.", "offer")
        elif not row.offer.lot.framework.direct_award_allowed:
            problems.add(f"{row.offer.lot.framework.name} does not allow direct award: run a competition.", "offer")
    return problems.items


def record_outcome(project: Project, *, outcome: str, reason: str, competition_id: int | None = None,
                   offer_id: int | None = None, actor=None) -> ProjectOutcome:
    _check_actor(actor, project)
    problems = Problems()
    problems.items = outcome_problems(project, outcome, reason, competition_id, offer_id)
    problems.raise_if_any()
    row = next((r for r in project.locked_search.rows if r.offer_id == offer_id), None) \
        if outcome == "direct_award" else None
    result = ProjectOutcome(project=project, outcome=outcome, reason=reason.strip(),
                            competition_id=competition_id if outcome == "competition" else None,
                            offer_id=row.offer_id if row else None, offer_version_id=row.offer_version_id if row else None,
                            recorded_at=utcnow(), recorded_by_id=getattr(actor, "id", None))
    db.session.add(result)
    project.updated_at = utcnow()
    record("project.outcome", result, after=snapshot(result),
           summary=f"Project ‘{project.name}’: {OUTCOMES[outcome]} — {reason.strip()}", actor=actor)
    return result


# ---------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------

LOCKED_HEADER = ["rank", "offer_id", "offer_version_id", "version_number", "title", "exemplar", "exemplar_ods_code",
                 "lot", "newer_version_exists", "still_available"]


def locked_table(locked: LockedSearch) -> tuple[list[str], list[list]]:
    """The locked list as a table (header, rows), for CSV and ODS alike."""
    rows = [[r.row.rank, r.offer.id, r.version.id, r.row.version_number, r.version.title,
             r.offer.organisation.display_name, r.offer.organisation.ods_code, r.offer.lot.label,
             r.newer_version, r.still_available] for r in locked_rows(locked)]
    return LOCKED_HEADER, rows


def locked_preamble(locked: LockedSearch) -> list[list]:
    """What the download says before the table: the project, the search, when it was ended."""
    return [["project", locked.project.name], ["search", locked.query_string or "(every offer)"],
            ["ended_at", locked.locked_at.isoformat()], ["offers_found", locked.total],
            ["offers_kept", len(locked.rows)], ["max_kept", MAX_EXPORT_ROWS]]


def ods_bytes(sheets: list[tuple[str, list[list]]]) -> bytes:
    """An OpenDocument spreadsheet of named sheets of rows (numbers as numbers, the rest as text)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for values in rows:
            tr = TableRow()
            for value in values:
                if isinstance(value, bool) or value is None:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text="" if value is None else ("yes" if value else "no")))
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string")
                    cell.addElement(P(text=str(value)))
                tr.addElement(cell)
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def direct_award_frameworks(locked: LockedSearch | None) -> bool:
    """Whether any offer of the locked list is on a framework that allows direct award."""
    return bool(locked) and any(r.offer.lot.framework.direct_award_allowed for r in locked.rows)

