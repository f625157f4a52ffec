"""The conflicts assessment's pages: the assessment (and adding people taking part), a
declaration (one's own, or recorded by a buyer on someone's behalf), the buyer's assessment of a
declared interest, and the confirmation."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectChoice

from app.accounts.models import User
from app.accounts.permissions import can
from app.errors import DomainError
from app.extensions import db
from app.web import commit
from app.web.formerrors import show_on_form

from .. import bp
from ..policy import competition_or_404
from . import services as assessment
from .forms import AssessmentForm, DeclarationForm, ParticipantForm
from .models import ConflictDeclaration
from .rules import ROLES


def _back(competition):
    return redirect(url_for("competitions.conflicts", competition_id=competition.id))


def _declaration_or_404(competition, declaration_id: int) -> ConflictDeclaration:
    d = db.session.get(ConflictDeclaration, declaration_id)
    if d is None or d.competition_id != competition.id:
        abort(404)
    return d


@bp.route("/<int:competition_id>/conflicts", methods=["GET", "POST"])
def conflicts(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.conflicts")
    manage = can(current_user, "competitions.manage", competition)
    form = ParticipantForm()
    taken = {d.user_id for d in assessment.declarations(competition)}
    people = db.session.execute(select(User).where(User.organisation_id == competition.buyer_id,
                                                   User.active.is_(True)).order_by(User.name)).unique().scalars().all()
    form.user.choices = [SelectChoice("", "Choose a person")] + [
        SelectChoice(str(u.id), f"{u.name} ({u.email})") for u in people if u.id not in taken]
    if manage and form.validate_on_submit():
        try:
            user = db.session.get(User, int(form.user.data)) if form.user.data.isdecimal() else None
            if user is None:
                raise DomainError("Choose a person of your organisation.", field="user")
            assessment.add_participant(competition, user, form.role.data, actor=current_user)
            commit()
            flash(f"{user.name} takes part. They are asked to declare their interests.", "success")
            return _back(competition)
        except DomainError as e:
            show_on_form(form, e)
    elif not manage and form.is_submitted():
        abort(403)
    own = assessment.declaration_of(competition, current_user)
    return render_template("competitions/conflicts.html", competition=competition, form=form, may_manage=manage,
                           declarations=assessment.declarations(competition), roles=ROLES, own=own,
                           problems=assessment.assessment_problems(competition))


@bp.route("/<int:competition_id>/conflicts/<int:declaration_id>/declare", methods=["GET", "POST"])
def declare(competition_id: int, declaration_id: int):
    """A participant's own declaration, or a buyer recording it on their behalf."""
    competition = competition_or_404(competition_id, "competitions.conflicts")
    d = _declaration_or_404(competition, declaration_id)
    if d.user_id != current_user.id and not can(current_user, "competitions.manage", competition):
        abort(403)
    form = DeclarationForm()
    if form.validate_on_submit():
        try:
            assessment.declare(competition, d.user, has_interest=form.has_interest.data == "yes",
                              interest=form.interest.data or "", actor=current_user)
            commit()
            flash("Declaration recorded.", "success")
            return _back(competition)
        except DomainError as e:
            show_on_form(form, e)
    own = d.user_id == current_user.id
    return render_template("competitions/form.html", form=form, competition=competition,
                           heading="Declare your interests" if own else f"Record {d.user.name}'s declaration",
                           submit_text="Record the declaration", back_href=url_for("competitions.conflicts",
                                                                                  competition_id=competition.id),
                           intro="Declare anything that could be, or be seen to be, a conflict of interest in this "
                                 "procurement (Procurement Act 2023 s81). " + ("" if own else
                                 "Record it as the person declared it to you."))


@bp.route("/<int:competition_id>/conflicts/<int:declaration_id>/assess", methods=["GET", "POST"])
def assess(competition_id: int, declaration_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    d = _declaration_or_404(competition, declaration_id)
    form = AssessmentForm()
    if form.validate_on_submit():
        try:
            assessment.assess(d, conflict=form.conflict.data == "yes", mitigation=form.mitigation.data or "",
                             exclude=form.exclude.data == "yes", actor=current_user)
            commit()
            flash("Assessment recorded.", "success")
            return _back(competition)
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition,
                           heading=f"Assess {d.user.name}'s interest", submit_text="Record the assessment",
                           back_href=url_for("competitions.conflicts", competition_id=competition.id),
                           intro=f"Declared: {d.interest or 'no interest'}. Decide whether it is a conflict of interest "
                                 "and, if it is, how it is mitigated (s82).")


@bp.route("/<int:competition_id>/conflicts/confirm", methods=["GET", "POST"])
def confirm_conflicts(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return _back(competition)
    try:
        assessment.confirm(competition, actor=current_user)
        commit()
        flash("The conflicts assessment is confirmed. Any change reopens it for review.", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return _back(competition)
