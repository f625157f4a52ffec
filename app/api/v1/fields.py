"""The building blocks of the API's schemas, with the API's own error messages.

Each field here is declared once and does three jobs: it checks what a client sends, it names
the parameter or body field at fault in the error (`{"error": {..., "field": name}}`), and apispec
turns it into the OpenAPI document (type, enum, minimum and maximum, minLength and maxLength,
pattern, nullable). So the document cannot say one thing while the server checks another.

Query parameters answer 400 when wrong, body fields 422 (app/api/v1/parsing.py). An empty query
parameter is the same as leaving it out, as a form or a hand-written link sends it; the document
says so with `allowEmptyValue` (app/api/v1/document.py).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate
from marshmallow.validate import Length

from .core import iso

#: The OpenAPI pattern of a string that is not blank (the server trims what it is sent).
NOT_BLANK = r"\S"


def label(name: str) -> str:
    return name.replace("_", " ")


class IsoDate(fields.Date):
    """A date, written ISO 8601 (2026-04-01)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


class IsoDateTime(fields.DateTime):
    """A time, written ISO 8601 in UTC with a Z (2026-04-01T09:30:00Z)."""

    def _serialize(self, value, attr, obj, **kwargs):
        return iso(value)


# ---------------------------------------------------------------------------------------------
# Query parameters (400 when wrong)

class Query(Schema):
    """Query parameters. Unknown ones are ignored; empty ones count as not given; values are trimmed."""

    class Meta:
        unknown = EXCLUDE

    @pre_load
    def _drop_empty(self, data, **kwargs):
        out: dict[str, Any] = {}
        for name, field in self.fields.items():
            key = field.data_key or name
            value = data.get(key)
            if isinstance(value, list):
                value = [v.strip() for v in value if isinstance(v, str) and v.strip()]
            elif isinstance(value, str):
                value = value.strip()
            if value:
                out[key] = value
        return out


def whole(name: str, default: int | None, *, minimum: int = 1, maximum: int | None = None,
          description: str = "") -> fields.Integer:
    upper = f" and at most {maximum}" if maximum is not None else ""
    return fields.Integer(
        load_default=default, validate=validate.Range(min=minimum, max=maximum,
                                                      error=f"{name} must be at least {minimum}{upper}."),
        error_messages={"invalid": f"{name} must be a whole number."}, metadata={"description": description})


def choice(name: str, choices: Iterable[str], description: str) -> fields.String:
    values = list(choices)
    return fields.String(validate=validate.OneOf(values, error=f"{name} must be one of: {', '.join(values)}."),
                         metadata={"description": description})


def text(name: str, max_length: int, description: str) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length,
                                                  error=f"{name} must be at most {max_length} characters."),
                         metadata={"description": description})


class QueryDate(fields.Date):
    """A date parameter: YYYY-MM-DD (a full ISO 8601 time is read as its date, as before), within
    `within` (earliest, latest) when given."""

    def __init__(self, *, within: tuple[date, date] | None = None, **kwargs):
        self.within = within
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and "T" in value:
            try:
                found = datetime.fromisoformat(value.replace("Z", "+00:00")).date()
            except ValueError:
                raise self.make_error("invalid") from None
        else:
            found = super()._deserialize(value, attr, data, **kwargs)
        if self.within and not self.within[0] <= found <= self.within[1]:
            raise ValidationError(f"{attr} must be a date from {self.within[0].year} to {self.within[1].year}.")
        return found


def day(name: str, description: str, *, within: tuple[date, date] | None = None,
        pattern: str | None = None) -> QueryDate:
    metadata = {"description": description, **({"pattern": pattern} if pattern else {})}
    return QueryDate(within=within, error_messages={"invalid": f"{name} must be a date, YYYY-MM-DD."},
                     metadata=metadata)


class Paged(Query):
    """`page` (from 1) and `per_page` (1–100, default 25)."""

    page = whole("page", 1, maximum=100_000, description="The page, from 1")
    per_page = whole("per_page", 25, maximum=100, description="Items a page, 1 to 100")


# ---------------------------------------------------------------------------------------------
# Request bodies (422 when a value is wrong; 400 when the body is not a JSON object)

