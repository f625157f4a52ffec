"""Pages of a competition's documents: the pack (and contract documents), a bidder's own
documents, the downloads, and the zips of the pack and, after the deadline, of all bids.

Every download is checked by the competitions policy and audited with the file's hash, so these
GETs write (an audit entry) and commit. A bid document that may not be seen is a 404, whoever
asks: before the deadline not even its existence shows.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from app.accounts.permissions import can, require
from app.audit.services import record
from app.documents import services as docs
from app.errors import DomainError
from app.extensions import db
from app.web import accepts_documents, audited_download, commit
from app.web.formerrors import show_on_form

from .. import bp, rules
from ..policy import competition_or_404
from ..queries import award_of
from . import services
from .forms import BidDocumentForm, PackDocumentForm, RemoveForm
from .models import PACK, PACK_KINDS, BidDocument, CompetitionDocument


def _pack_choices(competition, status) -> list[SelectChoice]:
    choices = [SelectChoice(k, PACK_KINDS[k][0]) for k in PACK] if services.may_change_pack(status) else []
    if award_of(competition) is not None:
        choices.append(SelectChoice("contract", PACK_KINDS["contract"][0]))
    return choices


@bp.route("/<int:competition_id>/documents", methods=["GET", "POST"])
@accepts_documents
def documents(competition_id: int):
    """The competition's documents: the pack for every viewer; the buyer adds and replaces them."""
    competition = competition_or_404(competition_id)
    status = competition.effective_status()
    manage = can(current_user, "competitions.manage", competition)
    form = PackDocumentForm()
    form.kind.choices = _pack_choices(competition, status) if manage else []
    if request.method == "POST":
        competition = competition_or_404(competition_id, "competitions.manage")
        if form.validate_on_submit():
            try:
                link = services.add_pack_document(competition, kind=form.kind.data, upload=form.file.upload,
                                                  actor=current_user)
                commit()
                flash(f"{link.kind_label} added: {link.name} (version {link.version}).", "success")
                return redirect(url_for("competitions.documents", competition_id=competition.id))
            except DomainError as e:
                show_on_form(form, e)
    links = [x for x in services.pack_documents(competition) if can(current_user, "competitions.view_document", x)]
    return render_template("competitions/documents.html", competition=competition, status=status, rules=rules,
                           form=form, may_manage=manage, current=docs.current(links), earlier=docs.earlier(links),
                           remove_form=RemoveForm(), may_change=services.may_change_pack(status),
                           may_zip_bids=can(current_user, "competitions.view_bids", competition))


def _pack_link(competition_id: int, link_id: int) -> CompetitionDocument:
    competition = competition_or_404(competition_id)
    link = db.session.get(CompetitionDocument, link_id)
    if link is None or link.competition_id != competition.id or not can(current_user, "competitions.view_document", link):
        abort(404)
    return link


@bp.route("/<int:competition_id>/documents/<int:link_id>")
@audited_download
def document(competition_id: int, link_id: int):
    link = _pack_link(competition_id, link_id)
    response = docs.send(link, actor=current_user, summary=f"Downloaded {link.name} of {link.competition.reference}")
    commit()
    return response


