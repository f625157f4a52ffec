"""Form fields the NHS.UK design system asks for, as WTForms fields (domain forms use them).

``DateInputField`` is the NHS three-box date (day, month, year); ``WholeNumberField`` is an
IntegerField that refuses absurdly long numbers instead of failing on them.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from werkzeug.datastructures import MultiDict
from wtforms.fields import DateField, IntegerField
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

__all__ = ["DATE_PARTS", "DateInputField", "WholeNumberField"]

DATE_PARTS = ("day", "month", "year")


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
