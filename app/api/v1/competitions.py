"""Call-off competitions through the JSON API: only to those allowed to see them, through the same
permission rules as the pages ("competitions.list", "competitions.view" (hidden: 404),
"competitions.view_bids"), and through the competitions domain's reading services, which never
reveal a sealed bid."""
from __future__ import annotations

from flask import url_for

from app.accounts.permissions import can
from app.extensions import db
from app.web.urls import external_url

from . import competitions_schemas as s
from .blueprint import v1
from .core import ApiError, allow, api_user, iso, needs_token, paginated

TAGS = ["Competitions"]


def _competition(c) -> dict:
    from app.competitions.rules import status_text
    from app.competitions import queries as reading

    from app.api.ocds import ids

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
        "ocid": ids.calloff_ocid(c.id) if c.status != "draft" else None,
        "url": url_for("api.v1.competition", competition_id=c.id),
    }


def _competition_or_404(competition_id: int):
    from app.competitions.models import Competition

    c = db.session.get(Competition, competition_id)
    if c is None:
        raise ApiError(404, "Not found.")
    allow("competitions.view", c, hide=True)
    return c


@v1.route("/competitions", tags=TAGS)
@needs_token("competitions.list")
@v1.arguments(s.Paged, location="query")
@v1.response(200, s.CompetitionPage)
def competitions(args):
    """Competitions you may see

    As on the competitions page: the buyer's, an evaluator's, an invited exemplar's, and every
    one for the commercial team and auditors; newest first.
    """
    from app.competitions import queries as reading

    return paginated(reading.competitions_for(api_user()), _competition, args)


@v1.route("/competitions/<int:competition_id>", tags=TAGS)
@needs_token()
@v1.response(200, s.CompetitionDetail)
def competition(competition_id: int):
    """One competition

    Its requirement and scoring; the invited exemplars for those who manage it or may read its
    bids. 404 if you may not see it.
    """
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
    return data


def _bid(b, documents: list) -> dict:
    return {"id": b.id, "organisation": b.organisation.ods_code, "organisation_name": b.organisation.display_name,
            "status": b.status, "price_pence": b.price_pence, "revision": b.revision,
            "submitted_at": iso(b.submitted_at), "invalid_reason": b.invalid_reason,
            "answers": [{"question": a.criterion_id, "answer": a.answer} for a in b.answers],
            "documents": [_document(d) for d in documents]}


def _document(link) -> dict:
    d = link.document
    return {"id": link.id, "question": link.criterion_id, "file": d.filename, "type": d.file_type,
            "size_bytes": d.size_bytes, "sha256": d.sha256, "version": link.version,
            "url": external_url("competitions.bid_document", competition_id=link.competition_id, link_id=link.id)}


def _need_bids(c) -> None:
    if not can(api_user(), "competitions.view_bids", c):
        if not c.bids_unsealed():
            raise ApiError(403, "Bids are sealed until the response deadline.")
        raise ApiError(403, "You may not see the bids of this competition.")


@v1.route("/competitions/<int:competition_id>/bids", tags=TAGS)
@needs_token()
@v1.response(200, s.Bids)
def competition_bids(competition_id: int):
    """Its bids

    Only after the response deadline (403 before: bids are sealed), for the buyer, evaluators
    who declared no conflict and the oversight roles.
    """
    from app.competitions import queries as reading

    c = _competition_or_404(competition_id)
    _need_bids(c)
    from app.competitions.documents.services import bid_documents_for_publication

    documents = bid_documents_for_publication(c) or {}
    return {"competition": c.id, "items": [_bid(b, documents.get(b.organisation_id, []))
                                           for b in reading.bids_for_publication(c) or []]}


def _num(value) -> float | None:
    return None if value is None else float(value)


@v1.route("/competitions/<int:competition_id>/scores", tags=TAGS)
@needs_token()
@v1.response(200, s.Scores)
def competition_scores(competition_id: int):
    """Its result table

    From the consensus marks: complete once every answer is moderated. For those who may read
    the bids.
    """
    from app.competitions.evaluation.services import results

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
    return {"competition": c.id, "complete": res.complete, "missing_marks": res.missing, "rows": rows}