class Body(Schema):
    """A JSON object. Fields the schema does not know are ignored."""

    #: Whether the request may come without a body at all (then it is read as {}).
    OPTIONAL_BODY = False

    class Meta:
        unknown = EXCLUDE


class Text(fields.String):
    """A string: trimmed; blank is the same as not given. `nonblank`: if given, it may not be blank."""

    def __init__(self, name: str, max_length: int, *, required: bool = False, nonblank: bool | None = None,
                 description: str = "", validate: validate.Validator | None = None, **kwargs):
        self.max_length, self.nonblank = max_length, required if nonblank is None else nonblank
        enter = f"Enter {label(name)}."
        self.enter, self.too_long = enter, f"{name} must be at most {max_length} characters."
        metadata = {"description": description} if description else {}
        if self.nonblank and validate is None:
            metadata["pattern"] = NOT_BLANK  # documents "not blank"; _deserialize checks it
        length = Length(min=1 if self.nonblank else None, max=max_length, error=self.too_long)
        super().__init__(
            required=required, allow_none=not self.nonblank,
            validate=[length] + ([validate] if validate else []),
            error_messages={"required": enter, "null": enter, "invalid": f"{name} must be a string."},
            metadata=metadata, **kwargs)

    def _validate(self, value):
        if value is not None:  # blank, read as not given
            super()._validate(value)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if len(value) > self.max_length:
            raise ValidationError(self.too_long)
        value = value.strip()
        if not value:
            if self.nonblank:
                raise ValidationError(self.enter)
            return None
        return value


class Whole(fields.Integer):
    """A whole number in a range; null is refused ("Enter …") unless `allow_none`."""

    def __init__(self, name: str, *, minimum: int = 0, maximum: int = 10**9, required: bool = False, **kwargs):
        message = f"{name} must be a whole number from {minimum} to {maximum}."
        enter = f"Enter {label(name)}."
        super().__init__(strict=True, required=required,
                         validate=validate.Range(min=minimum, max=maximum, error=message),
                         error_messages={"invalid": message, "required": enter, "null": enter}, **kwargs)


def one_of(name: str, choices: Iterable[str], *, required: bool = False, allow_none: bool = False,
           description: str = "") -> fields.String:
    values = list(choices)
    enter = f"Enter {label(name)}."
    message = f"{name} must be one of: {', '.join(values)}."
    return fields.String(required=required, allow_none=allow_none,
                         validate=validate.OneOf(values, error=message),
                         error_messages={"required": enter, "null": message, "invalid": message},
                         metadata={"description": description} if description else {})


class Day(fields.Date):
    """A date in a body, YYYY-MM-DD; blank or null is the same as not given."""

    def __init__(self, name: str, *, required: bool = False, **kwargs):
        enter = f"Enter {label(name)}."
        super().__init__(required=required, allow_none=not required,
                         error_messages={"invalid": f"{name} must be a date, YYYY-MM-DD.", "required": enter,
                                         "null": enter}, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if isinstance(value, str) and not value.strip():
            value = None
        return super().deserialize(value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> date:
        if isinstance(value, str):
            value = value.strip()
        return super()._deserialize(value, attr, data, **kwargs)


def strings(name: str, item_max: int, message: str, *, description: str = "") -> fields.List:
    """A list of short strings; anything else is refused with one message for the whole list."""
    return fields.List(fields.String(validate=validate.Length(max=item_max, error=message),
                                     error_messages={"invalid": message}),
                       error_messages={"invalid": message},
                       metadata={"description": description} if description else {})


# ---------------------------------------------------------------------------------------------
# Answers every endpoint shares

class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    field = fields.String(allow_none=True, metadata={"description": "The parameter or body field at fault"})


class Error(Schema):
    """The one shape of every error answer."""

    error = fields.Nested(ErrorDetail, required=True)


class Links(Schema):
    self = fields.String(required=True)
    next = fields.String(required=True, allow_none=True)
    prev = fields.String(required=True, allow_none=True)


def page_of(item: type[Schema], name: str, **extra: fields.Field) -> type[Schema]:
    """The schema of one page of `item`s: items, page, per_page, total and links (plus `extra`)."""
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True),
        "links": fields.Nested(Links, required=True),
        **extra,
    }, name=name)
