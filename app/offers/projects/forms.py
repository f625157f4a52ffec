"""Forms of followers' projects: a new project, saving a search into one, shortlisting an offer."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class ProjectForm(FlaskForm):
    name = StringField("Project name", description="For example, EPR optimisation partner 2027",
                       validators=[DataRequired("Enter a name for the project"), Length(max=200)])


class SaveSearchForm(FlaskForm):
    project = SelectField("Project", validate_choice=False, validators=[DataRequired("Choose a project")])
    new_name = StringField("Name of the new project", validators=[Optional(), Length(max=200)])
    query = HiddenField()


class ShortlistForm(FlaskForm):
    project = SelectField("Project", validate_choice=False, validators=[DataRequired("Choose a project")])
    new_name = StringField("Name of the new project", validators=[Optional(), Length(max=200)])
    reason = TextAreaField("Why you are shortlisting this offer", validators=[
        DataRequired("Enter a reason for shortlisting this offer"), Length(max=2000)])
