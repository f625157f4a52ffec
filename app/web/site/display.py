"""Page data turned into the parameters of the display macros in templates/macros/ui.html:
summary lists, tables, status tags and pagination (template globals, see templating.py)."""
from __future__ import annotations

from typing import Any

from flask import url_for
from markupsafe import Markup

from app.web import formatting


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
