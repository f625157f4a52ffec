"""Notices as data: drafts made when the record calls for one, reviewed against the record as it
is now, published by the buyer (dated, audited, frozen), shown publicly and in OCDS.

Publishing a contract award notice (UK6) starts the voluntary standstill. A contract details
notice (UK7) is published only when the conflicts assessment is confirmed and the KPI rule holds.
"""
from __future__ import annotations

import json
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.chain import canonical_json
from app.audit.services import record
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.web.formatting import london_date, london_datetime, title_case_org

from .. import calendar, clock
from ..award.models import END_GROUNDS, Award
from ..bidding.models import Bid
from ..conflicts.services import declarations, is_complete
from ..contracts.models import ContractChange, ContractKpi, KpiRating
from ..contracts.rules import kpi_problem, needs_kpis
from ..models import Competition
from ..notifications.services import notify, org_users
from ..state import lock
from . import content as notice_content
from .models import Notice
from .rules import KINDS, due_on


def _org(o) -> dict:
    return {"name": title_case_org(o.name), "ods_code": o.ods_code}


def kpis_of(award: Award) -> list[ContractKpi]:
    return list(db.session.execute(select(ContractKpi).where(ContractKpi.award_id == award.id)
                                   .order_by(ContractKpi.position)).scalars())


def _facts(notice: Notice, now) -> dict:
    """The record's facts a notice of this kind says, as they are now."""
    c: Competition = db.session.get(Competition, notice.competition_id)
    award = db.session.get(Award, notice.award_id) if notice.award_id else None
    facts = {"reference": c.reference, "title": c.title, "buyer": _org(c.buyer), "framework": c.framework.name,
             "lot": c.lot.label}
    if award is None:
        return facts
    bid = db.session.get(Bid, award.bid_id)
    facts.update(supplier=_org(bid.organisation), bid_price_pence=bid.price_pence, reason=award.intention_note,
                 standstill_days=c.standstill_days, standstill_reason=c.standstill_reason,
                 value_pence=award.value_pence, starts_on=award.contract_starts_on, ends_on=award.contract_ends_on,
                 starts_on_text=london_date(award.contract_starts_on), ends_on_text=london_date(award.contract_ends_on),
                 copy_url=award.copy_url)
    if notice.kind == "UK6":
        ends = c.standstill_ends_at or calendar.standstill_end(now, c.standstill_days)
        starts = notice.published_at or now
        facts.update(standstill_starts=starts, standstill_ends=ends,
                     standstill_ends_text=f"Midnight at the end of {london_date(ends - timedelta(seconds=1))}"
                     + ("" if c.standstill_ends_at else " (if published today)"))
    elif notice.kind == "UK7":
        facts.update(entered_on=award.awarded_at.date() if award.awarded_at else None,
                     entered_on_text=london_date(award.awarded_at), kpis=[k.name for k in kpis_of(award)],
                     conflicts_confirmed_on=c.conflicts_confirmed_at,
                     conflicts_confirmed_text=london_date(c.conflicts_confirmed_at),
                     participants=len(declarations(c)))
    elif notice.kind == "UK9":
        n = int(notice.subject.split("-")[1])
        rows = db.session.execute(select(KpiRating, ContractKpi).join(ContractKpi, ContractKpi.id == KpiRating.kpi_id)
                                  .where(ContractKpi.award_id == award.id, KpiRating.round == n)
                                  .order_by(ContractKpi.position)).all()
        assessed = rows[0][0].assessed_on if rows else None
        facts.update(round=n, assessed_on=assessed, assessed_on_text=london_date(assessed),
                     ratings=[{"kpi": k.name, "position": k.position, "rating": r.rating, "evidence": r.evidence}
                              for r, k in rows])
    elif notice.kind == "UK10":
        n = int(notice.subject.split("-")[1])
        ch = db.session.execute(select(ContractChange).where(ContractChange.award_id == award.id,
                                                             ContractChange.number == n)).scalar_one()
        facts.update(number=n, description=ch.description, reason=ch.reason, value_before_pence=ch.value_before_pence,
                     value_after_pence=ch.value_after_pence, ends_on_before=ch.ends_on_before,
                     ends_on_after=ch.ends_on_after, effective_on=ch.effective_on,
                     ends_on_before_text=london_date(ch.ends_on_before), ends_on_after_text=london_date(ch.ends_on_after),
                     effective_on_text=london_date(ch.effective_on))
    elif notice.kind == "UK11":
        facts.update(ended_on=award.ended_on, ended_on_text=london_date(award.ended_on), ground=award.end_ground,
                     ground_text=END_GROUNDS.get(award.end_ground or "", ""), reason=award.end_reason or "")
    return facts


def preview(notice: Notice) -> dict:
    """A notice's content: as published, or — for a draft — regenerated from the record now."""
    if notice.status == "published":
        return json.loads(notice.content)
    return notice_content.build(notice.kind, _facts(notice, clock.now()))


def find(competition: Competition, kind: str, subject: str = "") -> Notice | None:
    return db.session.execute(select(Notice).where(Notice.competition_id == competition.id, Notice.kind == kind,
                                                   Notice.subject == subject)).scalar_one_or_none()


