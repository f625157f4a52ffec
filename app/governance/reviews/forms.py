"""Forms for periodic reviews and followers' ratings of partnerships."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.fields import DateInputField
from app.web.fields import WholeNumberField as IntegerField

from ..forms import LONG, choices
from ..vocab import REVIEW_DECISIONS


class ReviewForm(FlaskForm):
    decision = RadioField("Decision", choices=choices(REVIEW_DECISIONS.items()),
                          validators=[DataRequired("Choose a decision")])
    reason = TextAreaField("Reason for the decision", validators=[DataRequired("Enter the reason"),
                                                                  Length(max=LONG)])
    conditions = TextAreaField("Conditions for reinstatement", validators=[Optional(), Length(max=LONG)],
                               description="Required when suspending")
    reviewed_on = DateInputField("Date of the review", validators=[DataRequired("Enter the date of the review")])
    next_review_on = DateInputField("Date of the next review", validators=[Optional()],
                                    description="For example, 1 10 2027")
    capacity_declared = IntegerField("Follower trusts it can support at once", validators=[
        Optional(), NumberRange(0, 100, "Enter a number from 0 to 100")],
        description="Leave blank to keep what was last declared (at a review or in its application)")


class RatingForm(FlaskForm):
    rating = RadioField("How good has this partnership been?", coerce=int,
                        choices=choices([(5, "5 – excellent"), (4, "4 – good"), (3, "3 – adequate"),
                                         (2, "2 – poor"), (1, "1 – very poor")]),
                        validators=[InputRequired("Choose a rating from 1 to 5")])
    comment = TextAreaField("What is your rating based on?",
                            validators=[DataRequired("Say what your rating is based on"), Length(max=LONG)])
