"""Contract management pages: the contract (value, term, KPIs and their ratings, changes, end,
notices due), and the buyer's forms to add KPIs, record the published copy, rate the KPIs, record
a change and record the end."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can
from app.errors import DomainError
from app.extensions import db
from app.web import commit
from app.web.formerrors import show_on_form

from .. import bp, clock
from ..award.models import END_GROUNDS
from ..calendar import london_date
from ..notices import services as notices
from ..notices.rules import due_phrase
from ..policy import competition_or_404
from . import services as contracts
from .forms import ChangeForm, CopyForm, EndForm, KpisForm, RatingsForm
from .models import ContractChange, KpiRating
from .rules import RATINGS, kpi_names, kpi_problem, needs_kpis


def _contract_or_404(competition_id: int, action: str):
    competition = competition_or_404(competition_id, "competitions.contract")
    if action != "competitions.contract":
        competition = competition_or_404(competition_id, action)
    award = contracts.contract_of(competition)
    if award is None:
        abort(404)
    return competition, award


def _back(competition):
    return redirect(url_for("competitions.contract", competition_id=competition.id))


@bp.route("/<int:competition_id>/contract")
def contract(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.contract")
    kpis = notices.kpis_of(award)
    ratings = db.session.execute(select(KpiRating).where(KpiRating.kpi_id.in_([k.id for k in kpis]))
                                 .order_by(KpiRating.round, KpiRating.kpi_id)).scalars().all()
    rounds: dict[int, list] = {}
    for r in ratings:
        rounds.setdefault(r.round, []).append(r)
    changes = db.session.execute(select(ContractChange).where(ContractChange.award_id == award.id)
                                 .order_by(ContractChange.number)).scalars().all()
    manage = can(current_user, "competitions.manage", competition)
    return render_template("competitions/contract.html", competition=competition, award=award, kpis=kpis,
                           rounds=rounds, changes=changes, may_manage=manage, ratings=RATINGS, grounds=END_GROUNDS,
                           kpi_problem=kpi_problem(award.value_pence, len(kpis)), above=needs_kpis(award.value_pence),
                           next_due=contracts.next_assessment_due(award), today=london_date(clock.now()),
                           due_phrase=due_phrase, drafts=[n for n in notices.notices_of(competition)
                                                          if n.status == "draft"] if manage else [])


def _saved(competition, form, action, message: str):
    """Validate, act, commit and go back to the contract; None (the form again) when it failed."""
    if not form.validate_on_submit():
        return None
    try:
        action()
        commit()
        flash(message, "success")
        return _back(competition)
    except DomainError as e:
        show_on_form(form, e)
        return None


def _form_page(competition, form, heading, submit_text, intro=None, **extra):
    return render_template("competitions/form.html", form=form, competition=competition, heading=heading,
                           submit_text=submit_text, intro=intro,
                           back_href=url_for("competitions.contract", competition_id=competition.id), **extra)


@bp.route("/<int:competition_id>/contract/kpis", methods=["GET", "POST"])
def contract_kpis(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.manage")
    form = KpisForm()
    done = _saved(competition, form, lambda: contracts.add_kpis(award, kpi_names(form.kpis.data), actor=current_user),
                  "Key performance indicators added.")
    return done or _form_page(competition, form, "Add key performance indicators", "Add them",
                      "A contract worth more than £5,000,000 needs at least three (Procurement Act 2023 s52).")


@bp.route("/<int:competition_id>/contract/copy", methods=["GET", "POST"])
def contract_copy(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.manage")
    form = CopyForm()
    done = _saved(competition, form, lambda: contracts.set_copy_url(award, form.copy_url.data, actor=current_user),
                  "The address of the published copy is recorded.")
    return done or _form_page(competition, form, "The published copy of the contract", "Save",
                      "A contract worth more than £5,000,000 is published, redacted where the law allows (s94).")


@bp.route("/<int:competition_id>/contract/ratings", methods=["GET", "POST"])
def rate_kpis(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.manage")
    kpis = notices.kpis_of(award)
    form = RatingsForm()
    errors: dict[str, str] = {}
    valid = form.validate_on_submit()
    if request.method == "POST":
        ratings = {k.id: (request.form.get(f"rating_{k.id}", ""), request.form.get(f"evidence_{k.id}", ""))
                   for k in kpis}
        for k in kpis:  # every missing rating and evidence at once, each on its own field
            if ratings[k.id][0] not in RATINGS:
                errors[f"rating_{k.id}"] = f"Rate “{k.name}”"
            if not ratings[k.id][1].strip():
                errors[f"evidence_{k.id}"] = f"Enter the evidence for “{k.name}”"
    if valid and not errors:
        try:
            n = contracts.rate_kpis(award, assessed_on=form.assessed_on.data, ratings=ratings, actor=current_user)
            commit()
            flash(f"Assessment round {n} recorded. Review and publish the contract performance notice.", "success")
            return _back(competition)
        except DomainError as e:
            if e.field and (e.field.startswith("rating_") or e.field.startswith("evidence_")):
                db.session.rollback()
                errors[e.field] = e.message
            else:
                show_on_form(form, e)
    return render_template("competitions/ratings.html", competition=competition, award=award, kpis=kpis, form=form,
                           ratings=RATINGS, errors=errors, posted=request.form if request.method == "POST" else {})


@bp.route("/<int:competition_id>/contract/change", methods=["GET", "POST"])
def contract_change(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.manage")
    form = ChangeForm()
    if request.method == "GET":
        form.value.set_pence(award.value_pence)
        form.ends_on.data = award.contract_ends_on
    done = _saved(competition, form, lambda: contracts.record_change(
        award, description=form.description.data, reason=form.reason.data, value_after_pence=form.value.pence,
        ends_on_after=form.ends_on.data, effective_on=form.effective_on.data, actor=current_user),
        "Change recorded. Publish the contract change notice before it takes effect.")
    return done or _form_page(competition, form, "Record a change to the contract", "Record the change",
                      "A contract change notice (s75) is prepared for you to publish before the change takes effect.")


@bp.route("/<int:competition_id>/contract/end", methods=["GET", "POST"])
def end_contract(competition_id: int):
    competition, award = _contract_or_404(competition_id, "competitions.manage")
    form = EndForm()
    done = _saved(competition, form, lambda: contracts.end_contract(
        award, ground=form.ground.data, ended_on=form.ended_on.data, reason=form.reason.data, actor=current_user),
        "The end of the contract is recorded. Publish the contract termination notice within 30 days.")
    return done or _form_page(competition, form, "Record the end of the contract", "Record the end",
                      "However it ended (at its end date too), a contract termination notice is due within 30 days "
                      "(s80). A contract ended for the exemplar's failure counts against its track record.",
                      warning=True)
