"""Forms of the conflicts assessment."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from .rules import ROLES


class ParticipantForm(FlaskForm):
    user = SelectField("Person", choices=[], validators=[DataRequired("Choose the person")])
    role = RadioField("Their part in the procurement",
                      choices=[SelectChoice(k, v) for k, v in ROLES.items() if k != "evaluator"],
                      validators=[DataRequired("Choose their part in the procurement")],
                      description="Evaluators take part as soon as they are chosen")


class DeclarationForm(FlaskForm):
    has_interest = RadioField("Do you have any interest that could conflict with this procurement?",
                              description="For example a financial or personal link with a bidder, or a past or "
                                          "planned job with one",
                              choices=[SelectChoice("no", "No, I have no interest to declare"),
                                       SelectChoice("yes", "Yes, I have an interest to declare")],
                              validators=[DataRequired("Say whether you have an interest to declare")])
    interest = TextAreaField("Describe the interest (if you have one)", validators=[Optional(), Length(max=5000)])


class AssessmentForm(FlaskForm):
    conflict = RadioField("Is this a conflict of interest?",
                          choices=[SelectChoice("no", "No: the interest does not put the procurement at risk"),
                                   SelectChoice("yes", "Yes: it is a conflict of interest that must be mitigated")],
                          validators=[DataRequired("Say whether the interest is a conflict of interest")])
    mitigation = TextAreaField("How it is mitigated (if it is a conflict)", validators=[Optional(), Length(max=5000)])
    exclude = RadioField("Is the person excluded from the procurement?",
                         choices=[SelectChoice("no", "No"),
                                  SelectChoice("yes", "Yes: they take no further part (an evaluator does not score)")],
                         default="no", validators=[Optional()])
