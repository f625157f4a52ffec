"""Read-side queries for the governance pages: funding totals, overdue check-ins, red conditions,
work waiting for the commercial team."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.web.formatting import to_london
from app.registry.models import Lot, Membership, Organisation

from .admission.models import AdmissionApplication
from .calendar import Quarter, financial_year_label, financial_year_of
from .checkins.models import CheckIn, CheckInRating
from .checkins.rules import overdue_quarters
from .funding.models import FundingAgreement, FundingProgramme
from .reviews.models import ExemplarReview


@dataclass
class MoneyRow:
    """Funding committed (central), matched (local) and released, for one programme, region or year."""

    key: str
    label: str
    agreements: int = 0
    committed: int = 0
    matched: int = 0
    released: int = 0


def _agreements(programme_id: int | None = None) -> list[FundingAgreement]:
    stmt = (select(FundingAgreement)
            .options(selectinload(FundingAgreement.profile), selectinload(FundingAgreement.tranches))
            .order_by(FundingAgreement.reference))
    if programme_id is not None:
        stmt = stmt.where(FundingAgreement.programme_id == programme_id)
    return list(db.session.execute(stmt).unique().scalars())


def _region(org: Organisation) -> Organisation | None:
    if org.region is not None:
        return org.region
    return org.icb.region if org.icb is not None else None


def totals(by: str, programme_id: int | None = None) -> list[MoneyRow]:
    """Funding committed, matched and released, by "programme", "region" or "year" (financial year:
    committed and matched as profiled, released in the year it was released)."""
    rows: dict[str, MoneyRow] = {}

    def row(key: str, label: str) -> MoneyRow:
        if key not in rows:
            rows[key] = MoneyRow(key, label)
        return rows[key]

    for a in _agreements(programme_id):
        if by == "year":
            for y in a.profile:
                fy = a.first_year + y.year_index
                r = row(str(fy), financial_year_label(fy))
                r.committed += y.central_pence
                r.matched += y.local_pence
            for t in a.tranches:
                if t.released_at is not None:
                    fy = financial_year_of(to_london(t.released_at).date())
                    row(str(fy), financial_year_label(fy)).released += t.amount_pence
            for fy in {a.first_year + y.year_index for y in a.profile}:
                rows[str(fy)].agreements += 1
            continue
        if by == "programme":
            r = row(a.programme.slug, a.programme.name)
        elif by == "region":
            region = _region(a.organisation)
            r = row(region.ods_code if region else "", region.display_name if region else "Not known")
        else:
            raise ValueError(f"unknown grouping {by!r}")
        r.agreements += 1
        r.committed += a.central_pence
        r.matched += a.local_pence
        r.released += a.released_pence
    return sorted(rows.values(), key=lambda r: (r.key == "", r.key if by == "year" else r.label))


def grand_total(rows: list[MoneyRow]) -> MoneyRow:
    total = MoneyRow("", "Total")
    for r in rows:
        total.committed += r.committed
        total.matched += r.matched
        total.released += r.released
    return total


@dataclass(frozen=True)
class Overdue:
    agreement: FundingAgreement
    quarter: Quarter
    due_on: date


def overdue_checkins(today: date, organisation_id: int | None = None) -> list[Overdue]:
    """Check-ins of active agreements that were due before today and never filed, oldest first."""
    stmt = (select(FundingAgreement).where(FundingAgreement.status == "active")
            .options(selectinload(FundingAgreement.checkins)))
    if organisation_id is not None:
        stmt = stmt.where(FundingAgreement.organisation_id == organisation_id)
    out = []
    for a in db.session.execute(stmt).unique().scalars():
        due_days = a.programme.checkin_due_days
        for q in overdue_quarters(first_year=a.first_year, years=a.years, filed=[c.period for c in a.checkins],
                                  today=today, due_days=due_days):
            out.append(Overdue(a, q, q.due_on(due_days)))
    return sorted(out, key=lambda o: (o.due_on, o.agreement.reference))


@dataclass(frozen=True)
class RedAgreement:
    agreement: FundingAgreement
    checkin: CheckIn
    reds: list[CheckInRating]


def agreements_with_red() -> list[RedAgreement]:
    """Active agreements whose latest check-in (submitted or accepted) rates a condition red."""
    stmt = (select(FundingAgreement).where(FundingAgreement.status == "active")
            .options(selectinload(FundingAgreement.checkins).selectinload(CheckIn.ratings))
            .order_by(FundingAgreement.reference))
    out = []
    for a in db.session.execute(stmt).unique().scalars():
        filed = [c for c in a.checkins if c.status in ("submitted", "accepted")]
        if not filed:
            continue
        latest = max(filed, key=lambda c: c.period)
        reds = [r for r in latest.ratings if r.rag == "red"]
        if reds:
            out.append(RedAgreement(a, latest, reds))
    return out


def checkins_to_review() -> list[CheckIn]:
    return list(db.session.execute(
        select(CheckIn).where(CheckIn.status == "submitted").order_by(CheckIn.submitted_at)
    ).unique().scalars())


def applications_stmt(status: str | None = None, organisation_id: int | None = None):
    stmt = select(AdmissionApplication).order_by(AdmissionApplication.submitted_at.desc(), AdmissionApplication.id.desc())
    if status:
        stmt = stmt.where(AdmissionApplication.status == status)
    if organisation_id is not None:
        stmt = stmt.where(AdmissionApplication.organisation_id == organisation_id)
    return stmt


@dataclass(frozen=True)
class ExemplarRow:
    membership: Membership
    latest: ExemplarReview | None
    due: bool


def exemplars_for_review(today: date) -> list[ExemplarRow]:
    """Admitted and suspended exemplars with their latest review; due when never reviewed or the
    next review date has come."""
    memberships = db.session.execute(
        select(Membership).where(Membership.status.in_(("admitted", "suspended")))
        .join(Lot, Lot.id == Membership.lot_id).join(Organisation, Organisation.id == Membership.organisation_id)
        .order_by(Lot.framework_id, Lot.number, Organisation.name)
    ).unique().scalars().all()
    latest: dict[int, ExemplarReview] = {}
    for r in db.session.execute(select(ExemplarReview).order_by(ExemplarReview.reviewed_on, ExemplarReview.id)).unique().scalars():
        latest[r.membership_id] = r
    return [ExemplarRow(m, latest.get(m.id),
                        m.id not in latest or (latest[m.id].next_review_on is not None
                                               and latest[m.id].next_review_on <= today))
            for m in memberships]


def reviews_due_count(today: date) -> int:
    """How many exemplars `exemplars_for_review` marks due, counted in the database (one statement,
    whatever the size of the register): never reviewed, or the latest review's next date has come."""
    ranked = select(ExemplarReview.membership_id, ExemplarReview.next_review_on,
                    func.row_number().over(partition_by=ExemplarReview.membership_id,
                                           order_by=(ExemplarReview.reviewed_on.desc(), ExemplarReview.id.desc()))
                    .label("n")).subquery()
    return db.session.scalar(
        select(func.count()).select_from(Membership)
        .outerjoin(ranked, and_(ranked.c.membership_id == Membership.id, ranked.c.n == 1))
        .where(Membership.status.in_(("admitted", "suspended")),
               or_(ranked.c.membership_id.is_(None), ranked.c.next_review_on <= today))) or 0


def programmes() -> list[FundingProgramme]:
    return list(db.session.execute(select(FundingProgramme).order_by(FundingProgramme.name)).scalars())
