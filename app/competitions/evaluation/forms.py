"""Forms of the evaluation: evaluators' declarations of interest, and marks typed on the scale."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class DeclareForm(FlaskForm):
    has_conflict = RadioField("Do you have any interest that could conflict with this procurement?",
                              choices=[SelectChoice("no", "No, I have no interest to declare"),
                                       SelectChoice("yes", "Yes, I have an interest to declare")],
                              validators=[DataRequired("Say whether you have an interest to declare")])
    note = TextAreaField("Describe the interest (if you have one)", validators=[Optional(), Length(max=5000)])


def parse_mark(text: str | None) -> int | None:
    """A mark typed as a whole number; None if empty; -1 (out of every scale) if not a number."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdecimal() and len(text) <= 4 else -1
