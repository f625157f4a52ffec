"""WTForms fields turned into the parameters the NHS.UK macros take, and the error summary.

There is no WTForms widget set for NHS.UK, so ``nhs_field`` turns a field into
the parameters the nhsuk macros take, and ``templates/macros/forms.html``
picks the macro. ``app.web.site.templating`` makes these template globals.
"""
from __future__ import annotations

from typing import Any, Iterator

from wtforms import Field
from wtforms.fields import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    DecimalField,
    EmailField,
    FileField,
    FloatField,
    HiddenField,
    IntegerField,
    MonthField,
    MultipleFileField,
    PasswordField,
    RadioField,
    SearchField,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TelField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.validators import Length

from app.web.fields import DATE_PARTS, DateInputField

#: Shown in the error summary for a failed CSRF check on the form itself.
CSRF_MESSAGE = "Your form expired. Refresh the page and try again."


# ---------------------------------------------------------------------------
# WTForms field -> nhsuk macro parameters
# ---------------------------------------------------------------------------

#: Component names, as the nhsuk macros are called.
COMPONENTS = ("input", "passwordInput", "textarea", "characterCount", "select", "radios",
              "checkboxes", "dateInput", "fileUpload", "hidden", "submit")

#: render_kw keys that are parameters of the nhsuk macros rather than HTML attributes.
_PARAM_KEYS = {"autocomplete", "inputmode", "spellcheck", "pattern", "autocapitalize",
               "disabled", "rows", "width", "prefix", "suffix", "placeholder", "multiple",
               "maxwords", "threshold", "small", "inline"}


def nhs_component(field: Field, component: str | None = None) -> str:
    """Which nhsuk macro renders this field (``component`` forces one)."""
    if component:
        if component not in COMPONENTS:
            raise ValueError(f"unknown component {component!r}; use one of {COMPONENTS}")
        return component
    if isinstance(field, SubmitField):
        return "submit"
    if isinstance(field, HiddenField):
        return "hidden"
    if isinstance(field, DateInputField):
        return "dateInput"
    if isinstance(field, PasswordField):
        return "passwordInput"
    if isinstance(field, TextAreaField):
        return "characterCount" if _max_length(field) else "textarea"
    if isinstance(field, RadioField):
        return "radios"
    if isinstance(field, SelectMultipleField):
        return "checkboxes"
    if isinstance(field, SelectField):
        return "select"
    if isinstance(field, BooleanField):
        return "checkboxes"
    if isinstance(field, (FileField, MultipleFileField)):
        return "fileUpload"
    return "input"


def _max_length(field: Field) -> int | None:
    for v in field.validators or ():
        if isinstance(v, Length) and v.max is not None and v.max > 0:
            return v.max
    return None


def first_error(field: Field) -> str | None:
    """The message to show for a field: its first error (the NHS pattern shows one)."""
    errors = field.errors
    if isinstance(errors, dict):  # FormField
        for sub in errors.values():
            if sub:
                return str(sub[0]) if isinstance(sub, (list, tuple)) else str(sub)
        return None
    if errors:
        msg = errors[0]
        return str(msg[0]) if isinstance(msg, (list, tuple)) and msg else str(msg)
    return None


def error_anchor(field: Field, component: str | None = None) -> str | None:
    """The id the error summary links to: the first input of the field (None if hidden)."""
    kind = nhs_component(field, component)
    if kind in ("hidden", "submit"):
        return None
    if kind == "dateInput":
        return f"{field.id}-{getattr(field, 'error_part', None) or 'day'}"
    # Radios and checkboxes: nhsuk gives the first item the bare idPrefix.
    return field.id


def _leaf_fields(form: Any) -> Iterator[Field]:
    for field in form:
        if field.type == "FormField":
            yield from _leaf_fields(field.form)
        elif field.type == "FieldList":
            for entry in field.entries:
                if entry.type == "FormField":
                    yield from _leaf_fields(entry.form)
                else:
                    yield entry
        else:
            yield field


def error_summary_items(form: Any) -> list[dict[str, str]]:
    """``[{"text": message, "href": "#<first input id>"}]`` for the nhsuk error summary.

    One entry per field with errors, in form order, then the inputs a page writes itself
    (``form.input_errors``, linked by their id), then the form-level errors (``form.form_errors``),
    which have no field to link to.
    """
    items: list[dict[str, str]] = []
    for field in _leaf_fields(form):
        msg = first_error(field)
        if not msg:
            continue
        if field.type == "CSRFTokenField":
            items.append({"text": CSRF_MESSAGE})
            continue
        anchor = error_anchor(field)
        item = {"text": msg}
        if anchor:
            item["href"] = f"#{anchor}"
        items.append(item)
    for name, msg in (getattr(form, "input_errors", None) or {}).items():
        items.append({"text": str(msg), "href": f"#{name}"})
    for msg in getattr(form, "form_errors", None) or ():
        items.append({"text": str(msg)})
    return items


