"""Forms of the register's frameworks: frameworks, lots, admissions and membership decisions."""
from app.web.fields import FlaskForm
from wtforms import DateField, RadioField, SelectChoice, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.web.fields import WholeNumberField as IntegerField

from ..vocab import STANDSTILL_RULES

SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
              message="Short name must use lower-case letters, numbers and hyphens only, like gde-2027")


def _days(label):
    return IntegerField(label, validators=[InputRequired(f"Enter {label.lower()}"),
                                           NumberRange(0, 120, f"{label} must be between 0 and 120")])


class FrameworkForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Enter a name"), Length(max=200)])
    slug = StringField("Short name", description="Used in links, for example gde-2027",
                       validators=[DataRequired("Enter a short name"), Length(max=60), SLUG])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    starts_on = DateField("Start date", validators=[Optional()], description="For example, 2027-04-01")
    ends_on = DateField("End date", validators=[Optional()])
    source_url = URLField("Source", validators=[Optional(), URL(message="Enter a web address starting with https://"),
                                                Length(max=500)])
    quality_weight_min = IntegerField("Lowest quality weighting a call-off may use (%)", validators=[
        InputRequired("Enter the lowest quality weighting"), NumberRange(0, 100, "Enter a percentage from 0 to 100")])
    quality_weight_max = IntegerField("Highest quality weighting a call-off may use (%)", validators=[
        InputRequired("Enter the highest quality weighting"), NumberRange(0, 100, "Enter a percentage from 0 to 100")])
    min_invitees = IntegerField("Minimum number of exemplars to invite", validators=[
        InputRequired("Enter the minimum number of invitees"), NumberRange(1, 50, "Enter a number from 1 to 50")])
    clarification_days = _days("Clarification period in working days")
    response_days = IntegerField("Response period in working days", validators=[
        InputRequired("Enter the response period"), NumberRange(1, 120, "Enter a number from 1 to 120")])
    standstill_rule = RadioField("Standstill for call-offs",
                                 choices=[SelectChoice(k, v) for k, v in STANDSTILL_RULES.items()],
                                 description="Under the Procurement Act 2023 a call-off needs no standstill; a "
                                             "voluntary one runs from the published contract award notice",
                                 validators=[DataRequired("Choose whether call-offs use a standstill")])
    standstill_days = _days("Default standstill period in working days")
    over_budget_may_win = RadioField("May a bid above the buyer's budget still win?",
                                     choices=[SelectChoice("yes", "Yes: it is flagged to the bidder and the buyer, "
                                                                  "and may win"),
                                              SelectChoice("no", "No: it is flagged, scored and shown, but cannot "
                                                                 "be ranked to win")],
                                     validators=[DataRequired("Choose whether a bid above the budget may win")])
    direct_award_allowed = RadioField("May a buyer award a call-off directly, without a competition?",
                                      choices=[SelectChoice("no", "No: every call-off is a competition"),
                                               SelectChoice("yes", "Yes: a buyer may award directly to an offer "
                                                                   "its ended search returned, with a reason")],
                                      validators=[DataRequired("Choose whether direct award is allowed")])
    max_calloff_months = IntegerField("Longest call-off contract in months", validators=[
        InputRequired("Enter the longest call-off term"), NumberRange(1, 120, "Enter a number from 1 to 120")])
    criteria = TextAreaField("Award criteria call-offs may use", description="One criterion per line",
                             validators=[Optional(), Length(max=5000)])


class LotForm(FlaskForm):
    number = IntegerField("Lot number", validators=[InputRequired("Enter the lot number"),
                                                    NumberRange(1, 99, "Enter a number from 1 to 99")])
    name = StringField("Name", validators=[DataRequired("Enter a name"), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])


class StatusForm(FlaskForm):
    status = RadioField("New status", choices=[], validators=[DataRequired("Choose the new status")])
