"""Forms of the competitions domain. Money is typed in pounds and held as integer pence.

Questions, answers and scores vary with the competition, so their inputs are named by id
(answer_<criterion>, mark_<bid>_<criterion>, …) and read by `dynamic_*` helpers below; the fixed
fields are WTForms fields as usual.
"""
from __future__ import annotations

import re
import uuid
from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import (HiddenField, RadioField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.web.fields import DateInputField
from app.web.fields import WholeNumberField as IntegerField  # refuses 300-digit numbers (NumberRange overflow)

from .scoring import SCALES

_POUNDS = re.compile(r"^\d{1,9}(\.\d{1,2})?$")


def pounds_to_pence(text: str | None) -> int | None:
    """'1,234.50' or '£1234.5' → 123450; '' → None; ValueError for anything else."""
    text = (text or "").strip().replace(",", "").replace("£", "").strip()
    if not text:
        return None
    if not _POUNDS.match(text):
        raise ValueError("Enter an amount in pounds, like 12500 or 12500.50")
    try:
        return int((Decimal(text) * 100).to_integral_value())
    except InvalidOperation:  # pragma: no cover - the pattern already refuses these
        raise ValueError("Enter an amount in pounds, like 12500 or 12500.50") from None


class PoundsField(StringField):
    """An amount in pounds; `.pence` holds it as integer pence (None when left empty)."""

    pence: int | None = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        try:
            self.pence = pounds_to_pence(self.data)
        except ValueError as e:
            self.pence = None
            raise ValueError(str(e)) from None

    def set_pence(self, pence: int | None) -> None:
        self.pence = pence
        self.data = "" if pence is None else (f"{pence // 100}" if pence % 100 == 0 else f"{pence / 100:.2f}")


def _pounds(label, required=False, description=None):
    validators = [DataRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return PoundsField(label, validators=validators, description=description,
                       render_kw={"inputmode": "decimal", "prefix": "£", "spellcheck": False})


class CompetitionForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    requirement = TextAreaField("What you need", description="The requirement every invitee bids against",
                                validators=[DataRequired("Enter the requirement"), Length(max=20000)])
    lot = SelectField("Framework lot", choices=[], validators=[DataRequired("Choose a lot")])
    budget = _pounds("Budget (optional)", description="In pounds, excluding VAT")


class DetailsForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    requirement = TextAreaField("What you need", validators=[DataRequired("Enter the requirement"),
                                                             Length(max=20000)])
    budget = _pounds("Budget (optional)", description="In pounds, excluding VAT")


class MethodForm(FlaskForm):
    price_weight = IntegerField("Price weight (%)", description="Quality takes the rest: the question weights "
                                "must add up to 100 minus this", validators=[
                                    InputRequired("Enter the price weight"), NumberRange(0, 100, "Enter 0 to 100")])
    scale_max = RadioField("Scale for quality marks", choices=[SelectChoice(str(s), f"0 to {s}") for s in SCALES],
                           validators=[DataRequired("Choose a scale")])
    threshold_percent = IntegerField("Minimum quality threshold (%)", description="Bids scoring less than this share "
                                     "of the available quality marks are excluded", validators=[
                                         InputRequired("Enter the threshold"), NumberRange(0, 100, "Enter 0 to 100")])
    abnormally_low_percent = IntegerField("Abnormally low price margin (%)", description="A price this much below "
                                          "the mean of the other bids is flagged for investigation", validators=[
                                              InputRequired("Enter the margin"), NumberRange(1, 90, "Enter 1 to 90")])


TIMES = [SelectChoice(f"{h:02d}:00", f"{h % 12 or 12}{'am' if h < 12 else 'pm'}" if h != 12 else "Midday")
         for h in range(9, 18)]


class TimetableForm(FlaskForm):
    clarification_days = IntegerField("Clarification period (working days)", validators=[
        InputRequired("Enter the clarification period"), NumberRange(0, 119, "Enter 0 to 119")])
    response_days = IntegerField("Response period (working days)", description="Counted from publication",
                                 validators=[InputRequired("Enter the response period"),
                                             NumberRange(1, 120, "Enter 1 to 120")])
    standstill_days = IntegerField("Standstill period (working days)", validators=[
        InputRequired("Enter the standstill period"), NumberRange(0, 60, "Enter 0 to 60")])
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


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Enter a reason"), Length(max=5000)])


class NoteForm(FlaskForm):
    note = TextAreaField("Note for the record (optional)", validators=[Optional(), Length(max=5000)])


class QuestionForm(FlaskForm):
    question = TextAreaField("Your question", description="The buyer publishes every answer to all invitees "
                             "without saying who asked", validators=[DataRequired("Enter your question"),
                                                                     Length(max=5000)])


class AnswerForm(FlaskForm):
    published_question = TextAreaField("The question as it will be published",
                                       description="Remove anything that identifies who asked",
                                       validators=[DataRequired("Enter the question"), Length(max=5000)])
    answer = TextAreaField("Answer", validators=[DataRequired("Enter the answer"), Length(max=20000)])


class BidForm(FlaskForm):
    price = _pounds("Total price", required=True, description="In pounds, excluding VAT")
    offer_version = SelectField("The offer this bid is based on (optional)", choices=[], validators=[Optional()])
    documents = TextAreaField("Documents", description="Text, or links to documents, one per line",
                              validators=[Optional(), Length(max=20000)])
    idempotency_key = HiddenField()

    def new_key(self) -> None:
        self.idempotency_key.data = uuid.uuid4().hex


class DeclareForm(FlaskForm):
    has_conflict = RadioField("Do you have a conflict of interest with any bidder?",
                              choices=[SelectChoice("no", "No, I have no conflict of interest"),
                                       SelectChoice("yes", "Yes, I have a conflict of interest")],
                              validators=[DataRequired("Say whether you have a conflict of interest")])
    note = TextAreaField("Describe the conflict (if you have one)", validators=[Optional(), Length(max=5000)])


class AwardForm(FlaskForm):
    value = _pounds("Contract value", required=True, description="In pounds, excluding VAT")
    starts_on = DateInputField("Contract start", validators=[InputRequired("Enter the contract start")])
    ends_on = DateInputField("Contract end", validators=[InputRequired("Enter the contract end")])
    go_live_on = DateInputField("Planned go-live (optional)", validators=[Optional()],
                                description="Defaults to the contract end")


class MilestoneForm(FlaskForm):
    actual_on = DateInputField("Actual date", validators=[Optional()],
                               description="Leave empty if it has not happened yet")
    planned_on = DateInputField("Planned date", validators=[Optional()])


def dynamic_text(form_data, prefix: str, ids) -> dict:
    """{id: text} from inputs named <prefix><id>."""
    return {i: (form_data.get(f"{prefix}{i}") or "") for i in ids}


def parse_mark(text: str | None) -> int | None:
    """A mark typed as a whole number; None if empty; -1 (out of every scale) if not a number."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if text.isdecimal() and len(text) <= 4 else -1
