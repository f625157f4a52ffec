"""What the Procurement Act asks of a buyer organisation now, with when it is due: notices to
publish, KPI assessments to make, contracts that have ended without their end recorded, conflicts
assessments to finish. Read by the buyer's dashboard panel; nothing here writes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for
from sqlalchemy import select

from app.extensions import db

from ..award.models import Award
from ..conflicts.services import assessment_problems
from ..contracts.services import next_assessment_due
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
    return db.session.execute(select(Award, Competition).join(Competition, Competition.id == Award.competition_id)
                              .where(Competition.buyer_id == buyer_id, Award.status == "awarded",
                                     Award.ended_on.is_(None)).order_by(Award.id)).unique().all()


def duties(buyer_id: int, today: date) -> list[Duty]:
    """The buyer organisation's duties, overdue first, then by due date (undated last)."""
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
    for award, c in _award_rows(buyer_id):
        contract_href = url_for("competitions.contract", competition_id=c.id)
        if award.contract_ends_on is not None and award.contract_ends_on < today:
            due = due_on("UK11", award.contract_ends_on)
            out.append(Duty(f"The contract of {c.reference} ended on {award.contract_ends_on.isoformat()}: record its "
                            f"end; the contract termination notice is {due_phrase(due, today)}",
                            url_for("competitions.end_contract", competition_id=c.id), due, is_overdue(due, today)))
            continue
        due = next_assessment_due(award)
        if due is not None and (due - today).days <= SOON_DAYS:
            out.append(Duty(f"KPI assessment of the contract of {c.reference} {due_phrase(due, today)}",
                            contract_href, due, is_overdue(due, today)))
    for c in _assessing(buyer_id):
        problems = assessment_problems(c)
        if problems:
            out.append(Duty(f"Complete the conflicts assessment of {c.reference} {c.title}: {problems[0]}",
                            url_for("competitions.conflicts", competition_id=c.id), None, False))
    return sorted(out, key=lambda d: (not d.overdue, d.due is None, d.due or date.max))


def _assessing(buyer_id: int) -> list[Competition]:
    """The organisation's competitions whose evaluation is next: published and not yet evaluated."""
    rows = db.session.execute(select(Competition).where(
        Competition.buyer_id == buyer_id, Competition.status.in_(("published", "clarification", "open", "closed")))
        .order_by(Competition.id)).unique().scalars().all()
    return list(rows)