def draft(competition: Competition, kind: str, *, award: Award | None = None, subject: str = "",
          event_on: date | None = None, actor=None) -> Notice:
    """Make the draft of a notice the record now calls for (or bring an existing draft up to date):
    its content generated from the record, its due date from its event."""
    notice = find(competition, kind, subject)
    if notice is not None and notice.status == "published":
        raise DomainError(f"The {KINDS[kind].lower()} is already published.")
    if notice is None:
        notice = Notice(competition_id=competition.id, kind=kind, subject=subject, status="draft", content="{}",
                        award_id=award.id if award is not None else None, created_at=clock.now())
        db.session.add(notice)
    notice.status, notice.withdrawn_at = "draft", None
    notice.award_id = award.id if award is not None else notice.award_id
    notice.due_on = due_on(kind, event_on)
    notice.content = canonical_json(notice_content.build(kind, _facts(notice, clock.now())))
    record("notice.draft", notice, after={"kind": kind, "subject": subject, "due_on": notice.due_on}, actor=actor,
           summary=f"{KINDS[kind]} for {competition.reference} prepared" +
                   (f", due by {notice.due_on.isoformat()}" if notice.due_on else ""))
    return notice


def withdraw_draft(notice: Notice | None, *, actor=None) -> None:
    """A draft the record no longer calls for (an intention withdrawn) is set aside, kept on record."""
    if notice is None or notice.status != "draft":
        return
    notice.status, notice.withdrawn_at = "withdrawn", clock.now()
    record("notice.withdraw", notice, actor=actor, summary=f"{notice.title} {notice.reference} set aside")


def publication_problem(notice: Notice) -> str | None:
    """What stops a draft from being published now, or None."""
    competition = db.session.get(Competition, notice.competition_id)
    award = db.session.get(Award, notice.award_id) if notice.award_id else None
    if notice.status != "draft":
        return "Only a draft can be published."
    if award is None:
        return "This notice has no contract to report."
    if notice.kind == "UK6":
        if award.status != "intended" or competition.effective_status() != "standstill":
            return "The contract award notice is published during the intention to award, before the standstill."
        if competition.standstill_ends_at is not None:
            return "The standstill has already started."
    if notice.kind == "UK7":
        if not is_complete(competition):
            return "Confirm the conflicts assessment first: the contract details notice confirms it."
        problem = kpi_problem(award.value_pence, len(kpis_of(award)))
        if problem:
            return problem + " Add them on the contract page."
        if needs_kpis(award.value_pence) and not award.copy_url:
            return "A contract worth more than £5,000,000 is published (s94): give the address of its published copy."
    return None


def publish(notice: Notice, *, actor) -> Notice:
    """The buyer publishes a reviewed notice: its content regenerated from the record and frozen,
    dated and audited. A contract award notice starts the voluntary standstill."""
    competition = db.session.get(Competition, notice.competition_id)
    if actor is None or not actor.has_role(FOLLOWER_BUYER) or actor.organisation_id != competition.buyer_id:
        raise NotAllowed("Only a buyer of this competition's trust can publish its notices.")
    lock(competition)
    problem = publication_problem(notice)
    if problem:
        raise DomainError(problem)
    now = clock.now()
    if notice.kind == "UK6":
        competition.standstill_ends_at = calendar.standstill_end(now, competition.standstill_days)
        record("competition.standstill", competition, after={"standstill_ends_at": competition.standstill_ends_at},
               actor=actor, summary=f"Standstill of {competition.reference} runs until "
                                    f"{london_datetime(competition.standstill_ends_at)}")
    notice.published_at, notice.published_by_id, notice.status = now, actor.id, "published"
    notice.content = canonical_json(notice_content.build(notice.kind, _facts(notice, now)))
    record("notice.publish", notice, after=json.loads(notice.content), actor=actor,
           summary=f"Published the {notice.title.lower()} {notice.reference}")
    if notice.kind == "UK6":
        bidders = db.session.execute(select(Bid.organisation_id).where(Bid.competition_id == competition.id)).scalars()
        notify([u for org in bidders for u in org_users(org, EXEMPLAR_MANAGER)],
               f"{competition.reference}: contract award notice published",
               f"The standstill runs until {london_datetime(competition.standstill_ends_at)}.",
               link=f"/competitions/{competition.id}/notices", competition=competition, kind="intention_to_award")
    return notice


def notices_of(competition: Competition, *, published_only: bool = False) -> list[Notice]:
    stmt = select(Notice).where(Notice.competition_id == competition.id)
    if published_only:
        stmt = stmt.where(Notice.status == "published")
    return list(db.session.execute(stmt.order_by(Notice.published_at.is_(None), Notice.published_at,
                                                 Notice.id)).scalars())


def drafts_due(buyer_id: int) -> list[Notice]:
    """The buyer organisation's draft notices, the soonest due first (undated last)."""
    return list(db.session.execute(
        select(Notice).join(Competition, Competition.id == Notice.competition_id)
        .where(Competition.buyer_id == buyer_id, Notice.status == "draft").options(contains_eager(Notice.competition))
        .order_by(Notice.due_on.is_(None), Notice.due_on, Notice.id)).unique().scalars())
