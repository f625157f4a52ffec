"""Forms of the exclusion register."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.web.fields import DateInputField

from ..vocab import EXCLUSION_GROUNDS, EXCLUSION_KINDS


class ExclusionForm(FlaskForm):
    ods_code = StringField("ODS code of the supplier", description="For example, RBL",
                           validators=[DataRequired("Enter the supplier's ODS code"), Length(max=10)])
    kind = RadioField("Excluded or debarred", choices=[SelectChoice(k, v) for k, v in EXCLUSION_KINDS.items()],
                      validators=[DataRequired("Choose whether the supplier is excluded or debarred")])
    ground_kind = RadioField("Kind of ground", choices=[SelectChoice(k, v) for k, v in EXCLUSION_GROUNDS.items()],
                             validators=[DataRequired("Choose the kind of ground")])
    ground = TextAreaField("The ground", description="The paragraph of the Schedule and what happened",
                           validators=[DataRequired("Enter the ground"), Length(max=5000)])
    starts_on = DateInputField("Applies from", validators=[InputRequired("Enter the date the exclusion starts")])
    ends_on = DateInputField("Applies until (optional)", validators=[Optional()],
                             description="Leave empty while it has no end date")
    source_url = URLField("Source (optional)", validators=[Optional(), URL(message="Enter a web address starting "
                                                                                   "with https://"), Length(max=500)])


class EndExclusionForm(FlaskForm):
    ends_on = DateInputField("Last day it applies", validators=[InputRequired("Enter the last day it applies")])
    reason = TextAreaField("Reason", validators=[DataRequired("Enter a reason"), Length(max=5000)])


class ParentForm(FlaskForm):
    ods_code = StringField("ODS code of the supplier", validators=[DataRequired("Enter the supplier's ODS code"),
                                                                   Length(max=10)])
    parent_ods_code = StringField("ODS code of its parent organisation", description="Leave empty to clear it",
                                  validators=[Optional(), Length(max=10)])