@bp.route("/<int:competition_id>/documents/<int:link_id>/remove", methods=["GET", "POST"])
def remove_document(competition_id: int, link_id: int):
    link = _pack_link(competition_id, link_id)
    require("competitions.manage", link.competition)
    if RemoveForm().validate_on_submit():
        try:
            services.remove_pack_document(link, actor=current_user)
            commit()
            flash(f"{link.name} was removed. Its versions are kept in the record.", "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    return redirect(url_for("competitions.documents", competition_id=competition_id))


@bp.route("/<int:competition_id>/pack.zip")
@audited_download
def pack_zip(competition_id: int):
    """The whole pack in force, with published clarification documents (and, for those who may
    see them, the contract documents), as one zip."""
    competition = competition_or_404(competition_id)
    items = [i for i in services.pack_zip_items(competition, contract=True)
             if can(current_user, "competitions.view_document", i.link)]
    if not items:
        abort(404)
    record("competition.pack_download", competition, after={"files": docs.manifest_of(items)},
           summary=f"Downloaded the documents of {competition.reference} as a zip ({len(items)} files)",
           actor=current_user)
    response = docs.zip_response(items, download_name=f"{competition.reference}-documents.zip")
    commit()
    return response


# --- the bidders' documents -------------------------------------------------------------------

@bp.route("/<int:competition_id>/bid/documents", methods=["GET", "POST"])
@accepts_documents
def bid_documents(competition_id: int):
    """A bidder's own documents: added, replaced and removed until the deadline, sealed with the bid."""
    competition = competition_or_404(competition_id, "competitions.bid")
    status = competition.effective_status()
    form = BidDocumentForm()
    form.question.choices = [SelectChoice("", "The bid as a whole (general)")] + [
        SelectChoice(str(c.id), f"Question {i}: {c.name}") for i, c in enumerate(competition.criteria, start=1)]
    if request.method == "POST" and form.validate_on_submit():
        try:
            link = services.add_bid_document(competition, criterion_id=int(form.question.data) if form.question.data
                                             else None, upload=form.file.upload, actor=current_user)
            commit()
            flash(f"{link.name} was added to your bid (version {link.version}). Only your organisation can see it "
                  f"before the deadline.", "success")
            return redirect(url_for("competitions.bid_documents", competition_id=competition.id))
        except DomainError as e:
            show_on_form(form, e)
    links = services.own_bid_documents(competition, current_user.organisation_id)
    return render_template("competitions/bid_documents.html", competition=competition, status=status, form=form,
                           current=docs.current(links), earlier=docs.earlier(links), remove_form=RemoveForm(),
                           may_bid=rules.may_bid(status), criteria={c.id: (i, c) for i, c in
                                                                    enumerate(competition.criteria, start=1)})


def _bid_link(competition_id: int, link_id: int) -> BidDocument:
    competition = competition_or_404(competition_id)
    link = db.session.get(BidDocument, link_id)
    if link is None or link.competition_id != competition.id or not can(current_user, "competitions.view_bid_document",
                                                                            link):
        abort(404)  # sealed: the same answer whether it exists or not
    return link


@bp.route("/<int:competition_id>/bid-documents/<int:link_id>")
@audited_download
def bid_document(competition_id: int, link_id: int):
    link = _bid_link(competition_id, link_id)
    response = docs.send(link, actor=current_user, summary=f"Downloaded the bid document {link.name} of "
                                                           f"{link.competition.reference}")
    commit()
    return response


@bp.route("/<int:competition_id>/bid-documents/<int:link_id>/remove", methods=["GET", "POST"])
def remove_bid_document(competition_id: int, link_id: int):
    competition = competition_or_404(competition_id, "competitions.bid")
    link = _bid_link(competition.id, link_id)
    if link.organisation_id != current_user.organisation_id:
        abort(404)
    if RemoveForm().validate_on_submit():
        try:
            services.remove_bid_document(link, actor=current_user)
            commit()
            flash(f"{link.name} was removed from your bid.", "success")
        except DomainError as e:
            db.session.rollback()
            flash(e.message, "error")
    return redirect(url_for("competitions.bid_documents", competition_id=competition_id))


@bp.route("/<int:competition_id>/bids.zip")
@audited_download
def bids_zip(competition_id: int):
    """After the deadline, every bid's documents as one zip, for those who may see the bids."""
    competition = competition_or_404(competition_id)
    require("competitions.view_bids", competition)  # 403 before the deadline, for everyone
    items = services.bids_zip_items(competition)
    if not items:
        flash("No bid has any documents: there is nothing to download.", "info")
        return redirect(url_for("competitions.evaluation_page", competition_id=competition.id))
    record("competition.bids_download", competition, after={"files": docs.manifest_of(items)},
           summary=f"Downloaded the bids' documents of {competition.reference} as a zip ({len(items)} files)",
           actor=current_user)
    response = docs.zip_response(items, download_name=f"{competition.reference}-bids.zip")
    commit()
    return response
