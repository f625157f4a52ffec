"""The printable records' routes: the evaluation report and the award decision as PDF, for those
who may read the bids, and the timetable as .ics for everyone who sees the competition."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, current_app, make_response, render_template
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import require
from app.extensions import db
from app.web.urls import external_url

from .. import bp, clock, rules, scoring
from ..award import services as award_svc
from ..evaluation import services as evaluation
from ..evaluation.models import ConsensusScore
from ..policy import competition_or_404
from .ics import Deadline, timetable_ics
from .pdf import html_to_pdf


def _pdf(html: str, name: str):
    response = make_response(html_to_pdf(html))
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _record(competition):
    """What both records show: the result table, each bid's moderated marks with their reasons,
    and the evaluators' conflict declarations."""
    table = evaluation.results(competition)
    consensus = {(c.bid_id, c.criterion_id): c for c in db.session.execute(
        select(ConsensusScore).where(ConsensusScore.bid_id.in_([r.bid.id for r in table.rows]))).scalars()}
    return {"competition": competition, "table": table, "consensus": consensus, "rules": rules,
            "tie_break": scoring.TIE_BREAK_TEXT, "made_at": clock.now(), "made_by": current_user,
            "status": competition.effective_status()}


@bp.route("/<int:competition_id>/evaluation-report.pdf")
def evaluation_report(competition_id: int):
    competition = competition_or_404(competition_id)
    require("competitions.view_bids", competition)
    if competition.effective_status() not in ("evaluation", "standstill", "standstill_ended", "awarded", "no_award"):
        abort(404)
    html = render_template("competitions/records/evaluation_report.html", **_record(competition))
    return _pdf(html, f"{competition.reference}-evaluation-report.pdf")


@bp.route("/<int:competition_id>/award-decision.pdf")
def award_decision(competition_id: int):
    competition = competition_or_404(competition_id)
    require("competitions.view_bids", competition)
    award = award_svc.current_award(competition)
    if award is None:
        abort(404)
    html = render_template("competitions/records/award_decision.html", award=award, **_record(competition))
    return _pdf(html, f"{competition.reference}-award-decision.pdf")


@bp.route("/<int:competition_id>/timetable.ics")
def timetable_calendar(competition_id: int):
    competition = competition_or_404(competition_id)
    deadlines = [Deadline(k, t, at, d) for k, t, at, d in (
        ("clarification", "clarification questions close", competition.clarification_deadline,
         "The last moment to ask a clarification question."),
        ("response", "responses close", competition.response_deadline,
         "Bids received at or after this moment are refused."),
        ("standstill", "standstill ends", competition.standstill_ends_at,
         "The award can be made after this moment."),
    ) if at is not None]
    if not deadlines:
        abort(404)  # a draft has no dates yet
    url = external_url("competitions.overview", competition_id=competition.id)
    body = timetable_ics(reference=competition.reference, title=competition.title, url=url, deadlines=deadlines,
                         host=urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost",
                         stamp=competition.updated_at or clock.now())
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Content-Disposition"] = f'attachment; filename="{competition.reference}-timetable.ics"'
    return response
