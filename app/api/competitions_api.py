"""Call-off competitions through the JSON API: only to those allowed to see them, through the same
permission rules as the pages ("competitions.list", "competitions.view" (hidden: 404),
"competitions.view_bids"), and through the competitions domain's reading services, which never
reveal a sealed bid."""
from __future__ import annotations

from typing import Any

from flask import url_for

from app.accounts.permissions import can
from app.extensions import db

from .core import ApiError, allow, api_user, iso, ok, paginated, require_token
from .views import v1


def _competition(c) -> dict:
    from app.competitions.rules import status_text
    from app.competitions.services import reading

    from .ocds_data import prefix
    from . import ocds

    status = reading.effective_status(c)
    return {
        "id": c.id,
        "reference": c.reference,
        "title": c.title,
        "status": status,
        "status_text": status_text(status),
        "buyer": c.buyer.ods_code,
        "buyer_name": c.buyer.name,
        "framework": c.lot.framework.slug,
        "lot": c.lot.number,
        "budget_pence": c.budget_pence,
        "published_at": iso(c.published_at),
        "clarification_deadline": iso(c.clarification_deadline),
        "response_deadline": iso(c.response_deadline),
        "standstill_ends_at": iso(c.standstill_ends_at),
        "awarded_at": iso(c.awarded_at),
        "bid_count": reading.bid_count(c),
        "ocid": ocds.calloff_ocid(prefix(), c.id) if c.status != "draft" else None,
        "url": url_for("api.v1.competition", competition_id=c.id),
    }


def _competition_or_404(competition_id: int):
    from app.competitions.models import Competition

    require_token()
    c = db.session.get(Competition, competition_id)
    if c is None:
        raise ApiError(404, "Not found.")
    allow("competitions.view", c, hide=True)
    return c


@v1.get("/competitions")
def competitions():
    """The competitions the token's user may see (as on the competitions page), newest first."""
    from app.competitions.services import reading

    allow("competitions.list")
    return ok(paginated(reading.competitions_for(api_user()), _competition))


@v1.get("/competitions/<int:competition_id>")
def competition(competition_id: int):
    c = _competition_or_404(competition_id)
    data = _competition(c)
    data["requirement"] = c.requirement
    data["scoring"] = {"quality_weight": c.quality_weight, "price_weight": c.price_weight, "scale_max": c.scale_max,
                       "threshold_percent": c.threshold_percent,
                       "questions": [{"id": q.id, "name": q.name, "question": q.question, "weight": q.weight}
                                     for q in c.criteria]}
    user = api_user()
    if can(user, "competitions.manage", c) or can(user, "competitions.view_bids", c):
        data["invited"] = [i.organisation.ods_code for i in c.invitations if i.status == "invited"]
    return ok(data)


def _bid(b) -> dict:
    return {"id": b.id, "organisation": b.organisation.ods_code, "organisation_name": b.organisation.name,
            "status": b.status, "price_pence": b.price_pence, "revision": b.revision,
            "submitted_at": iso(b.submitted_at), "invalid_reason": b.invalid_reason,
            "answers": [{"question": a.criterion_id, "answer": a.answer} for a in b.answers]}


def _need_bids(c) -> None:
    if not can(api_user(), "competitions.view_bids", c):
        if not c.bids_unsealed():
            raise ApiError(403, "Bids are sealed until the response deadline.")
        raise ApiError(403, "You may not see the bids of this competition.")


@v1.get("/competitions/<int:competition_id>/bids")
def competition_bids(competition_id: int):
    """The bids, once the response deadline has passed, for the buyer, evaluators without a
    conflict and the oversight roles."""
    from app.competitions.services import reading

    c = _competition_or_404(competition_id)
    _need_bids(c)
    return ok({"competition": c.id, "items": [_bid(b) for b in reading.bids_for_publication(c) or []]})


def _num(value) -> float | None:
    return None if value is None else float(value)


