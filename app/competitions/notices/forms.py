"""The form of publishing a reviewed notice."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired


class PublishNoticeForm(FlaskForm):
    reviewed = BooleanField("I have reviewed this notice against the record and it is ready to publish",
                            validators=[DataRequired("Confirm that you have reviewed the notice")])
