"""Forms of followers' projects: a new project, saving a search into one, shortlisting an offer, and
the follower's size on the compare page."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.web.fields import WholeNumberField


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


class FollowerSizeForm(FlaskForm):
    """The follower's size, read from the address, so the compare page can set day rates, fixed
    prices and prices per bed side by side."""

    class Meta:
        csrf = False  # read from the address; changes nothing

    beds = WholeNumberField("Your trust's beds", description="For a price per bed", validators=[
        Optional(), NumberRange(1, 20_000, "Your trust's beds must be between 1 and 20,000")])
    days = WholeNumberField("Days of help you expect", description="For a day rate", validators=[
        Optional(), NumberRange(1, 5_000, "Days of help must be between 1 and 5,000")])


class OutcomeForm(FlaskForm):
    """What the project did once its search was ended, with the reason; the competition or the
    offer awarded where the outcome needs one."""

    outcome = RadioField("What did the project do?", validate_choice=False,
                         validators=[DataRequired("Choose what the project did")])
    competition = SelectField("Competition run from this project", validate_choice=False,
                              validators=[Optional()])
    offer = SelectField("Offer awarded directly", validate_choice=False, validators=[Optional()])
    reason = TextAreaField("Reason", description="Why this outcome: what you found, and why it is the right choice",
                           validators=[DataRequired("Enter the reason for this outcome"), Length(max=2000)])
