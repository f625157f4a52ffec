"""Managing a call-off contract after the award: KPIs (the £5m rule), yearly ratings with evidence,
changes, and its end. Each step prepares the notice the Act asks for (UK9, UK10, UK11) for the
buyer to review and publish; ratings and terminations feed the exemplar's track record."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app import signals
from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.services import record, snapshot
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.registry.models import Partnership
from app.registry.services import end_partnership, provide_ratings

from .. import clock
from ..award.models import END_GROUNDS, FOR_CAUSE, Award
from ..models import Competition
from ..notices import services as notices
from ..notifications.services import notify, org_users
from ..rules import clean_text
from .models import ContractChange, ContractKpi, KpiRating
from .rules import RATINGS, add_months, kpi_problem, next_round_due

MAX_KPIS = 20


def contract_of(competition: Competition) -> Award | None:
    """The call-off contract: the award made (None before it)."""
    return db.session.execute(select(Award).where(Award.competition_id == competition.id, Award.status == "awarded")
                              ).unique().scalar_one_or_none()


def _need_buyer(award: Award, actor) -> Competition:
    competition = db.session.get(Competition, award.competition_id)
    if actor is None or not actor.has_role(FOLLOWER_BUYER) or actor.organisation_id != competition.buyer_id:
        raise NotAllowed("Only a buyer of this contract's trust can do this.")
    return competition


def _need_running(award: Award) -> None:
    if award.status != "awarded":
        raise DomainError("There is no contract yet: make the award first.")
    if award.ended_on is not None:
        raise DomainError("This contract has ended.")


def _today() -> date:
    from ..calendar import london_date

    return london_date(clock.now())


def add_kpis(award: Award, names: list[str], *, actor=None) -> list[ContractKpi]:
    """Add key performance indicators to a contract (in the order given)."""
    _need_buyer(award, actor)
    _need_running(award)
    existing = notices.kpis_of(award)
    names = [n for n in names if n not in {k.name for k in existing}]
    if not names:
        raise DomainError("Enter at least one new key performance indicator, one per line.", field="kpis")
    if len(existing) + len(names) > MAX_KPIS:
        raise DomainError(f"A contract may have at most {MAX_KPIS} key performance indicators.", field="kpis")
    made = [ContractKpi(award_id=award.id, position=len(existing) + i + 1, name=n, added_at=clock.now())
            for i, n in enumerate(names)]
    db.session.add_all(made)
    record("contract.kpis", award, after={"added": names}, actor=actor,
           summary=f"{len(names)} KPI(s) added to the contract of {award.competition.reference}")
    return made


def set_copy_url(award: Award, url: str, *, actor=None) -> Award:
    """Where the published copy of the contract is (s94, for contracts worth more than £5m)."""
    _need_buyer(award, actor)
    url = (url or "").strip()
    if not url.lower().startswith(("https://", "http://")) or len(url) > 500 or " " in url:
        raise DomainError("Enter a web address starting with https://", field="copy_url")
    before = {"copy_url": award.copy_url}
    award.copy_url = url
    record("contract.copy", award, before=before, after={"copy_url": url}, actor=actor,
           summary=f"Published copy of the contract of {award.competition.reference} recorded")
    return award


def rounds_done(award: Award) -> int:
    return db.session.scalar(select(func.coalesce(func.max(KpiRating.round), 0)).join(
        ContractKpi, ContractKpi.id == KpiRating.kpi_id).where(ContractKpi.award_id == award.id)) or 0


def next_assessment_due(award: Award) -> date | None:
    """When the next KPI assessment round is due (None without KPIs, or once the contract ended)."""
    if award.contract_starts_on is None or award.ended_on is not None or not notices.kpis_of(award):
        return None
    return next_round_due(award.contract_starts_on, rounds_done(award))


def rate_kpis(award: Award, *, assessed_on: date | None, ratings: dict[int, tuple[str, str]], actor=None) -> int:
    """Record one assessment round: every KPI rated (Good, Approaching target, Requires improvement,
    Inadequate) with its evidence. Prepares the contract performance notice (UK9). Returns the round."""
    competition = _need_buyer(award, actor)
    _need_running(award)
    kpis = notices.kpis_of(award)
    if not kpis:
        raise DomainError("Add the contract's key performance indicators first.")
    if assessed_on is None:
        raise DomainError("Enter the date of the assessment.", field="assessed_on")
    if assessed_on > _today() or assessed_on < award.contract_starts_on:
        raise DomainError("The assessment date must be within the contract and not in the future.", field="assessed_on")
    n = rounds_done(award) + 1
    checked = {}
    for k in kpis:  # every KPI checked before anything is written
        rating, evidence = ratings.get(k.id, ("", ""))
        if rating not in RATINGS:
            raise DomainError(f"Rate “{k.name}”.", field=f"rating_{k.id}")
        checked[k.id] = (rating, clean_text(evidence, f"evidence_{k.id}", f"the evidence for “{k.name}”"))
    for kpi_id, (rating, text) in checked.items():
        db.session.add(KpiRating(kpi_id=kpi_id, round=n, assessed_on=assessed_on, rating=rating, evidence=text,
                                 rated_by_id=getattr(actor, "id", None), rated_at=clock.now()))
    record("contract.rate", award, after={"round": n, "assessed_on": assessed_on,
                                          "ratings": {str(k): v[0] for k, v in sorted(ratings.items())}},
           actor=actor, summary=f"KPI assessment round {n} of the contract of {competition.reference}")
    db.session.flush()
    notices.draft(competition, "UK9", award=award, subject=f"round-{n}", event_on=assessed_on, actor=actor)
    signals.data_changed.send("partnership")
    notify(org_users(award.bid.organisation_id, EXEMPLAR_MANAGER), f"{competition.reference}: KPIs assessed",
           f"The buyer recorded assessment round {n} of the contract's key performance indicators.",
           link=f"/competitions/{competition.id}/notices", competition=competition, kind="award")
    return n


def record_change(award: Award, *, description: str, reason: str, value_after_pence: int | None,
                  ends_on_after: date | None, effective_on: date | None, actor=None) -> ContractChange:
    """Record a change to the contract (what, why, value and end date after it, when it takes
    effect) and prepare the contract change notice (UK10), due before the change takes effect."""
    competition = _need_buyer(award, actor)
    _need_running(award)
    description = clean_text(description, "description", "what changes")
    reason = clean_text(reason, "reason", "why it changes")
    if not isinstance(value_after_pence, int) or value_after_pence < 0:
        raise DomainError("Enter the contract value after the change (£0 or more).", field="value")
    if ends_on_after is None or ends_on_after < award.contract_starts_on:
        raise DomainError("Enter an end date on or after the contract's start.", field="ends_on")
    if ends_on_after >= add_months(award.contract_starts_on, competition.framework.max_calloff_months):
        raise DomainError(f"The framework allows a call-off term of at most {competition.framework.max_calloff_months} "
                          "months.", field="ends_on")
    if effective_on is None:
        raise DomainError("Enter the date the change takes effect.", field="effective_on")
    problem = kpi_problem(value_after_pence, len(notices.kpis_of(award)))
    if problem:
        raise DomainError(problem + " Add KPIs before this change.", field="value")
    number = (db.session.scalar(select(func.count()).select_from(ContractChange)
                                .where(ContractChange.award_id == award.id)) or 0) + 1
    change = ContractChange(award_id=award.id, number=number, description=description, reason=reason,
                            value_before_pence=award.value_pence, value_after_pence=value_after_pence,
                            ends_on_before=award.contract_ends_on, ends_on_after=ends_on_after,
                            effective_on=effective_on, recorded_by_id=getattr(actor, "id", None),
                            recorded_at=clock.now())
    db.session.add(change)
    before = snapshot(award)
    award.value_pence, award.contract_ends_on = value_after_pence, ends_on_after
    record("contract.change", award, before=before, after=snapshot(award), actor=actor,
           summary=f"Change {number} to the contract of {competition.reference}: {description[:120]}")
    db.session.flush()
    notices.draft(competition, "UK10", award=award, subject=f"change-{number}", event_on=effective_on, actor=actor)
    return change


def end_contract(award: Award, *, ground: str, ended_on: date | None, reason: str, actor=None) -> Award:
    """Record how and when the contract ended (expiry included), end the partnership it made, and
    prepare the contract termination notice (UK11), due within 30 days."""
    competition = _need_buyer(award, actor)
    _need_running(award)
    if ground not in END_GROUNDS:
        raise DomainError("Choose how the contract ended.", field="ground")
    if ended_on is None or ended_on < award.contract_starts_on or ended_on > _today() + timedelta(days=1):
        raise DomainError("Enter the date it ended: within the contract and not in the future.", field="ended_on")
    reason = clean_text(reason, "reason", "the reason")
    before = snapshot(award)
    award.ended_on, award.end_ground, award.end_reason = ended_on, ground, reason
    record("contract.end", award, before=before, after=snapshot(award), actor=actor,
           summary=f"The contract of {competition.reference} ended on {ended_on.isoformat()}: {END_GROUNDS[ground]}")
    partnership = db.session.execute(select(Partnership).where(Partnership.competition_id == competition.id)
                                     ).unique().scalar_one_or_none()
    if partnership is not None:
        end_partnership(partnership, ended_on=ended_on, for_cause=ground in FOR_CAUSE,
                        completed=ground in ("expired", "completed_early"), actor=actor)
    db.session.flush()
    notices.draft(competition, "UK11", award=award, event_on=ended_on, actor=actor)
    notify(org_users(award.bid.organisation_id, EXEMPLAR_MANAGER), f"{competition.reference}: the contract has ended",
           f"The buyer recorded that the contract ended on {ended_on.isoformat()}: {END_GROUNDS[ground].lower()}.",
           link=f"/competitions/{competition.id}/notices", competition=competition, kind="award")
    return award


def kpi_ratings_by_exemplar(exemplar_ids: list[int] | None) -> list[tuple[int, str]]:
    """(exemplar organisation id, rating) of every KPI rating recorded: for the track record."""
    from ..bidding.models import Bid

    stmt = (select(Bid.organisation_id, KpiRating.rating).join(ContractKpi, ContractKpi.id == KpiRating.kpi_id)
            .join(Award, Award.id == ContractKpi.award_id).join(Bid, Bid.id == Award.bid_id))
    if exemplar_ids is not None:
        stmt = stmt.where(Bid.organisation_id.in_(exemplar_ids))
    return [(o, r) for o, r in db.session.execute(stmt).all()]


# The register's track records count these ratings (it knows nothing of the market itself).
provide_ratings(kpi_ratings_by_exemplar)
