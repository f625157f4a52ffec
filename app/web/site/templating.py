"""The NHS.UK frontend in Jinja: template loading, filters and globals.

``init_app(app)`` makes the nhsuk-frontend-jinja macros importable
(``{% from "nhsuk/components/button/macro.jinja" import button %}``), switches on
what they need (``ChainableUndefined``, autoescaping of ``.jinja`` files), and
registers the display filters from ``app.web.formatting`` and the form, table and
pagination helpers of ``components`` and ``display`` as globals.
"""
from __future__ import annotations

import hashlib
import os

from flask import Flask, current_app, url_for
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader

from app.web import formatting

from .components import error_anchor, error_summary_items, nhs_component, nhs_field
from .display import pagination_params, summary_rows, table_params, tag_params

AUTOESCAPE_EXTENSIONS = (".html", ".htm", ".jinja", ".xml", ".xhtml", ".svg")

FILTERS = {
    "money": formatting.money,
    "money_whole": formatting.money_whole,
    "number": formatting.number,
    "counted": formatting.counted,
    "hhi": formatting.hhi,
    "hhi_change": formatting.hhi_change,
    "sterling": formatting.sterling,
    "london_date": formatting.london_date,
    "london_datetime": formatting.london_datetime,
    "london_time": formatting.london_time,
    "iso_date": formatting.iso_date,
    "iso_datetime": formatting.iso_datetime,
    "title_case_org": formatting.title_case_org,
    "filesize": formatting.filesize,
}

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
