"""Loading call-off competitions for OCDS from the competitions domain, through its reading
services (app/competitions/queries.py), which never reveal a sealed bid."""
from __future__ import annotations

from sqlalchemy import select

import json

from app.extensions import db
from app.web.formatting import title_case_org
from app.web.urls import external_url

from .calloff import calloff_releases as build
from .ids import calloff_ocid, framework_ocid


def competition_facts(c) -> dict:
    """The plain facts of one published competition (bids only once unsealed)."""
    from app.competitions.models import Award
    from app.competitions import queries as reading

    status = reading.effective_status(c)
    bids = reading.bids_for_publication(c)
    awards = db.session.execute(select(Award).where(Award.competition_id == c.id).order_by(Award.id)).unique() \
        .scalars().all()
    org = lambda o: {"ods_code": o.ods_code, "name": o.display_name, "official_name": o.name}  # noqa: E731
    return {
        "ocid": calloff_ocid(c.id), "id": c.id, "reference": c.reference, "title": c.title,
        "description": c.requirement, "status": status, "buyer": org(c.buyer),
        "framework": {"ocid": framework_ocid(c.lot.framework.slug), "name": c.lot.framework.name},
        "lot": {"number": c.lot.number, "name": c.lot.name}, "budget_pence": c.budget_pence,
        "published_at": c.published_at, "clarification_deadline": c.clarification_deadline,
        "response_deadline": c.response_deadline,
        "bids": None if bids is None else [
            {**org(b.organisation), "id": b.id, "status": b.status, "price_pence": b.price_pence,
             "submitted_at": b.submitted_at} for b in bids],
        # Awards exist only after the deadline (evaluation first), so they reveal no sealed bid.
        "awards": [{**org(a.bid.organisation), "id": a.id, "bid_id": a.bid_id, "status": a.status,
                    "intended_at": a.intended_at, "withdrawn_at": a.withdrawn_at, "awarded_at": a.awarded_at,
                    "value_pence": a.value_pence, "bid_price_pence": a.bid.price_pence,
                    "starts_on": a.contract_starts_on, "ends_on": a.contract_ends_on, "reason": a.intention_note}
                   for a in awards],
        "ended_at": c.ended_at, "end_status": status if status in ("cancelled", "no_award") else None,
        "end_reason": c.end_reason, "notices": _notices(c),
        "outcome_url": external_url("competitions.notices_page", competition_id=c.id),
    }


def _notices(c) -> list[dict]:
    """The competition's published notices, as their frozen content says them."""
    from app.competitions.notices import services as notices

    page = external_url("competitions.notices_page", competition_id=c.id)
    return [{"id": n.id, "kind": n.kind, "title": n.title, "award_id": n.award_id, "published_at": n.published_at,
             "url": f"{page}#notice-{n.id}", "data": json.loads(n.content).get("data", {})}
            for n in notices.notices_of(c, published_only=True)]


def _published():
    from app.competitions import queries as reading

    return [c for c in db.session.execute(reading.published_competitions()).unique().scalars()
            if c.published_at is not None]


def calloff_releases() -> dict[str, list[dict]]:
    """ocid → releases, for every published call-off competition."""
    out = {}
    for c in _published():
        facts = competition_facts(c)
        out[facts["ocid"]] = build(facts)
    return out


def releases_for_competition(key: str) -> list[dict] | None:
    from app.competitions.models import Competition

    if not key.isdecimal() or len(key) > 12:
        return None
    c = db.session.get(Competition, int(key))
    if c is None or c.status == "draft" or c.published_at is None:
        return None
    return build(competition_facts(c))


def awarded_contracts() -> list[dict]:
    """Awarded call-off contracts as rows for the SQLite export of the register."""
    from app.competitions.models import Award
    from app.competitions.models import Competition

    rows = db.session.execute(select(Award, Competition).join(Competition, Competition.id == Award.competition_id)
                              .where(Award.status == "awarded").order_by(Award.id)).unique().all()
    return [{
        "id": f"{calloff_ocid(c.id)}-contract-{a.id}", "competition": c.reference,
        "buyer_ods_code": c.buyer.ods_code, "supplier_ods_code": a.bid.organisation.ods_code, "title": c.title,
        "value_pence": a.value_pence,  # exact: integer pence
        "starts_on": a.contract_starts_on.isoformat() if a.contract_starts_on else None,
        "ends_on": a.contract_ends_on.isoformat() if a.contract_ends_on else None,
        "awarded_at": a.awarded_at.isoformat() if a.awarded_at else None,
    } for a, c in rows]
