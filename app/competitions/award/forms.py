"""Forms of the award: the contract's value and dates, and partnership milestones."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms.validators import InputRequired, Optional

from app.web.fields import DateInputField

from ..forms import pounds_field


class AwardForm(FlaskForm):
    value = pounds_field("Contract value", required=True, description="In pounds, excluding VAT")
    starts_on = DateInputField("Contract start", validators=[InputRequired("Enter the contract start")])
    ends_on = DateInputField("Contract end", validators=[InputRequired("Enter the contract end")])
    go_live_on = DateInputField("Planned go-live (optional)", validators=[Optional()],
                                description="Defaults to the contract end")


class MilestoneForm(FlaskForm):
    actual_on = DateInputField("Actual date", validators=[Optional()],
                               description="Leave empty if it has not happened yet")
    planned_on = DateInputField("Planned date", validators=[Optional()])
