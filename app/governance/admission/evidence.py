"""Evidence documents of an admission application: the applying trust uploads them while the
application is undecided; the commercial team and auditors read them (each download audited)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from app.web.fields import FlaskForm

from app.accounts.permissions import can, require
from app.documents import services as docs
from app.documents.forms import DocumentField
from app.extensions import db
from app.web import accepts_documents, audited_download, commit

from .. import bp
from ..policy import get_or_404, require_hidden
from .models import AdmissionApplication, ApplicationDocument
from .services import add_evidence, evidence_of


class EvidenceForm(FlaskForm):
    file = DocumentField("Upload evidence", description="For example a go-live report, a benefits case or a "
                                                       "board paper. A file with the same name replaces the one before.")


class RemoveForm(FlaskForm):
    """A one-button form (its CSRF token)."""


def _application(application_id: int) -> AdmissionApplication:
    a = get_or_404(AdmissionApplication, application_id)
    require_hidden("governance.view_application", a)
    return a


@bp.route("/applications/<int:application_id>/evidence", methods=["GET", "POST"])
@accepts_documents
def evidence(application_id: int):
    a = _application(application_id)
    may_add = can(current_user, "governance.add_evidence", a)
    form = EvidenceForm()
    if form.is_submitted():
        require("governance.add_evidence", a)
        if form.validate():
            link = add_evidence(a, upload=form.file.upload, actor=current_user)
            commit()
            flash(f"{link.name} was added to the application (version {link.version}).", "success")
            return redirect(url_for("governance.evidence", application_id=a.id))
    links = evidence_of(a)
    return render_template("governance/evidence.html", application=a, form=form, may_add=may_add,
                           current=docs.current(links), earlier=docs.earlier(links), remove_form=RemoveForm())


def _link(application_id: int, link_id: int) -> ApplicationDocument:
    a = _application(application_id)
    link = db.session.get(ApplicationDocument, link_id)
    if link is None or link.application_id != a.id:
        abort(404)
    return link


@bp.route("/applications/<int:application_id>/evidence/<int:link_id>")
@audited_download
def evidence_document(application_id: int, link_id: int):
    link = _link(application_id, link_id)
    response = docs.send(link, actor=current_user, summary=f"Downloaded evidence {link.name} of application "
                                                           f"{application_id}")
    commit()
    return response


@bp.route("/applications/<int:application_id>/evidence/<int:link_id>/remove", methods=["GET", "POST"])
def remove_evidence(application_id: int, link_id: int):
    link = _link(application_id, link_id)
    require("governance.add_evidence", link.application)
    if RemoveForm().validate_on_submit():
        docs.remove(link, actor=current_user, summary=f"Removed evidence {link.name} from application {application_id}")
        commit()
        flash(f"{link.name} was removed. Its versions are kept in the record.", "success")
    return redirect(url_for("governance.evidence", application_id=application_id))
