"""Setting up a competition: starting a draft (from a buyer's project or not), its details,
method, timetable, invitees and evaluators, and publishing it."""
from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import require
from app.errors import DomainError
from app.extensions import db
from app.registry.models import Framework, Lot
from app.web import commit
from app.web.formerrors import show_on_form, validate_all

from .. import bp, clock, scoring
from ..models import Competition
from ..policy import back_to, competition_or_404
from . import services as setup
from .forms import CompetitionForm, DetailsForm, EvaluatorsForm, InviteesForm, MethodForm, TimetableForm


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
    questions, weight_problems = [], []
    if request.method == "POST":
        for row in rows:
            fc = row["criterion"]
            row["use"] = request.form.get(f"use_{fc.id}") == "y"
            row["weight"] = request.form.get(f"weight_{fc.id}", "").strip()
            row["question"] = request.form.get(f"question_{fc.id}", "")
            if row["use"]:
                problem = scoring.weight_problem(row["weight"], fc.name)
                if problem:
                    weight_problems.append((f"weight_{fc.id}", problem))
                else:
                    questions.append(setup.QuestionChoice(fc.id, int(row["weight"]), row["question"]))
    if validate_all(form, lambda: weight_problems):
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
        from .. import calendar

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
