"""What the competitions' forms share: money typed in pounds and held as integer pence, and the
reason and note forms of several pages.

Questions, answers and scores vary with the competition, so their inputs are named by id
(answer_<criterion>, mark_<bid>_<criterion>, …) and read by the `dynamic_*`/`parse_*` helpers of
the subjects' forms; the fixed fields are WTForms fields as usual.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.web.fields import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

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


def pounds_field(label, required=False, description=None):
    validators = [DataRequired(f"Enter {label.lower()}")] if required else [Optional()]
    return PoundsField(label, validators=validators, description=description,
                       render_kw={"inputmode": "decimal", "prefix": "£", "spellcheck": False})


class ReasonForm(FlaskForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Enter a reason"), Length(max=5000)])


class NoteForm(FlaskForm):
    note = TextAreaField("Note for the record (optional)", validators=[Optional(), Length(max=5000)])