@v1.get("/competitions/<int:competition_id>/scores")
def competition_scores(competition_id: int):
    """The result table from the consensus marks (complete once every answer is moderated)."""
    from app.competitions.services.evaluation import results

    c = _competition_or_404(competition_id)
    _need_bids(c)
    res = results(c)
    rows = []
    for r in res.rows:
        s = r.score
        rows.append({"bid": r.bid.id, "organisation": r.bid.organisation.ods_code, "price_pence": r.bid.price_pence,
                     "over_budget": r.over_budget,
                     "quality_percent": _num(s.quality_percent) if s else None,
                     "quality_score": _num(s.quality_score) if s else None,
                     "price_score": _num(s.price_score) if s else None, "total": _num(s.total) if s else None,
                     "rank": s.rank if s else None, "passed_threshold": s.passed_threshold if s else None,
                     "abnormally_low": s.abnormally_low if s else None, "excluded": s.excluded if s else None})
    return ok({"competition": c.id, "complete": res.complete, "missing_marks": res.missing, "rows": rows})


# ---------------------------------------------------------------------------------------------
# OpenAPI

def openapi_schemas() -> dict[str, Any]:
    from app.competitions.rules import STATUSES

    from .openapi import BOOL, INT, NINT, NSTR, STR, _enum, nullable, obj, page_of

    ndt = nullable({"type": "string", "format": "date-time"})
    nnum = nullable({"type": "number"})
    nbool = nullable(BOOL)
    competition = obj(["id", "reference", "title", "status", "buyer", "framework", "lot"],
                      id=INT, reference=STR, title=STR, status=_enum(STATUSES), status_text=STR, buyer=STR,
                      buyer_name=STR, framework=STR, lot=INT, budget_pence=NINT, published_at=ndt,
                      clarification_deadline=ndt, response_deadline=ndt, standstill_ends_at=ndt, awarded_at=ndt,
                      bid_count=NINT, ocid=NSTR, url=STR)
    question = obj(["id", "name", "weight"], id=INT, name=STR, question=STR, weight=INT)
    detail = {"allOf": [competition, obj(["requirement", "scoring"], requirement=STR, scoring=obj(
        ["quality_weight", "price_weight", "questions"], quality_weight=INT, price_weight=INT, scale_max=INT,
        threshold_percent=INT, questions={"type": "array", "items": question}),
        invited={"type": "array", "items": STR})]}
    bid = obj(["id", "organisation", "status", "price_pence"], id=INT, organisation=STR, organisation_name=STR,
              status=_enum(("submitted", "withdrawn", "invalid")), price_pence=INT, revision=INT,
              submitted_at=ndt, invalid_reason=NSTR,
              answers={"type": "array", "items": obj(["question", "answer"], question=INT, answer=STR)})
    row = obj(["bid", "organisation"], bid=INT, organisation=STR, price_pence=INT, over_budget=BOOL,
              quality_percent=nnum, quality_score=nnum, price_score=nnum, total=nnum, rank=NINT,
              passed_threshold=nbool, abnormally_low=nbool, excluded=nbool)
    return {
        "Competition": competition,
        "CompetitionDetail": detail,
        "CompetitionPage": page_of("Competition"),
        "Bids": obj(["competition", "items"], competition=INT, items={"type": "array", "items": bid}),
        "Scores": obj(["competition", "complete", "rows"], competition=INT, complete=BOOL, missing_marks=INT,
                      rows={"type": "array", "items": row}),
    }


def openapi_paths() -> dict[str, Any]:
    from .openapi import INT, REQUIRED_AUTH, get, ok as response, path, ref

    t = "Competitions"
    cid = [path("competition_id", INT)]
    return {
        "/competitions": get("Competitions you may see (buyers, evaluators, invited exemplars, oversight)", t,
                             response(ref("CompetitionPage")), paged=True, security=REQUIRED_AUTH),
        "/competitions/{competition_id}": get("One competition (404 if you may not see it)", t,
                                              response(ref("CompetitionDetail")), cid, security=REQUIRED_AUTH),
        "/competitions/{competition_id}/bids": get("Its bids: only after the response deadline, for those "
                                                   "allowed to read them", t, response(ref("Bids")), cid,
                                                   security=REQUIRED_AUTH),
        "/competitions/{competition_id}/scores": get("Its result table from the consensus marks", t,
                                                     response(ref("Scores")), cid, security=REQUIRED_AUTH),
    }
