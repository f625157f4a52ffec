"""Invitees' pages: clarifications (asked and answered) and the sealed bid."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import can
from app.documents import services as docs
from app.errors import DomainError
from app.extensions import db
from app.web.formerrors import show_on_form, validate_all
from app.web import accepts_documents, commit

from .. import bp, clock, rules
from ..models import Clarification
from ..documents.services import add_clarification_document, own_bid_documents, pack_documents
from ..policy import competition_or_404
from . import services as bidding
from .forms import AnswerForm, QuestionForm, bid_form


@bp.route("/<int:competition_id>/clarifications", methods=["GET", "POST"])
def clarifications(competition_id: int):
    competition = competition_or_404(competition_id)
    status = competition.effective_status()
    manage = can(current_user, "competitions.manage", competition)
    may_ask = can(current_user, "competitions.bid", competition) and rules.may_ask_question(status)
    form = QuestionForm()
    if request.method == "POST":
        competition = competition_or_404(competition_id, "competitions.bid")
        if form.validate_on_submit():
            try:
                bidding.ask_question(competition, actor=current_user, question=form.question.data)
                commit()
                flash("Your question was sent. The answer will be published to every invitee.", "success")
                return redirect(url_for("competitions.clarifications", competition_id=competition.id))
            except DomainError as e:
                show_on_form(form, e)
    published = [c for c in competition.clarifications if c.published_at is not None]
    mine = [c for c in competition.clarifications if c.published_at is None
            and c.asked_by_org_id == current_user.organisation_id]
    unanswered = [c for c in competition.clarifications if c.published_at is None] if manage else []
    attached: dict[int, list] = {}
    for link in docs.current(x for x in pack_documents(competition) if x.kind == "clarification"
                             and can(current_user, "competitions.view_document", x)):
        attached.setdefault(link.clarification_id, []).append(link)
    return render_template("competitions/clarifications.html", competition=competition, status=status, form=form,
                           attached=attached,
                           published=published, mine=mine, unanswered=unanswered, may_ask=may_ask, may_manage=manage,
                           may_answer=manage and rules.may_answer_question(status))


@bp.route("/<int:competition_id>/clarifications/<int:item_id>/answer", methods=["GET", "POST"])
@accepts_documents
def answer(competition_id: int, item_id: int):
    competition = competition_or_404(competition_id, "competitions.manage")
    item = db.session.get(Clarification, item_id)
    if item is None or item.competition_id != competition.id:
        abort(404)
    form = AnswerForm()
    if request.method == "GET":
        form.published_question.data = item.question
    if form.validate_on_submit():
        try:
            bidding.answer_question(item, actor=current_user, published_question=form.published_question.data,
                                    answer=form.answer.data)
            if form.file.upload is not None:
                add_clarification_document(item, upload=form.file.upload, actor=current_user)
            commit()
            flash("Answer published to every invitee.", "success")
            return redirect(url_for("competitions.clarifications", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("competitions/form.html", form=form, competition=competition,
                           heading="Answer a clarification question", submit_text="Publish the answer",
                           intro="Asked: " + item.question)


def _offer_choices(competition) -> list[tuple[str, str]]:
    from app.offers.models import Offer

    offers = db.session.execute(select(Offer).where(Offer.organisation_id == current_user.organisation_id,
                                                    Offer.lot_id == competition.lot_id, Offer.status == "published")
                                ).unique().scalars().all()
    return [("", "No offer")] + [(str(o.current_version_id), f"{o.current_version.title} (version "
                                  f"{o.current_version.number})") for o in offers if o.current_version is not None]


@bp.route("/<int:competition_id>/bid", methods=["GET", "POST"])
def bid(competition_id: int):
    """The invitee's own bid: only its organisation ever sees this page's content before the deadline."""
    competition = competition_or_404(competition_id, "competitions.bid")
    now = clock.now()
    status = competition.effective_status(now)
    form = bid_form(competition.criteria)
    form.offer_version.choices = _offer_choices(competition)
    version = form.offer_version.data
    version_id = int(version) if version and version.isdecimal() else None
    if request.method == "GET":
        form.new_key()
        existing = bidding.bid_of(competition, current_user.organisation_id)
        if existing is not None:
            form.price.set_pence(existing.price_pence)
            form.documents.data = existing.documents
            form.offer_version.data = str(existing.offer_version_id or "")
            for c, f in form.answers:
                f.data = existing.answer_for(c.id)
    elif not rules.may_bid(status) or validate_all(form, lambda: bidding.bid_problems(
            competition, current_user.organisation_id, form.price.pence, form.answer_texts(), form.documents.data,
            version_id, over_budget_confirmed=bool(form.over_budget.data))):  # when too late, submit_bid says so: that matters more than any field
        try:
            bidding.submit_bid(competition, actor=current_user, price_pence=form.price.pence,
                               answers=form.answer_texts(), documents=form.documents.data,
                               idempotency_key=form.idempotency_key.data, offer_version_id=version_id,
                               over_budget_confirmed=bool(form.over_budget.data))
            commit()
            flash("Your bid was received. You can revise or withdraw it until the deadline.", "success")
            return redirect(url_for("competitions.bid", competition_id=competition_id))
        except DomainError as e:
            show_on_form(form, e)
            competition = competition_or_404(competition_id, "competitions.bid")
            status = competition.effective_status()  # the deadline may have passed while it waited
    if request.method == "POST":
        existing = bidding.bid_of(competition, current_user.organisation_id)  # read after any rollback
        if not form.idempotency_key.data:
            form.new_key()
    price = form.price.pence if request.method == "POST" else (existing.price_pence if existing else None)
    return render_template("competitions/bid.html", competition=competition, status=status, form=form, bid=existing,
                           over_budget=bidding.over_budget_warning(competition, price) or form.over_budget.errors,
                           may_bid=rules.may_bid(status), bid_document_count=len(docs.current(
                               own_bid_documents(competition, current_user.organisation_id))),
                           invitation=bidding.invitation_for(competition, current_user.organisation_id))


@bp.route("/<int:competition_id>/bid/withdraw", methods=["GET", "POST"])
def withdraw(competition_id: int):
    competition = competition_or_404(competition_id, "competitions.bid")
    if request.method == "GET":  # a reload or a copied address: the page the button is on
        return redirect(url_for("competitions.bid", competition_id=competition_id))
    try:
        bidding.withdraw_bid(competition, actor=current_user)
        commit()
        flash("Your bid was withdrawn. You can submit a new one until the deadline.", "success")
    except DomainError as e:
        db.session.rollback()
        flash(e.message, "error")
    return redirect(url_for("competitions.bid", competition_id=competition_id))
