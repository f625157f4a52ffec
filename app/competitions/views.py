"""Pages of the competitions domain: the list, the overview and ending a competition, and the
dashboard panel. The subjects' pages (setup/, bidding/, evaluation/, award/, notifications/) join
the same blueprint when this module imports them, at the end. GETs never write: they show the
status the clock makes true (effective_status)."""
from __future__ import annotations

import click
from flask import abort, flash, render_template, request, url_for
from flask_login import current_user

from app.accounts.permissions import can, require
from app.documents import services as docs
from app.errors import DomainError
from app.extensions import db
from app.offers.text import render_markdown
from app.web import commit, dashboard_panel, nav_item
from app.web.exports import csv_response, pounds
from app.web.formerrors import show_on_form
from app.web.querying import paginate

from . import bp, clock, queries, rules, scoring
from .award import services as award_svc
from .bidding import services as bidding  # also connects the membership receiver
from .documents.models import PACK
from .documents.services import pack_documents
from .conflicts import services as assessment
from .notices import services as notices
from .forms import ReasonForm
from .models import Competition
from .policy import back_to, competition_or_404
from .setup import services as setup
from .state import tick

nav_item("competitions.index", "Competitions", 45, visible=lambda u: can(u, "competitions.list"),
         prefix="/competitions")


#: Pages anyone may read: the notices the law makes public.
PUBLIC_ENDPOINTS = frozenset({"competitions.notices_page"})


@bp.before_request
def _sign_in_first():
    """Every page here but the public notices needs a signed-in user. A signed-out visitor (say,
    following a link from an e-mail) is sent to sign in and back (`next`), the same for every id,
    so the redirect tells nothing about which competitions exist; signed in, one who may not see
    it still gets 404."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not getattr(current_user, "is_authenticated", False):
        abort(401)  # the 401 handler in app/web/site redirects to sign-in


@bp.route("/")
def index():
    require("competitions.list")
    stmt = queries.competitions_for(current_user)
    now = clock.now()
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("competitions.csv", ["reference", "title", "buyer", "lot", "status", "response_deadline",
                                                 "budget", "valid_bids"],
                            ([c.reference, c.title, c.buyer.display_name, c.lot.label, c.effective_status(now),
                              c.response_deadline, pounds(c.budget_pence), queries.bid_count(c, now)] for c in rows))
    return render_template("competitions/index.html", page=paginate(stmt), now=now, rules=rules,
                           may_create=can(current_user, "competitions.create"))


@bp.route("/<int:competition_id>")
def overview(competition_id: int):
    competition = competition_or_404(competition_id)
    now = clock.now()
    status = competition.effective_status(now)
    org_id = current_user.organisation_id
    own_bid = queries.own_bid(competition, org_id) if can(current_user, "competitions.bid", competition) else None
    manage = can(current_user, "competitions.manage", competition)
    return render_template(
        "competitions/overview.html", competition=competition, status=status, now=now, rules=rules,
        may_manage=manage, may_bid=can(current_user, "competitions.bid", competition),
        may_evaluate=can(current_user, "competitions.evaluate", competition),
        may_view_bids=can(current_user, "competitions.view_bids", competition),
        bid_count=queries.bid_count(competition, now), own_bid=own_bid,
        problems=setup.publication_problems(competition) if manage and status == "draft" else [],
        requirement=render_markdown(competition.requirement), may_see_conflicts=can(
            current_user, "competitions.conflicts", competition), conflicts_problems=assessment.assessment_problems(
            competition) if manage and status not in rules.TERMINAL else [],
        may_see_contract=can(current_user, "competitions.contract", competition),
        uk6=_uk6(competition) if manage and status == "standstill" else None,
        award=award_svc.current_award(competition) if competition.bids_unsealed(now) else None,
        partnership=_visible_partnership(competition), tie_break=scoring.TIE_BREAK_TEXT,
        invitation=bidding.invitation_for(competition, org_id),
        pack=[d for d in docs.current(pack_documents(competition)) if d.kind in PACK
              and can(current_user, "competitions.view_document", d)],
    )


def _uk6(competition: Competition):
    """The contract award notice waiting to start the standstill, for the buyer."""
    award = award_svc.current_award(competition)
    return notices.find(competition, "UK6", f"award-{award.id}") if award is not None else None


def _visible_partnership(competition: Competition):
    p = queries.partnership_of(competition)
    return p if p is not None and can(current_user, "competitions.partnership.view", p) else None


def _ending(competition_id: int, kind: str):
    competition = competition_or_404(competition_id, "competitions.manage")
    form = ReasonForm()
    service = award_svc.cancel if kind == "cancel" else award_svc.no_award
    if form.validate_on_submit():
        try:
            service(competition, reason=form.reason.data, actor=current_user)
            commit()
            flash("The competition is cancelled." if kind == "cancel" else "The competition is closed with no suitable bid.",
                  "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    heading = "Cancel this competition" if kind == "cancel" else "Close with no suitable bid"
    return render_template("competitions/form.html", form=form, competition=competition, heading=heading,
                           submit_text=heading, warning=True,
                           intro="Every invitee is told, with your reason. This cannot be undone.")


@bp.route("/<int:competition_id>/cancel", methods=["GET", "POST"])
def cancel(competition_id: int):
    return _ending(competition_id, "cancel")


@bp.route("/<int:competition_id>/no-award", methods=["GET", "POST"])
def no_award(competition_id: int):
    return _ending(competition_id, "no_award")


@bp.cli.command("tick")
def tick_command():
    """Write the status changes the clock has made (deadlines passed, standstills ended)."""
    changed = tick()
    commit()
    click.echo(f"{len(changed)} competition(s) changed" + "".join(f"\n  CO-{cid:05d} → {s}" for cid, s in changed))


@dashboard_panel(30)
def _attention(user):
    if not can(user, "competitions.list"):
        return None
    now = clock.now()
    items = []
    for c in db.session.execute(queries.competitions_for(user).limit(50)).unique().scalars():
        status = c.effective_status(now)
        if status in rules.TERMINAL:
            continue
        items.append({"text": f"{c.reference} {c.title}", "href": url_for("competitions.overview", competition_id=c.id),
                      "hint": rules.status_text(status)})
    return {"title": "Competitions", "items": items[:10], "empty": "No competitions need you at present."}


from .award import views as _award  # noqa: E402,F401  (the subjects' pages)
from .bidding import views as _bidding_pages  # noqa: E402,F401
from .documents import views as _documents  # noqa: E402,F401
from .conflicts import views as _conflicts  # noqa: E402,F401
from .contracts import views as _contracts  # noqa: E402,F401
from .evaluation import views as _evaluation  # noqa: E402,F401
from .notices import views as _notices  # noqa: E402,F401
from .notifications import views as _notifications  # noqa: E402,F401
from .records import views as _records  # noqa: E402,F401
from .setup import views as _setup  # noqa: E402,F401
