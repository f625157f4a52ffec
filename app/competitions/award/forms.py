"""Forms of the award: the contract's value and dates, and partnership milestones."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.web.fields import DateInputField

from ..forms import pounds_field


class AwardForm(FlaskForm):
    value = pounds_field("Contract value", required=True, description="In pounds, excluding VAT")
    starts_on = DateInputField("Contract start", validators=[InputRequired("Enter the contract start")])
    ends_on = DateInputField("Contract end", validators=[InputRequired("Enter the contract end")])
    go_live_on = DateInputField("Planned go-live (optional)", validators=[Optional()],
                                description="Defaults to the contract end")
    kpis = TextAreaField("Key performance indicators", validators=[Optional(), Length(max=5000)],
                         description="One per line. A contract worth more than £5,000,000 needs at least three "
                                     "(Procurement Act 2023 s52)")
    copy_url = URLField("Address of the published copy of the contract (over £5,000,000)",
                        validators=[Optional(), URL(message="Enter a web address starting with https://"),
                                    Length(max=500)],
                        description="A contract worth more than £5,000,000 is published (s94); you can add this later")


class IntentionForm(FlaskForm):
    note = TextAreaField("Reason for the award", description="Published with the outcome and shown to every bidder",
                         validators=[DataRequired("Enter the reason for the award"), Length(max=5000)])


class MilestoneForm(FlaskForm):
    actual_on = DateInputField("Actual date", validators=[Optional()],
                               description="Leave empty if it has not happened yet")
    planned_on = DateInputField("Planned date", validators=[Optional()])