def _merge(params: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """Overrides win; dicts merge key by key at every depth, so label={"size": "l"} keeps
    the label's text and fieldset={"legend": {"size": "m"}} keeps the legend's."""
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(params.get(key), dict):
            params[key] = _merge(dict(params[key]), value)
        else:
            params[key] = value
    return params


def _render_kw(field: Field, params: dict[str, Any]) -> None:
    attributes: dict[str, Any] = {}
    for key, value in (field.render_kw or {}).items():
        if key == "class":
            params["classes"] = f"{params.get('classes', '')} {value}".strip()
        elif key in _PARAM_KEYS:
            params[key] = value
        else:
            attributes[key] = value
    if attributes:
        params["attributes"] = attributes


def _choice_items(field: Field, selected_key: str) -> list[dict[str, Any]]:
    """nhsuk ``items`` for a choice field. A choice's ``render_kw`` may carry ``hint`` (radios
    and checkboxes), ``disabled``, or ``divider`` ("or")."""
    items = []
    for opt in field:
        item: dict[str, Any] = {"value": opt._value(), "text": str(opt.label.text), selected_key: bool(opt.checked)}
        extra = getattr(getattr(opt, "choice", None), "render_kw", None) or {}
        if extra.get("hint"):
            item["hint"] = {"text": str(extra["hint"])}
        if extra.get("disabled"):
            item["disabled"] = True
        if extra.get("divider"):
            items.append({"divider": str(extra["divider"])})
        items.append(item)
    return items


def nhs_field(field: Field, component: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The parameters for the nhsuk macro that renders ``field`` (see ``nhs_component``).

    Label from the field's label, hint from ``description``, the current value,
    ``errorMessage`` from the first error, and options as ``items`` with
    ``checked``/``selected``. Radios and checkboxes use ``idPrefix`` (the first
    input's id) and a fieldset legend; the date input uses ``<id>-day`` etc.
    ``render_kw`` is honoured (``class`` -> ``classes``; macro parameters such as
    ``autocomplete`` pass through; anything else becomes an HTML attribute).
    Keyword ``overrides`` win; dicts are merged key by key.
    """
    kind = nhs_component(field, component)
    label_text = str(field.label.text) if field.label else field.name
    params: dict[str, Any] = {"name": field.name}
    if kind in ("radios", "checkboxes", "dateInput"):
        legend = {"text": label_text, "size": "s"}
        params["fieldset"] = {"legend": legend}
    else:
        params["label"] = {"text": label_text}
    if field.description:
        params["hint"] = {"text": str(field.description)}
    msg = first_error(field)
    if msg:
        params["errorMessage"] = {"text": msg}

    if kind in ("radios", "checkboxes"):
        params["idPrefix"] = field.id
        if isinstance(field, BooleanField):
            # A single checkbox: its own label says what ticking it means, no legend.
            params.pop("fieldset", None)
            params["items"] = [{"value": "y", "text": label_text, "checked": bool(field.data)}]
        else:
            params["items"] = _choice_items(field, "checked")
    elif kind == "select":
        params["id"] = field.id
        params["items"] = _choice_items(field, "selected")
    elif kind == "dateInput":
        params["id"] = field.id
        values = field.part_values() if isinstance(field, DateInputField) else {p: "" for p in DATE_PARTS}
        error_part = getattr(field, "error_part", None) if msg else None
        items = []
        for part, width in zip(DATE_PARTS, (2, 2, 4)):
            item: dict[str, Any] = {
                "id": f"{field.id}-{part}",
                "name": f"{field.name}-{part}",
                "label": part.capitalize(),
                "value": values.get(part, ""),
                "width": width,
            }
            if error_part and part == error_part:
                item["classes"] = "nhsuk-input--error"
            items.append(item)
        params["items"] = items
    elif kind == "hidden":
        params["id"] = field.id
        params["value"] = field._value()
    elif kind == "submit":
        params["text"] = label_text
    else:
        params["id"] = field.id
        if kind not in ("passwordInput", "fileUpload"):
            # Never echo a password back into the page.
            params["value"] = field._value()
        if kind == "characterCount":
            params["maxlength"] = _max_length(field)
        if kind in ("textarea", "characterCount"):
            params["rows"] = 5
        if kind == "passwordInput":
            params["autocomplete"] = "current-password"
        if kind == "fileUpload" and isinstance(field, MultipleFileField):
            params["multiple"] = True
        if kind == "input":
            _input_type(field, params)
    _render_kw(field, params)
    return _merge(params, overrides)


def _input_type(field: Field, params: dict[str, Any]) -> None:
    if isinstance(field, EmailField):
        params.update(type="email", autocomplete="email", spellcheck=False)
    elif isinstance(field, URLField):
        params.update(type="url", spellcheck=False)
    elif isinstance(field, TelField):
        params.update(type="tel", autocomplete="tel")
    elif isinstance(field, SearchField):
        params.update(type="search")
    elif isinstance(field, IntegerField):
        # GOV.UK advice: type="text" with a numeric keyboard, not type="number".
        params.update(inputmode="numeric")
    elif isinstance(field, (DecimalField, FloatField)):
        params.update(inputmode="decimal")
    elif isinstance(field, DateTimeLocalField):
        params.update(type="datetime-local")
    elif isinstance(field, TimeField):
        params.update(type="time")
    elif isinstance(field, MonthField):  # a DateField subclass: test it first
        params.update(type="month")
    elif isinstance(field, DateField):
        params.update(type="date")
