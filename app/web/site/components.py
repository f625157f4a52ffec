"""The NHS.UK frontend in Jinja: template loading, filters, and WTForms glue.

``init_app(app)`` makes the nhsuk-frontend-jinja macros importable
(``{% from "nhsuk/components/button/macro.jinja" import button %}``), switches on
what they need (``ChainableUndefined``, autoescaping of ``.jinja`` files), and
registers the display filters from ``app.formatting`` and the form helpers
below.

There is no WTForms widget set for NHS.UK, so ``nhs_field`` turns a field into
the parameters the nhsuk macros take, and ``templates/macros/forms.html``
picks the macro. ``DateInputField`` is the NHS three-box date (day, month,
year) as a WTForms field.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date
from typing import Any, Iterator

from flask import Flask, current_app, url_for
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
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
from wtforms.utils import unset_value
from wtforms.validators import Length, StopValidation

from . import formatting

__all__ = [
    "AUTOESCAPE_EXTENSIONS",
    "DateInputField",
    "asset_url",
    "error_anchor",
    "error_summary_items",
    "init_app",
    "nhs_component",
    "nhs_field",
    "pagination_params",
    "summary_rows",
    "table_params",
    "tag_params",
]

AUTOESCAPE_EXTENSIONS = (".html", ".htm", ".jinja", ".xml", ".xhtml", ".svg")

FILTERS = {
    "money": formatting.money,
    "money_whole": formatting.money_whole,
    "number": formatting.number,
    "london_date": formatting.london_date,
    "london_datetime": formatting.london_datetime,
    "london_time": formatting.london_time,
    "iso_date": formatting.iso_date,
    "iso_datetime": formatting.iso_datetime,
    "title_case_org": formatting.title_case_org,
}

#: Shown in the error summary for a failed CSRF check on the form itself.
CSRF_MESSAGE = "Your form expired. Refresh the page and try again."


def _autoescape(template_name: str | None) -> bool:
    if template_name is None:  # render_template_string
        return True
    return template_name.endswith(AUTOESCAPE_EXTENSIONS)


def init_app(app: Flask) -> None:
    """Load the nhsuk macros, set Jinja up for them, and register filters and globals."""
    nhsuk_loader = PackageLoader("nhsuk_frontend_jinja")
    # Flask's environment loader dispatches to app.jinja_loader and then to each
    # blueprint's loader, so wrap the app's own loader rather than replacing the
    # environment's: the app's templates win, blueprint templates still load.
    own = app.jinja_loader
    if not (isinstance(own, ChoiceLoader) and nhsuk_loader.package_name in
            {getattr(loader, "package_name", None) for loader in own.loaders}):
        app.jinja_loader = ChoiceLoader([own, nhsuk_loader] if own is not None else [nhsuk_loader])

    env = app.jinja_env
    env.undefined = ChainableUndefined  # nhsuk templates read params.a.b.c freely
    env.autoescape = _autoescape
    env.filters.update(FILTERS)
    env.globals.update(
        nhs_field=nhs_field,
        nhs_component=nhs_component,
        error_summary_items=error_summary_items,
        error_anchor=error_anchor,
        asset_url=asset_url,
        summary_rows=summary_rows,
        table_params=table_params,
        tag_params=tag_params,
        pagination_params=pagination_params,
    )


# ---------------------------------------------------------------------------
# Static assets with a cache-busting query
# ---------------------------------------------------------------------------

_ASSET_VERSIONS: dict[str, tuple[float, str]] = {}


def asset_url(filename: str) -> str:
    """``url_for('static', filename=...)`` plus ``?v=<content hash>`` so browsers can cache it.

    A file that is missing (assets not built yet) gets no query rather than an error.
    """
    folder = current_app.static_folder or ""
    path = os.path.join(folder, filename)
    try:
        mtime = os.path.getmtime(path)
    except OSError:
        return url_for("static", filename=filename)
    cached = _ASSET_VERSIONS.get(path)
    if cached is None or cached[0] != mtime:
        with open(path, "rb") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:10]
        cached = (mtime, digest)
        _ASSET_VERSIONS[path] = cached
    return url_for("static", filename=filename, v=cached[1])


# ---------------------------------------------------------------------------
# The NHS date input as a WTForms field
# ---------------------------------------------------------------------------

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

    One entry per field with errors, in form order, then the form-level errors
    (``form.form_errors``), which have no field to link to.
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


# ---------------------------------------------------------------------------
# Parameters for the display macros in templates/macros/ui.html
# ---------------------------------------------------------------------------


def _content(value: Any) -> dict[str, Any]:
    """{"html": ...} for markup (already safe), else {"text": ...}; None shows as empty."""
    if isinstance(value, Markup) or hasattr(value, "__html__"):
        return {"html": Markup(value)}
    return {"text": "" if value is None else str(value)}


def summary_rows(rows: Any) -> list[dict[str, Any]]:
    """Rows for nhsuk ``summaryList`` from simple shapes.

    Each row is one of: a ``(key, value)`` or ``(key, value, href)`` tuple; a dict
    ``{"key": "Name", "value": ..., "href": "/edit", "action": "Change"}``; or an
    nhsuk row already (``{"key": {"text": ...}, ...}``), passed through. A value
    that is ``Markup`` is shown as HTML, anything else as text. ``None`` rows are
    skipped, so ``(... if cond else None)`` works in a list.
    """
    out: list[dict[str, Any]] = []
    for row in rows or ():
        if row is None:
            continue
        if isinstance(row, dict):
            if isinstance(row.get("key"), dict):
                out.append(row)
                continue
            key, value = row.get("key"), row.get("value")
            href, action = row.get("href"), row.get("action", "Change")
        else:
            key, value, href = (tuple(row) + (None,))[:3]
            action = "Change"
        item: dict[str, Any] = {"key": {"text": str(key)}, "value": _content(value)}
        if href:
            item["actions"] = {"items": [{"href": href, "text": action,
                                          "visuallyHiddenText": str(key).lower()}]}
        out.append(item)
    return out


def _cell(value: Any, header: bool = False) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, bool):
        return {"text": "Yes" if value else "No"}
    if isinstance(value, (int, float)) and not header:
        return {"text": formatting.number(value), "format": "numeric"}
    return _content(value)


def table_params(head: Any, rows: Any, caption: str | None = None, **kw: Any) -> dict[str, Any]:
    """Parameters for nhsuk ``table``: head and cells may be strings, numbers, Markup or
    nhsuk cell dicts. Numbers get thousands separators and are right-aligned, and a
    column whose header is a dict with ``"format": "numeric"`` is right-aligned too.
    Extra keywords (``responsive``, ``firstCellIsHeader``, ``classes``...) pass through.
    """
    head_cells = [_cell(h, header=True) for h in (head or ())]
    numeric = [h.get("format") == "numeric" for h in head_cells]
    body = []
    for row in rows or ():
        cells = []
        for i, value in enumerate(row):
            cell = _cell(value)
            if i < len(numeric) and numeric[i] and "format" not in cell:
                cell = {**cell, "format": "numeric"}
            cells.append(cell)
        body.append(cells)
    # A column of numbers gets a right-aligned header to match.
    for i, h in enumerate(head_cells):
        column = [r[i] for r in body if i < len(r)]
        if column and "format" not in h and all(c.get("format") == "numeric" for c in column):
            head_cells[i] = {**h, "format": "numeric"}
    params: dict[str, Any] = {"head": head_cells, "rows": body}
    if caption:
        params["caption"] = caption
        params.setdefault("captionSize", "s")
    params.update(kw)
    return params


def tag_params(status: Any, text: str | None = None) -> dict[str, Any]:
    """Parameters for nhsuk ``tag``: the status in words, coloured by kind (see formatting)."""
    colour = formatting.status_colour(status)
    params: dict[str, Any] = {"text": text or formatting.status_text(status)}
    if colour:
        params["classes"] = f"nhsuk-tag--{colour}"
    return params


def pagination_params(page_obj: Any, endpoint: str, args: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """Parameters for nhsuk numbered ``pagination`` from a Flask-SQLAlchemy ``Pagination``
    (``page``, ``pages``, ``has_prev``, ``has_next``, ``prev_num``, ``next_num``).
    URLs are ``url_for(endpoint, page=n, **args)``. None when there is only one page.
    """
    pages = int(getattr(page_obj, "pages", 0) or 0)
    if pages <= 1:
        return None
    args = {k: v for k, v in (args or {}).items() if k != "page"}
    page = int(page_obj.page)
    items: list[dict[str, Any]] = []
    for n in formatting.page_window(page, pages):
        if n is None:
            items.append({"ellipsis": True})
        else:
            items.append({"number": n, "href": url_for(endpoint, page=n, **args), "current": n == page})
    params: dict[str, Any] = {"items": items}
    if page_obj.has_prev:
        params["previous"] = {"href": url_for(endpoint, page=page_obj.prev_num, **args)}
    if page_obj.has_next:
        params["next"] = {"href": url_for(endpoint, page=page_obj.next_num, **args)}
    return params
