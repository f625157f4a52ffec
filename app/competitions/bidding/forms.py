"""Forms of the invitees' side: clarification questions and answers, and the sealed bid."""
from __future__ import annotations

import uuid

from app.web.fields import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.documents.forms import DocumentField

from ..forms import pounds_field


class QuestionForm(FlaskForm):
    question = TextAreaField("Your question", description="The buyer publishes every answer to all invitees "
                             "without saying who asked", validators=[DataRequired("Enter your question"),
                                                                     Length(max=5000)])


class AnswerForm(FlaskForm):
    published_question = TextAreaField("The question as it will be published",
                                       description="Remove anything that identifies who asked",
                                       validators=[DataRequired("Enter the question"), Length(max=5000)])
    answer = TextAreaField("Answer", validators=[DataRequired("Enter the answer"), Length(max=20000)])
    file = DocumentField("A document to publish with the answer (optional)", required=False)


def _documents_field():
    return TextAreaField("Links to documents", description="Links, one per line. Upload files on the page "
                         "‘Your bid’s documents’",
                         validators=[Optional(), Length(max=20000)])


class BidForm(FlaskForm):
    price = pounds_field("Total price", required=True, description="In pounds, excluding VAT")
    offer_version = SelectField("The offer this bid is based on (optional)", choices=[], validators=[Optional()])
    documents = _documents_field()
    over_budget = BooleanField("Submit my price although it is above the buyer's budget")
    idempotency_key = HiddenField()

    #: (criterion, its answer field), in the competition's order (see bid_form).
    answers: list = []

    def new_key(self) -> None:
        self.idempotency_key.data = uuid.uuid4().hex

    def answer_texts(self) -> dict[int, str]:
        return {c.id: f.data or "" for c, f in self.answers}


def bid_form(criteria, **kwargs) -> BidForm:
    """The bid form of one competition: an answer field for each question (answer_<criterion id>),
    so that an unanswered question is shown on its field and linked from the error summary."""

    class CompetitionBidForm(BidForm):
        pass

    for c in criteria:
        setattr(CompetitionBidForm, f"answer_{c.id}", TextAreaField(
            f"{c.name} ({c.weight}%)", description=c.question or None, validators=[Optional()]))
    CompetitionBidForm.documents = _documents_field()  # after the answers, as on the page
    form = CompetitionBidForm(**kwargs)
    form.answers = [(c, getattr(form, f"answer_{c.id}")) for c in criteria]
    return form

