"""Forms of contract management."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length

from app.web.fields import DateInputField

from ..award.models import END_GROUNDS
from ..forms import pounds_field


class KpisForm(FlaskForm):
    kpis = TextAreaField("Key performance indicators to add", description="One per line",
                         validators=[DataRequired("Enter at least one key performance indicator"), Length(max=5000)])


class CopyForm(FlaskForm):
    copy_url = URLField("Address of the published copy of the contract",
                        validators=[DataRequired("Enter the address of the published copy"),
                                    URL(message="Enter a web address starting with https://"), Length(max=500)])


class RatingsForm(FlaskForm):
    """The assessment date; each KPI's rating and evidence are named by its id (rating_<id>, evidence_<id>)."""

    assessed_on = DateInputField("Date of the assessment", validators=[InputRequired("Enter the date of the assessment")])


class ChangeForm(FlaskForm):
    description = TextAreaField("What changes", validators=[DataRequired("Enter what changes"), Length(max=5000)])
    reason = TextAreaField("Why it changes", description="The ground in the contract or the Act that allows it",
                           validators=[DataRequired("Enter why it changes"), Length(max=5000)])
    value = pounds_field("Contract value after the change", required=True, description="In pounds, excluding VAT")
    ends_on = DateInputField("Contract end after the change", validators=[InputRequired("Enter the contract end")])
    effective_on = DateInputField("The change takes effect on",
                                  validators=[InputRequired("Enter the date the change takes effect")])


class EndForm(FlaskForm):
    ground = RadioField("How did the contract end?", choices=[SelectChoice(k, v) for k, v in END_GROUNDS.items()],
                        validators=[DataRequired("Choose how the contract ended")])
    ended_on = DateInputField("Date it ended", validators=[InputRequired("Enter the date it ended")])
    reason = TextAreaField("Reason and details", validators=[DataRequired("Enter the reason"), Length(max=5000)])
