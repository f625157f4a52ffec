"""Forms and fields the NHS.UK design system asks for (every domain's forms use them).

``FlaskForm`` and ``Form`` are the bases of every form of the app: Flask-WTF's and WTForms', with
WTForms' stock messages ("This field is required.", "Not a valid integer value.", "Invalid email
address.") said the NHS way and naming the field ("Enter the title", "Response period must be a
whole number", "Select a lot"). ``DateInputField`` is the NHS three-box date (day, month, year);
``WholeNumberField`` is an IntegerField that refuses absurdly long numbers instead of failing on them.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

import flask_wtf
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms.fields import DateField, IntegerField, RadioField, SelectFieldBase
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

__all__ = ["DATE_PARTS", "DateInputField", "FlaskForm", "Form", "WholeNumberField", "nhs_message"]

DATE_PARTS = ("day", "month", "year")

# ---------------------------------------------------------------------------
# WTForms' stock messages, said the NHS way
# ---------------------------------------------------------------------------

_CHOICE = "Select {subject}"
#: WTForms' English message → the NHS-style one ({subject} / {Subject}: the field's label).
_MESSAGES = {
    "This field is required.": "Enter {subject}",
    "Not a valid integer value.": "{Subject} must be a whole number",
    "Not a valid decimal value.": "{Subject} must be a number",
    "Not a valid float value.": "{Subject} must be a number",
    "Not a valid date value.": "{Subject} must be a real date",
    "Not a valid datetime value.": "{Subject} must be a real date and time",
    "Not a valid time value.": "{Subject} must be a real time",
    "Not a valid week value.": "{Subject} must be a real week",
    "Not a valid choice.": _CHOICE,
    "Invalid Choice: could not coerce.": _CHOICE,
    "Invalid choice(s): one or more data inputs could not be coerced.": _CHOICE,
    "'%(value)s' is not a valid choice for this field.": _CHOICE,
    "'%(value)s' are not valid choices for this field.": _CHOICE,
    "Invalid value, must be one of: %(values)s.": _CHOICE,
    "Invalid value, can't be any of: %(values)s.": "{Subject} cannot be %(values)s",
    "Number must be at least %(min)s.": "{Subject} must be %(min)s or more",
    "Number must be at most %(max)s.": "{Subject} must be %(max)s or less",
    "Number must be between %(min)s and %(max)s.": "{Subject} must be between %(min)s and %(max)s",
    "Date must be at least %(min)s.": "{Subject} must be %(min)s or later",
    "Date must be at most %(max)s.": "{Subject} must be %(max)s or earlier",
    "Date must be between %(min)s and %(max)s.": "{Subject} must be between %(min)s and %(max)s",
    "Field must be at least %(min)d character long.": "{Subject} must be {n} character or more",
    "Field must be at least %(min)d characters long.": "{Subject} must be {n} characters or more",
    "Field cannot be longer than %(max)d character.": "{Subject} must be {n} character or fewer",
    "Field cannot be longer than %(max)d characters.": "{Subject} must be {n} characters or fewer",
    "Field must be exactly %(max)d character long.": "{Subject} must be {n} character long",
    "Field must be exactly %(max)d characters long.": "{Subject} must be {n} characters long",
    "Field must be between %(min)d and %(max)d characters long.":
        "{Subject} must be between %(min)d and %(max)d characters",
    "Field must be equal to %(other_name)s.": "{Subject} must match %(other_name)s",
    "Invalid email address.": "Enter an email address in the correct format, like name@nhs.net",
    "Invalid URL.": "Enter a web address in the correct format, like https://www.nhs.uk",
    "Invalid input.": "Enter {subject} in the correct format",
    "Invalid IP address.": "Enter {subject} in the correct format",
    "Invalid Mac address.": "Enter {subject} in the correct format",
    "Invalid UUID.": "Enter {subject} in the correct format",
    "This field cannot be edited.": "{Subject} cannot be changed",
    "This field is disabled and cannot have a value.": "{Subject} cannot be changed",
}

#: A bracket closing a label is a unit or a note, not part of what the field is called.
_LABEL_NOTE = re.compile(r"\s*\([^)]*\)\s*$")


#: A label starting with one of these reads on without "the".
_NO_ARTICLE = frozenset({"the", "a", "an", "your", "our", "their", "its", "this", "these", "why", "how", "what",
                         "which", "when", "who", "where", "whether", "if", "any", "each", "every"})


def _subject(label: str) -> str:
    """A field's label as the subject of a sentence: "Price weight (%)" → "the price weight"; an
    acronym or a name keeps its capitals ("the ODS code"); "Your question" needs no "the"."""
    text = _LABEL_NOTE.sub("", label.strip()).rstrip(":. ") or label.strip()
    first = text.split(" ", 1)[0]
    if not (len(first) > 1 and first[:2].isupper()):
        text = text[:1].lower() + text[1:]
    return text if first.lower() in _NO_ARTICLE else f"the {text}"


def nhs_message(stock: str, label: str, *, choice: bool = False, n: int | None = None) -> str | None:
    """The NHS-style message for one of WTForms' stock messages on a field labelled `label`
    (None for a message that is not one of them). `choice`: a field one selects from, so "Select …"
    rather than "Enter …"; `n`: the count a plural message is about (written with a comma)."""
    template = _MESSAGES.get(stock)
    if template is None:
        return None
    if choice and template == "Enter {subject}":
        template = _CHOICE
    if label.strip().endswith("?"):  # a question: "Is the criterion met?"
        subject = f"an answer to ‘{label.strip()}’"
    else:
        subject = _subject(label)
    if "%(" in stock:  # the caller %-formats the message: a % in the label must survive it
        subject = subject.replace("%", "%%")
    message = template.format(subject=subject, Subject=subject[:1].upper() + subject[1:],
                              n=f"{n:,}" if n is not None else "")
    return message


class _FieldMessages:
    """A field's translations: WTForms' stock messages in NHS style, naming the field."""

    def __init__(self, field: Any, inner: Any) -> None:
        self.field, self.inner = field, inner

    def _label(self) -> str:
        return str(self.field.label.text) if self.field.label else self.field.name.replace("_", " ")

    def _choice(self) -> bool:
        return isinstance(self.field, (SelectFieldBase, RadioField))

    def gettext(self, string: str) -> str:
        return nhs_message(string, self._label(), choice=self._choice()) or self.inner.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        stock = singular if n == 1 else plural
        return nhs_message(stock, self._label(), choice=self._choice(), n=n) or self.inner.ngettext(singular, plural, n)


class _NHSMeta:
    """Form Meta that gives each bound field the NHS-style messages."""

    def bind_field(self, form: Any, unbound_field: Any, options: dict) -> Any:
        field = super().bind_field(form, unbound_field, options)  # type: ignore[misc]
        field._translations = _FieldMessages(field, field._translations)
        return field


class FlaskForm(flask_wtf.FlaskForm):
    """The base of every form of the app (Flask-WTF's, with NHS-style messages)."""

    class Meta(_NHSMeta, flask_wtf.FlaskForm.Meta):
        pass


class Form(wtforms.Form):
    """The base of the app's sub-forms (rows of a FieldList), with NHS-style messages."""

    class Meta(_NHSMeta, wtforms.Form.Meta):
        pass


class WholeNumberField(IntegerField):
    """An IntegerField that refuses numbers of more than 15 digits as "not a whole number".

    WTForms' NumberRange calls math.isnan(), which raises OverflowError (a 500) for an int too large
    for a float (about 309 digits): no count or percentage in the app is anywhere near 15 digits.
    """

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and len(str(valuelist[0]).strip()) > 15:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


class DateInputField(DateField):
    """A date typed into three boxes (day, month, year), as the NHS design system asks.

    The inputs are named ``<name>-day``, ``<name>-month`` and ``<name>-year``.
    All three empty gives ``data = None`` (use ``Optional()`` or ``InputRequired``/
    ``DataRequired`` to decide whether that is allowed). A partly filled or
    impossible date is an error written for the user ("Deadline must include a
    month", "Deadline must be a real date"); ``error_part`` names the box to
    link to from the error summary.
    """

    def __init__(self, label: str | None = None, validators: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%d %m %Y")
        super().__init__(label, validators, **kwargs)
        self.parts: dict[str, str] = {p: "" for p in DATE_PARTS}
        self.error_part: str | None = None

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        self.parts = {p: "" for p in DATE_PARTS}
        self.error_part = None
        if formdata is not None:
            keys = [f"{self.name}-{p}" for p in DATE_PARTS]
            if any(k in formdata for k in keys):
                self.parts = {p: (formdata.get(k) or "").strip() for p, k in zip(DATE_PARTS, keys)}
                joined = " ".join(self.parts.values()).strip()
                formdata = MultiDict([(self.name, joined)])
            else:
                formdata = MultiDict()
        super().process(formdata, data, extra_filters)

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        if not any(self.parts.values()):
            self.data = None
            return
        label = self.label.text if self.label else "Date"
        for part in DATE_PARTS:
            if not self.parts[part]:
                self.data = None
                self.error_part = part
                raise ValueError(f"{label} must include a {part}")
        for part in DATE_PARTS:
            if not self.parts[part].isdecimal():
                self.data = None
                self.error_part = part
                raise ValueError(f"{label} must be a real date")
        if len(self.parts["year"]) != 4:
            self.data = None
            self.error_part = "year"
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except (ValueError, OverflowError):  # a month or day past the C int range overflows
            self.data = None
            self.error_part = "day"
            raise ValueError(f"{label} must be a real date") from None

    def pre_validate(self, form: Any) -> None:
        # A partly filled or impossible date already has the precise message; stop here so
        # DataRequired/Optional do not replace it with "Enter a deadline" or clear it.
        if self.process_errors:
            raise StopValidation()

    def part_values(self) -> dict[str, str]:
        """What to show in the three boxes: what was typed, else the stored date."""
        if any(self.parts.values()):
            return dict(self.parts)
        if isinstance(self.data, date):
            return {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        return {p: "" for p in DATE_PARTS}
