"""Forms of the evaluation: evaluators' declarations of interest, their marks and comments, and the
buyer's consensus marks (fields named by bid and question, built for each page)."""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, TextAreaField
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


def _mark_field(label: str):
    return StringField(label, validators=[Optional()],
                       render_kw={"inputmode": "numeric", "class": "nhsuk-input--width-3", "spellcheck": False})


def scoring_form(bids, criteria, scale_max: int, saved: dict, **kwargs) -> FlaskForm:
    """An evaluator's marks and comments: mark_<bid>_<question> and comment_<bid>_<question>, as
    fields, so that each bad mark is shown on its own field and named in the error summary.
    `saved` holds the evaluator's saved scores by (bid id, question id)."""

    class ScoringForm(FlaskForm):
        pass

    data = {}
    for b in bids:
        for c in criteria:
            setattr(ScoringForm, f"mark_{b.id}_{c.id}", _mark_field(f"Mark (0 to {scale_max})"))
            setattr(ScoringForm, f"comment_{b.id}_{c.id}", TextAreaField("Why this mark", validators=[Optional()]))
            s = saved.get((b.id, c.id))
            if s is not None:
                data[f"mark_{b.id}_{c.id}"], data[f"comment_{b.id}_{c.id}"] = str(s.mark), s.comment
    form = ScoringForm(data=data, **kwargs)
    form.cells = {(b.id, c.id): (form[f"mark_{b.id}_{c.id}"], form[f"comment_{b.id}_{c.id}"])
                  for b in bids for c in criteria}
    return form


def moderation_form(criteria, scale_max: int, consensus: dict, agreed: dict, **kwargs) -> FlaskForm:
    """The consensus mark and rationale for each question of one bid (mark_<q>, rationale_<q>). A
    question already moderated shows its consensus; otherwise, where every evaluator gave the same
    mark, that mark is filled in and the rationale is optional (`agreed`: question id → mark)."""

    class ModerationForm(FlaskForm):
        pass

    data = {}
    for c in criteria:
        setattr(ModerationForm, f"mark_{c.id}", _mark_field(f"Consensus mark (0 to {scale_max})"))
        optional = c.id in agreed and c.id not in consensus
        setattr(ModerationForm, f"rationale_{c.id}", TextAreaField(
            "Rationale (optional)" if optional else "Rationale", validators=[Optional()],
            description="Needed only if you change the mark the evaluators agreed" if optional else None))
        if c.id in consensus:
            data[f"mark_{c.id}"], data[f"rationale_{c.id}"] = str(consensus[c.id].mark), consensus[c.id].rationale
        elif c.id in agreed:
            data[f"mark_{c.id}"] = str(agreed[c.id])
    return ModerationForm(data=data, **kwargs)
