"""Forms of the register's organisations: a trust's deployment of a system."""
from app.web.fields import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, SelectField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from ..vocab import CONFIDENCE, DEPLOYMENT_STATUSES


class DeploymentForm(FlaskForm):
    system = SelectField("System", choices=[], validators=[DataRequired("Choose a system")])
    status = RadioField("Status", choices=[SelectChoice(v, label) for v, label in DEPLOYMENT_STATUSES.items()],
                        validators=[DataRequired("Choose a status")])
    since = DateField("Date it came into use", validators=[Optional()])
    until = DateField("Date it stopped being used", validators=[Optional()])
    source_url = URLField("Source", validators=[DataRequired("Enter the source of this fact"),
                                                URL(message="Enter a web address starting with https://"),
                                                Length(max=500)])
    confidence = RadioField("Confidence", choices=[SelectChoice(v, label) for v, label in CONFIDENCE.items()],
                            validators=[DataRequired("Choose a confidence")])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])


class EndDeploymentForm(FlaskForm):
    until = DateField("Date it stopped being used", validators=[InputRequired("Enter the date it stopped being used")])
    reason = TextAreaField("Reason", validators=[DataRequired("Enter a reason"), Length(max=2000)])
