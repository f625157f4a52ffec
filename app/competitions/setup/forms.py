"""Forms for setting up a competition in draft: details, method, timetable, invitees, evaluators."""
from __future__ import annotations


from app.web.fields import FlaskForm
from wtforms import (RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.fields import WholeNumberField as IntegerField  # refuses 300-digit numbers (NumberRange overflow)

from ..forms import pounds_field
from ..scoring import SCALES


class CompetitionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    requirement = TextAreaField("What you need", description="The requirement every invitee bids against",
                                validators=[DataRequired("Enter the requirement"), Length(max=20000)])
    lot = SelectField("Framework lot", choices=[], validators=[DataRequired("Choose a lot")])
    budget = pounds_field("Budget (optional)", description="In pounds, excluding VAT")


class DetailsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    requirement = TextAreaField("What you need", validators=[DataRequired("Enter the requirement"),
                                                             Length(max=20000)])
    budget = pounds_field("Budget (optional)", description="In pounds, excluding VAT")


class MethodForm(FlaskForm):
    price_weight = IntegerField("Price weight (%)", description="Quality takes the rest: the question weights "
                                "must add up to 100 minus this", validators=[
                                    InputRequired("Enter the price weight"), NumberRange(0, 100, "The price weight must be between 0 and 100")])
    scale_max = RadioField("Scale for quality marks", choices=[SelectChoice(str(s), f"0 to {s}") for s in SCALES],
                           validators=[DataRequired("Choose a scale")])
    threshold_percent = IntegerField("Minimum quality threshold (%)", description="Bids scoring less than this share "
                                     "of the available quality marks are excluded", validators=[
                                         InputRequired("Enter the threshold"), NumberRange(0, 100, "The threshold must be between 0 and 100")])
    abnormally_low_percent = IntegerField("Abnormally low price margin (%)", description="A price this much below "
                                          "the mean of the other bids is flagged for investigation", validators=[
                                              InputRequired("Enter the margin"), NumberRange(1, 90, "The margin must be between 1 and 90")])


TIMES = [SelectChoice(f"{h:02d}:00", f"{h % 12 or 12}{'am' if h < 12 else 'pm'}" if h != 12 else "Midday")
         for h in range(9, 18)]


class TimetableForm(FlaskForm):
    clarification_days = IntegerField("Clarification period (working days)", validators=[
        InputRequired("Enter the clarification period"), NumberRange(0, 119, "The clarification period must be between 0 and 119 working days")])
    response_days = IntegerField("Response period (working days)", description="Counted from publication",
                                 validators=[InputRequired("Enter the response period"),
                                             NumberRange(1, 120, "The response period must be between 1 and 120 working days")])
    standstill_days = IntegerField("Standstill period (working days)", validators=[
        InputRequired("Enter the standstill period"), NumberRange(0, 60, "The standstill period must be between 0 and 60 working days")])
    deadline_time = SelectField("Deadlines fall at (London time)", choices=TIMES,
                                validators=[DataRequired("Choose a time")])


class InviteesForm(FlaskForm):
    invitees = SelectMultipleField("Exemplars to invite", choices=[], coerce=int,
                                   description="Only exemplars admitted to the lot are listed")
    justification = TextAreaField("Why fewer than the framework minimum are invited (if so)",
                                  validators=[Optional(), Length(max=20000)])


class EvaluatorsForm(FlaskForm):
    evaluators = SelectMultipleField("Evaluators", choices=[], coerce=int,
                                     description="People of your organisation with the evaluator role")
