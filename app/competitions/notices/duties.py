"""What the Procurement Act asks of a buyer organisation now, with when it is due: notices to
publish, KPI assessments to make, contracts that have ended without their end recorded, conflicts
assessments to finish. Read by the buyer's dashboard panel; nothing here writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from app.extensions import db

from ..award.models import Award
from ..conflicts.models import ConflictDeclaration
from ..conflicts.rules import DeclarationFacts, problems
from ..contracts.models import ContractKpi, KpiRating
from ..contracts.rules import next_round_due
from ..models import Competition
from . import services as notices
from .rules import KINDS, due_on, due_phrase, is_overdue

#: A KPI assessment is shown this many days before it is due.
SOON_DAYS = 30


@dataclass(frozen=True)
class Duty:
    text: str
    href: str
    due: date | None
    overdue: bool


def _award_rows(buyer_id: int):
    # Only the award's and the competition's own columns are read: not the bid, buyer and lot
    # their relationships would join (most of the dashboard's time, issue 20).
    return db.session.execute(select(Award, Competition).join(Competition, Competition.id == Award.competition_id)
                              .where(Competition.buyer_id == buyer_id, Award.status == "awarded",
                                     Award.ended_on.is_(None)).order_by(Award.id)
                              .options(lazyload("*"))).unique().all()


def _assessment_due(award_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
    """KPIs and assessment rounds done per contract (two queries, however many contracts)."""
    if not award_ids:
        return {}, {}
    kpis = dict(db.session.execute(select(ContractKpi.award_id, func.count()).where(ContractKpi.award_id.in_(award_ids))
                                   .group_by(ContractKpi.award_id)).all())
    rounds = dict(db.session.execute(select(ContractKpi.award_id, func.max(KpiRating.round))
                                     .join(KpiRating, KpiRating.kpi_id == ContractKpi.id)
                                     .where(ContractKpi.award_id.in_(award_ids)).group_by(ContractKpi.award_id)).all())
    return kpis, rounds


def _conflicts_problems(buyer_id: int) -> list[tuple[Competition, list[str]]]:
    """The conflicts assessments of competitions whose evaluation is next (published, not yet
    evaluated) that are not complete (two queries)."""
    comps = db.session.execute(select(Competition).where(
        Competition.buyer_id == buyer_id, Competition.status.in_(("published", "clarification", "open", "closed")))
        .order_by(Competition.id).options(lazyload("*"))).unique().scalars().all()
    if not comps:
        return []
    facts: dict[int, list[DeclarationFacts]] = {c.id: [] for c in comps}
    for d in db.session.execute(select(ConflictDeclaration).where(
            ConflictDeclaration.competition_id.in_(list(facts)))).unique().scalars():
        facts[d.competition_id].append(DeclarationFacts(d.user_id, d.role, d.has_interest, d.conflict, d.mitigation))
    found = [(c, problems(facts[c.id], c.conflicts_confirmed_at is not None)) for c in comps]
    return [(c, p) for c, p in found if p]


def duties(buyer_id: int, today: date) -> list[Duty]:
    """The buyer organisation's duties, overdue first, then by due date (undated last). A fixed
    number of queries, however many competitions and contracts."""
    out: list[Duty] = []
    for n in notices.drafts_due(buyer_id):
        c = n.competition
        href = url_for("competitions.notice", competition_id=c.id, notice_id=n.id)
        if n.kind == "UK6":
            out.append(Duty(f"Publish the contract award notice of {c.reference} {c.title}: the standstill starts "
                            "when it is published", href, None, False))
            continue
        out.append(Duty(f"{KINDS[n.kind]} of {c.reference} {c.title} {due_phrase(n.due_on, today)}", href, n.due_on,
                        is_overdue(n.due_on, today)))
    rows = _award_rows(buyer_id)
    kpis, rounds = _assessment_due([a.id for a, _ in rows])
    for award, c in rows:
        if award.contract_ends_on is not None and award.contract_ends_on < today:
            due = due_on("UK11", award.contract_ends_on)
            out.append(Duty(f"The contract of {c.reference} ended on {award.contract_ends_on.isoformat()}: record its "
                            f"end; the contract termination notice is {due_phrase(due, today)}",
                            url_for("competitions.end_contract", competition_id=c.id), due, is_overdue(due, today)))
            continue
        if not kpis.get(award.id) or award.contract_starts_on is None:
            continue
        due = next_round_due(award.contract_starts_on, rounds.get(award.id) or 0)
        if (due - today).days <= SOON_DAYS:
            out.append(Duty(f"KPI assessment of the contract of {c.reference} {due_phrase(due, today)}",
                            url_for("competitions.contract", competition_id=c.id), due, is_overdue(due, today)))
    for c, found in _conflicts_problems(buyer_id):
        out.append(Duty(f"Complete the conflicts assessment of {c.reference} {c.title}: {found[0]}",
                        url_for("competitions.conflicts", competition_id=c.id), None, False))
    return sorted(out, key=lambda d: (not d.overdue, d.due is None, d.due or date.max))
