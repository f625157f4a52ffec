"""Pages of the competitions domain: the list, setting up a draft, publishing, the overview and
ending a competition. Bidding, evaluation, award and the inbox are in views_*.py on the same
blueprint. GETs never write: they show the status the clock makes true (effective_status)."""
from __future__ import annotations

import click
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.exports import csv_response, pounds
from app.extensions import db
from app.formerrors import show_on_form
from app.querying import paginate
from app.registry.models import Framework, Lot
from app.web import commit, dashboard_panel, nav_item

from . import clock, rules, scoring
from .forms import CompetitionForm, DetailsForm, EvaluatorsForm, InviteesForm, MethodForm, ReasonForm, TimetableForm
from .models import Competition
from .services import award as award_svc
from .services import bidding as _bidding  # noqa: F401  (connects the membership receiver)
from .services import reading, setup
from .services.state import tick

bp = Blueprint("competitions", __name__, url_prefix="/competitions")

nav_item("competitions.index", "Competitions", 45, visible=lambda u: can(u, "competitions.list"),
         prefix="/competitions")


@bp.before_request
def _sign_in_first():
    """Every page here needs a signed-in user. A signed-out visitor (say, following a link from an
    e-mail) is sent to sign in and back (`next`), the same for every id, so the redirect tells
    nothing about which competitions exist; signed in, one who may not see it still gets 404."""
    if not getattr(current_user, "is_authenticated", False):
        abort(401)  # the 401 handler in app/web.py redirects to sign-in


