"""An offer's documents: the exemplar manages them; whoever may read the offer downloads them
(each download audited with the file's hash)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import InputRequired

from app.accounts.permissions import require
from app.documents import services as docs
from app.documents.forms import DocumentField
from app.extensions import db
from app.web import accepts_documents, audited_download, commit

from .. import bp
from ..policy import offer_or_404
from .models import OFFER_DOCUMENT_KINDS, OfferDocument
from .services import add_offer_document, offer_documents


class OfferDocumentForm(FlaskForm):
    kind = RadioField("What is it?", validators=[InputRequired("Select what the document is")],
                      choices=[SelectChoice(k, label) for k, (label, _) in OFFER_DOCUMENT_KINDS.items()])
    file = DocumentField("Upload a file", description="A new service definition or pricing document replaces the "
                                                      "one before; a blueprint with the same name replaces it.")


class RemoveForm(FlaskForm):
    """A one-button form (its CSRF token)."""


@bp.route("/offers/<int:offer_id>/documents", methods=["GET", "POST"])
@accepts_documents
def offer_documents_page(offer_id: int):
    o = offer_or_404(offer_id, signed_in=True)
    require("offers.edit", o)
    form = OfferDocumentForm()
    if form.validate_on_submit():
        link = add_offer_document(o, kind=form.kind.data, upload=form.file.upload, actor=current_user)
        commit()
        flash(f"{link.kind_label} added: {link.name} (version {link.version}).", "success")
        return redirect(url_for("offers.offer_documents_page", offer_id=o.id))
    links = offer_documents(o)
    return render_template("offers/documents.html", offer=o, form=form, current=docs.current(links),
                           earlier=docs.earlier(links), remove_form=RemoveForm())


def _link(offer_id: int, link_id: int) -> OfferDocument:
    o = offer_or_404(offer_id)
    link = db.session.get(OfferDocument, link_id)
    if link is None or link.offer_id != o.id:
        abort(404)
    return link


@bp.route("/offers/<int:offer_id>/documents/<int:link_id>")
@audited_download
def offer_document(offer_id: int, link_id: int):
    link = _link(offer_id, link_id)
    response = docs.send(link, actor=current_user if current_user.is_authenticated else None,
                         summary=f"Downloaded {link.name} of offer {offer_id}")
    commit()
    return response


@bp.route("/offers/<int:offer_id>/documents/<int:link_id>/remove", methods=["GET", "POST"])
def remove_offer_document(offer_id: int, link_id: int):
    o = offer_or_404(offer_id, signed_in=True)
    require("offers.edit", o)
    link = _link(offer_id, link_id)
    if RemoveForm().validate_on_submit():
        docs.remove(link, actor=current_user, summary=f"Removed {link.name} from offer {o.id}")
        commit()
        flash(f"{link.name} was removed. Its versions are kept in the record.", "success")
    return redirect(url_for("offers.offer_documents_page", offer_id=o.id))
