"""Forms for admissions: criteria, applications, assessments and decisions.

Forms whose fields depend on data (one question per admission criterion, one assessment per
answer) are built per request by the functions below.
"""
from __future__ import annotations

from app.web.fields import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.fields import WholeNumberField as IntegerField

from ..forms import LONG, choices
from ..vocab import ASSESSMENTS, CRITERION_KINDS


class CriterionForm(FlaskForm):
    name = StringField("Criterion", validators=[DataRequired("Enter the criterion"), Length(max=200)])
    description = TextAreaField("What the trust should show", validators=[Optional(), Length(max=LONG)])
    kind = RadioField("How it is answered", choices=choices(CRITERION_KINDS.items()), default="text",
                      validators=[DataRequired("Choose how the criterion is answered")])
    minimum = IntegerField("Minimum that looks met (numbers only)", validators=[
        Optional(), NumberRange(0, 1000, "Enter a number from 0 to 1,000")],
        description="A hint for assessors; they still decide met or not met")


class ApplicationBase(FlaskForm):
    statement = TextAreaField("Why your trust should be an exemplar on this lot",
                              validators=[Optional(), Length(max=LONG)])
    capacity_followers = IntegerField(
        "How many follower trusts you can support at once", validators=[
            Optional(), NumberRange(0, 100, "Enter a number from 0 to 100")],
        description="Used to judge capacity use at reviews")
    links = TextAreaField(
        "Documents, as links", validators=[Optional(), Length(max=LONG)],
        description="One link per line. You may put a title first, for example: "
                    "Board digital strategy https://www.example.nhs.uk/strategy.pdf")


def application_form(criteria, deployments, **kwargs) -> ApplicationBase:
    """The application form for a lot: one question per active criterion and the trust's live systems."""

    class ApplicationForm(ApplicationBase):
        pass

    for c in criteria:
        label, hint = c.name, c.description or None
        if c.kind == "yes_no":
            field = RadioField(label, description=hint, choices=choices([("yes", "Yes"), ("no", "No")]),
                               validators=[InputRequired(f"Answer ‘{c.name}’")])
        elif c.kind == "number":
            field = StringField(label, description=hint, render_kw={"inputmode": "decimal", "class": "nhsuk-input--width-5"},
                                validators=[DataRequired(f"Answer ‘{c.name}’ with a number"), Length(max=20)])
        else:
            field = TextAreaField(label, description=hint,
                                  validators=[DataRequired(f"Answer ‘{c.name}’"), Length(max=LONG)])
        setattr(ApplicationForm, f"answer_{c.id}", field)
    ApplicationForm.systems = SelectMultipleField(
        "The systems your trust runs live that this application is about",
        choices=choices((str(d.system_id), d.system.name + (f" (live since {d.since:%B %Y})" if d.since else ""))
                        for d in deployments),
        description="From the register's record of your trust's deployments")
    form = ApplicationForm(**kwargs)
    form.criterion_fields = [(c, getattr(form, f"answer_{c.id}")) for c in criteria]
    return form


def parse_links(text: str | None) -> list[tuple[str, str]]:
    """Lines of "[title] https://…" as (title, url) pairs; a line without a link is kept whole as the
    url, so the service can refuse it with a clear message."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        words = line.split()
        url_at = next((i for i, w in enumerate(words) if w.lower().startswith(("http://", "https://"))), None)
        if url_at is None:
            out.append(("", line))
        else:
            out.append((" ".join(words[:url_at] + words[url_at + 1:]), words[url_at]))
    return out


def assessment_form(answers, **kwargs) -> FlaskForm:
    """Met / not met and a comment for each answer of an application."""

    class AssessmentForm(FlaskForm):
        pass

    for a in answers:
        setattr(AssessmentForm, f"assessment_{a.id}", RadioField(
            f"Is ‘{a.criterion_name}’ met?", choices=choices(ASSESSMENTS.items()), validators=[Optional()]))
        setattr(AssessmentForm, f"comment_{a.id}", TextAreaField(
            f"Comment on ‘{a.criterion_name}’", validators=[Optional(), Length(max=LONG)],
            description="Required when not met. The trust sees it with the decision."))
    data = {f"assessment_{a.id}": a.assessment for a in answers}
    data.update({f"comment_{a.id}": a.assessment_comment for a in answers})
    form = AssessmentForm(data=data, **kwargs)
    form.rows = [(a, getattr(form, f"assessment_{a.id}"), getattr(form, f"comment_{a.id}")) for a in answers]
    return form


class DecisionForm(FlaskForm):
    decision = RadioField("Decision", choices=choices([("admit", "Admit the trust to the lot"),
                                                       ("reject", "Reject the application")]),
                          validators=[DataRequired("Choose to admit or reject")])
    reason = TextAreaField("Reason for the decision", description="The trust sees this reason",
                           validators=[DataRequired("Enter the reason for the decision"), Length(max=LONG)])
