"""Forms of a competition's documents: the buyer's pack and contract, and a bidder's documents."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import InputRequired

from app.documents.forms import DocumentField


class PackDocumentForm(FlaskForm):
    kind = RadioField("What is it?", validators=[InputRequired("Select what the document is")], choices=[])
    file = DocumentField("Upload a file", description="A new specification, pricing schedule or terms replaces "
                                                      "the one before; earlier versions are kept.")


class BidDocumentForm(FlaskForm):
    question = SelectField("Which part of your bid is it for?", choices=[])
    file = DocumentField("Upload a file", description="A file with the same name replaces the one before.")


class RemoveForm(FlaskForm):
    """A one-button form (its CSRF token)."""
