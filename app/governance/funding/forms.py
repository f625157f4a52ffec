"""Forms for funding agreements, their conditions and closing. Money is typed in pounds and
held by the form as integer pence (PoundsField)."""
from __future__ import annotations

from app.web.fields import FlaskForm, Form
from wtforms import FieldList, FormField, RadioField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional

from app.web.fields import DateInputField

from ..amounts import AmountError, parse_pounds, pounds_text
from ..calendar import financial_year_label
from ..forms import LONG, choices

TRANCHE_ROWS = 8


class PoundsField(StringField):
    """An amount typed in pounds ("1,250,000" or "£99.50"); `data` is integer pence or None."""

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        try:
            self.data = parse_pounds(self.raw, label=self.label.text if self.label else "Amount")
        except AmountError as e:
            self.data = None
            raise ValueError(str(e)) from None

    def _value(self):
        if getattr(self, "raw", None) is not None:
            return self.raw
        return pounds_text(self.data) if isinstance(self.data, int) else ""


def _pounds(label: str, required: bool = False, **kw) -> PoundsField:
    validators = [InputRequired(f"Enter {label[0].lower() + label[1:]}")] if required else [Optional()]
    return PoundsField(label, validators=validators, render_kw={"inputmode": "decimal", "prefix": "£",
                                                                 "class": "nhsuk-input--width-10"}, **kw)


class TrancheRow(Form):
    planned_on = DateInputField("Planned date", validators=[Optional()])
    amount = _pounds("Amount")


class AgreementFields(FlaskForm):
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    central = _pounds("Central amount", required=True, description="In pounds, for example 5,000,000")
    local = _pounds("Local match", required=True)
    first_year = SelectField("First financial year", choices=[], validators=[DataRequired("Choose the first year")])
    years = RadioField("Number of financial years", choices=choices((str(n), str(n)) for n in (1, 2, 3, 4)),
                       validators=[DataRequired("Choose the number of years")])
    central_1 = _pounds("Central money, year 1")
    local_1 = _pounds("Local money, year 1")
    central_2 = _pounds("Central money, year 2")
    local_2 = _pounds("Local money, year 2")
    central_3 = _pounds("Central money, year 3")
    local_3 = _pounds("Local money, year 3")
    central_4 = _pounds("Central money, year 4")
    local_4 = _pounds("Local money, year 4")
    tranches = FieldList(FormField(TrancheRow), min_entries=TRANCHE_ROWS, max_entries=TRANCHE_ROWS)
    source_url = URLField("Source", validators=[Optional(), URL(message="Enter a web address starting with https://"),
                                                Length(max=500)])
    source_note = TextAreaField("Where the figures come from", validators=[Optional(), Length(max=LONG)])

    def set_years(self, first: int = 2015, last: int = 2035) -> None:
        self.first_year.choices = choices([("", "Choose a year")] + [(str(y), financial_year_label(y))
                                                                     for y in range(first, last + 1)])


class NewAgreementForm(AgreementFields):
    programme = SelectField("Programme", choices=[], validators=[DataRequired("Choose a programme")])
    ods_code = StringField("ODS code of the funded organisation", description="For example, RBL",
                           validators=[DataRequired("Enter the organisation's ODS code"), Length(max=10)])
    reference = StringField("Reference", validators=[Optional(), Length(max=40)],
                            description="Leave blank to make one, like FRONTLINE-PRODUCTIVITY-RBL-2025")


class ConditionForm(FlaskForm):
    title = StringField("Condition", validators=[DataRequired("Enter the condition"), Length(max=200)])
    description = TextAreaField("What meeting it looks like", validators=[Optional(), Length(max=LONG)])


class CloseForm(FlaskForm):
    reason = TextAreaField("Reason for closing", validators=[DataRequired("Enter the reason"), Length(max=LONG)])
