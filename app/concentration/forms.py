"""Forms of the concentration pages."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import (BooleanField, DateField, DecimalField, RadioField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from app.registry.vocab import SYSTEM_CATEGORIES

from .metrics import WEIGHTINGS
from .models import SEVERITIES


class FiguresForm(FlaskForm):
    """The GET form choosing what the dashboard shows (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    category = SelectField("System category", default="acute_epr",
                           choices=[SelectChoice(v, label) for v, label in SYSTEM_CATEGORIES.items()])
    as_of = DateField("Figures as of", validators=[Optional()],
                      description="For example, 31 March 2024. Leave empty for today.")
    weighting = SelectField("Weighting", choices=[SelectChoice(v, label) for v, label in WEIGHTINGS.items()],
                            default="organisation")


class CategoryForm(FlaskForm):
    class Meta:
        csrf = False

    category = SelectField("System category", default="acute_epr",
                           choices=[SelectChoice(v, label) for v, label in SYSTEM_CATEGORIES.items()])


class WhatIfForm(FlaskForm):
    """Choose a follower and an exemplar (GET: nothing is changed)."""

    class Meta:
        csrf = False

    follower = SelectField("Follower trust (the buyer)", coerce=str, validators=[InputRequired("Choose the follower")])
    exemplar = SelectField("Exemplar trust (the winner)", coerce=str, validators=[InputRequired("Choose the exemplar")])


class RuleForm(FlaskForm):
    threshold = DecimalField("Threshold", places=None, validators=[
        InputRequired("Enter the threshold"), NumberRange(0, 10_000, "Enter a number from 0 to 10,000")])
    delta_threshold = DecimalField("And the rise in HHI is above", places=None,
                                   description="Leave empty for a rule on the threshold alone.",
                                   validators=[Optional(), NumberRange(0, 10_000, "Enter a number from 0 to 10,000")])
    severity = RadioField("Severity", choices=[SelectChoice(v, label) for v, label in SEVERITIES.items()],
                          validators=[InputRequired("Choose a severity")])
    active = BooleanField("Use this rule")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])


class TableFilterForm(FlaskForm):
    """The GET form filtering a table's rows (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField("Show rows containing", validators=[Optional(), Length(max=200, message="Enter 200 characters or fewer")],
                    description="A name, an ODS code or a number, as shown in the table.")