def competition_or_404(competition_id: int, action: str = "competitions.view") -> Competition:
    """Load a competition; 404 to a signed-in user who may not see it (its existence is private)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        abort(404)
    require("competitions.view", competition, hide=True)
    if action != "competitions.view":
        require(action, competition)
    return competition


def back_to(competition: Competition):
    return redirect(url_for("competitions.overview", competition_id=competition.id))


@bp.route("/")
def index():
    require("competitions.list")
    stmt = reading.competitions_for(current_user)
    now = clock.now()
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("competitions.csv", ["reference", "title", "buyer", "lot", "status", "response_deadline",
                                                 "budget", "valid_bids"],
                            ([c.reference, c.title, c.buyer.display_name, c.lot.label, c.effective_status(now),
                              c.response_deadline, pounds(c.budget_pence), reading.bid_count(c, now)] for c in rows))
    return render_template("competitions/index.html", page=paginate(stmt), now=now, rules=rules,
                           may_create=can(current_user, "competitions.create"))


@bp.route("/new", methods=["GET", "POST"])
def new():
    require("competitions.create")
    form = CompetitionForm()
    lots = db.session.execute(select(Lot).join(Framework, Framework.id == Lot.framework_id)
                              .where(Framework.status == "live").order_by(Framework.name, Lot.number)).unique().scalars().all()
    form.lot.choices = [(str(lot.id), f"{lot.framework.name}: {lot.label}") for lot in lots]
    project = None
    if request.args.get("project", "").isdecimal():
        from app.offers.models import Project

        project = db.session.get(Project, int(request.args["project"]))
        if project is None or project.organisation_id != current_user.organisation_id:
            abort(404)
        if request.method == "GET":
            form.title.data = form.title.data or project.name
            offer_lots = {e.offer.lot_id for e in project.entries}
            if len(offer_lots) == 1:
                form.lot.data = str(offer_lots.pop())
    if form.validate_on_submit():
        lot = db.session.get(Lot, int(form.lot.data)) if form.lot.data.isdecimal() else None
        try:
            if lot is None:
                raise DomainError("Choose a lot.", field="lot")
            competition = setup.create_competition(buyer=current_user.organisation, lot=lot, title=form.title.data,
                                                   requirement=form.requirement.data, budget_pence=form.budget.pence,
                                                   project=project, actor=current_user)
            commit()
            flash("Draft competition created. Complete each section, then publish it.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/new.html", form=form, project=project)


@bp.route("/<int:competition_id>")
def overview(competition_id: int):
    competition = competition_or_404(competition_id)
    now = clock.now()
    status = competition.effective_status(now)
    org_id = current_user.organisation_id
    own_bid = reading.own_bid(competition, org_id) if can(current_user, "competitions.bid", competition) else None
    manage = can(current_user, "competitions.manage", competition)
    return render_template(
        "competitions/overview.html", competition=competition, status=status, now=now, rules=rules,
        may_manage=manage, may_bid=can(current_user, "competitions.bid", competition),
        may_evaluate=can(current_user, "competitions.evaluate", competition),
        may_view_bids=can(current_user, "competitions.view_bids", competition),
        bid_count=reading.bid_count(competition, now), own_bid=own_bid,
        problems=setup.publication_problems(competition) if manage and status == "draft" else [],
        award=award_svc.current_award(competition) if competition.bids_unsealed(now) else None,
        partnership=_visible_partnership(competition), tie_break=scoring.TIE_BREAK_TEXT,
        invitation=_bidding.invitation_for(competition, org_id),
    )


def _visible_partnership(competition: Competition):
    p = reading.partnership_of(competition)
    return p if p is not None and can(current_user, "competitions.partnership.view", p) else None


def _draft_page(competition_id: int) -> Competition:
    competition = competition_or_404(competition_id, "competitions.manage")
    if competition.status != "draft":
        flash("A published competition's terms cannot change.", "error")
        abort(409)
    return competition


@bp.route("/<int:competition_id>/details", methods=["GET", "POST"])
def details(competition_id: int):
    competition = _draft_page(competition_id)
    form = DetailsForm(obj=competition)
    if request.method == "GET":
        form.budget.set_pence(competition.budget_pence)
    if form.validate_on_submit():
        try:
            setup.update_details(competition, title=form.title.data, requirement=form.requirement.data,
                                 budget_pence=form.budget.pence, actor=current_user)
            commit()
            flash("Details saved.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition, heading="Details")


@bp.route("/<int:competition_id>/method", methods=["GET", "POST"])
def method(competition_id: int):
    competition = _draft_page(competition_id)
    form = MethodForm(obj=competition)
    chosen = {c.framework_criterion_id: c for c in competition.criteria}
    rows = [{"criterion": fc, "use": fc.id in chosen, "weight": chosen[fc.id].weight if fc.id in chosen else "",
             "question": chosen[fc.id].question if fc.id in chosen else ""} for fc in competition.framework.criteria]
    if request.method == "GET":
        form.scale_max.data = str(competition.scale_max)
    if form.validate_on_submit():
        questions, bad = [], False
        for row in rows:
            fc = row["criterion"]
            row["use"] = request.form.get(f"use_{fc.id}") == "y"
            row["weight"] = request.form.get(f"weight_{fc.id}", "").strip()
            row["question"] = request.form.get(f"question_{fc.id}", "")
            if row["use"]:
                if not row["weight"].isdecimal():
                    form.form_errors.append(f"Enter a whole-number weight for “{fc.name}”.")
                    bad = True
                    continue
                questions.append(setup.QuestionChoice(fc.id, int(row["weight"]), row["question"]))
        if not bad:
            try:
                setup.set_method(competition, questions=questions, price_weight=form.price_weight.data,
                                 scale_max=int(form.scale_max.data), threshold_percent=form.threshold_percent.data,
                                 abnormally_low_percent=form.abnormally_low_percent.data, actor=current_user)
                commit()
                flash("Questions, weights and scoring method saved.", "success")
                return back_to(competition)
            except DomainError as e:
                show_on_form(form, e)
    return render_template("competitions/method.html", form=form, competition=competition, rows=rows)


@bp.route("/<int:competition_id>/timetable", methods=["GET", "POST"])
def timetable(competition_id: int):
    competition = _draft_page(competition_id)
    form = TimetableForm(obj=competition)
    if form.validate_on_submit():
        try:
            hours, minutes = (int(x) for x in form.deadline_time.data.split(":"))
            from datetime import time

            setup.set_timetable(competition, clarification_days=form.clarification_days.data,
                                response_days=form.response_days.data, standstill_days=form.standstill_days.data,
                                deadline_time=time(hours, minutes), actor=current_user)
            commit()
            flash("Timetable saved.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition, heading="Timetable",
                           intro="Periods are counted in working days (weekends and bank holidays in England and "
                                 "Wales do not count) from the day of publication.")


@bp.route("/<int:competition_id>/invitees", methods=["GET", "POST"])
def invitees(competition_id: int):
    competition = _draft_page(competition_id)
    form = InviteesForm()
    eligible = setup.eligible_exemplars(competition.lot, competition.buyer_id)

    form.invitees.choices = [(o.id, f"{o.display_name} ({o.ods_code})") for o in eligible]
    if request.method == "GET":
        form.invitees.data = [i.organisation_id for i in competition.invitations]
        form.justification.data = competition.invitee_justification
    if form.validate_on_submit():
        try:
            setup.set_invitees(competition, organisation_ids=form.invitees.data or [],
                               justification=form.justification.data, actor=current_user)
            commit()
            flash("Invitees saved.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition, heading="Invitees",
                           intro=f"The framework asks for at least {competition.framework.min_invitees} invitees "
                                 f"when that many are eligible; {len(eligible)} are admitted to this lot.")


@bp.route("/<int:competition_id>/evaluators", methods=["GET", "POST"])
def evaluators(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    form = EvaluatorsForm()
    form.evaluators.choices = [(u.id, f"{u.name} ({u.email})") for u in setup.evaluator_candidates(competition)]
    if request.method == "GET":
        form.evaluators.data = [e.user_id for e in competition.evaluators]
    if form.validate_on_submit():
        try:
            setup.set_evaluators(competition, user_ids=form.evaluators.data or [], actor=current_user)
            commit()
            flash("Evaluators saved.", "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition, heading="Evaluators")


@bp.route("/<int:competition_id>/publish", methods=["GET", "POST"])
def publish(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    if request.method == "GET":
        # Publishing cannot be undone (the invitations go out at once): confirm on a page of its own.
        if competition.status != "draft":
            return back_to(competition)
        from . import calendar

        now, at = clock.now(), competition.deadline_clock
        deadlines = {"clarification": calendar.deadline_after(now, competition.clarification_days, at)
                     if competition.clarification_days else None,
                     "response": calendar.deadline_after(now, competition.response_days, at)}
        return render_template("competitions/publish.html", competition=competition, deadlines=deadlines,
                               problems=setup.publication_problems(competition))
    try:
        setup.publish(competition, actor=current_user)
        commit()
        flash("Published. The invitations have been sent.", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return back_to(competition)


def _ending(competition_id: int, kind: str):
    competition = competition_or_404(competition_id, "competitions.manage")
    form = ReasonForm()
    service = award_svc.cancel if kind == "cancel" else award_svc.no_award
    if form.validate_on_submit():
        try:
            service(competition, reason=form.reason.data, actor=current_user)
            commit()
            flash("The competition is cancelled." if kind == "cancel" else "The competition is closed without an award.",
                  "success")
            return back_to(competition)
        except DomainError as e:
            show_on_form(form, e)
    heading = "Cancel this competition" if kind == "cancel" else "Close without an award"
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
    for c in db.session.execute(reading.competitions_for(user).limit(50)).unique().scalars():
        status = c.effective_status(now)
        if status in rules.TERMINAL:
            continue
        items.append({"text": f"{c.reference} {c.title}", "href": url_for("competitions.overview", competition_id=c.id),
                      "hint": rules.status_text(status)})
    return {"title": "Competitions", "items": items[:10], "empty": "No competitions need you at present."}


from . import views_award, views_bidding, views_evaluation, views_inbox  # noqa: E402,F401
