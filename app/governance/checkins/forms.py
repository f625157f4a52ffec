"""Forms for quarterly check-ins and their review."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import LONG, choices
from ..vocab import RAG


def checkin_form(conditions, quarters=None, **kwargs) -> FlaskForm:
    """A check-in: red, amber or green and a comment for each condition in force, and progress
    against milestones; `quarters` (for a new check-in) are the quarters it may be for."""

    class CheckInForm(FlaskForm):
        milestone_progress = TextAreaField("Progress against your milestones", validators=[
            DataRequired("Describe progress against your milestones"), Length(max=LONG)])

    if quarters is not None:
        CheckInForm.quarter = SelectField("Quarter", choices=choices((q.key, q.label) for q in quarters),
                                          validators=[DataRequired("Choose the quarter")])
    for c in conditions:
        setattr(CheckInForm, f"rag_{c.id}", RadioField(
            c.title, description=c.description or None, choices=choices(RAG.items()),
            validators=[InputRequired(f"Rate ‘{c.title}’ red, amber or green")]))
        setattr(CheckInForm, f"comment_{c.id}", TextAreaField(
            f"Comment on ‘{c.title}’", description="Required for red or amber",
            validators=[Optional(), Length(max=LONG)]))
    form = CheckInForm(**kwargs)
    form.rows = [(c, getattr(form, f"rag_{c.id}"), getattr(form, f"comment_{c.id}")) for c in conditions]
    return form


class CheckInReviewForm(FlaskForm):
    decision = RadioField("Decision", choices=choices([("accept", "Accept the check-in"),
                                                       ("query", "Query it: ask the organisation to clarify or correct")]),
                          validators=[DataRequired("Choose to accept or query")])
    comment = TextAreaField("Comment", description="Required when querying; the organisation sees it",
                            validators=[Optional(), Length(max=LONG)])
