"""Forms of the invitees' side: clarification questions and answers, and the sealed bid."""
from __future__ import annotations

import uuid

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

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


class BidForm(FlaskForm):
    price = pounds_field("Total price", required=True, description="In pounds, excluding VAT")
    offer_version = SelectField("The offer this bid is based on (optional)", choices=[], validators=[Optional()])
    documents = TextAreaField("Documents", description="Text, or links to documents, one per line",
                              validators=[Optional(), Length(max=20000)])
    over_budget = BooleanField("Submit my price although it is above the buyer's budget")
    idempotency_key = HiddenField()

    def new_key(self) -> None:
        self.idempotency_key.data = uuid.uuid4().hex


def dynamic_text(form_data, prefix: str, ids) -> dict:
    """{id: text} from inputs named <prefix><id>."""
    return {i: (form_data.get(f"{prefix}{i}") or "") for i in ids}
