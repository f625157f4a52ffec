"""The web layer: what every page shares.

This package's top (this module and `fields`, `formatting`, `exports`, `formerrors`, `querying`,
`pagecache`) is the toolkit a domain's views and forms use: the one commit of a request, the form
and table helpers, the CSV download, the navigation and dashboard registries. It depends on nothing
but the infrastructure, so every domain may import it.

`app.web.site` is the page level above the domains: it wires the app (security headers, error
pages, the user loader, templates) and shows the role dashboard's panels. No domain imports it;
the app factory does (tests/test_architecture.py checks both).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from app.extensions import db


def commit() -> None:
    """Commit the request's one transaction: the change and its audit entries land together."""
    db.session.commit()


def accepts_documents(view):
    """Mark a view that receives document uploads: its requests may be as large as the document
    limit (DOCUMENT_MAX_BYTES, plus room for the form) instead of MAX_CONTENT_LENGTH, which every
    other route keeps (app.web.site applies it before the body is read)."""
    view.accepts_documents = True
    return view


def audited_download(view):
    """Mark a GET that writes: a download is audited with the file's hash, so on SQLite its
    transaction takes the write lock at once (BEGIN IMMEDIATE, app.extensions) like a POST's."""
    view.writes_on_get = True
    return view


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    text: str
    order: int
    visible: Callable[[object], bool]
    prefix: str


_NAV: list[NavItem] = []


def nav_item(endpoint: str, text: str, order: int, visible: Callable[[object], bool] | None = None,
             prefix: str | None = None) -> None:
    """Add an entry to the primary navigation (each blueprint adds its own)."""
    if any(n.endpoint == endpoint for n in _NAV):
        return
    _NAV.append(NavItem(endpoint, text, order, visible or (lambda user: True), prefix or ""))
    _NAV.sort(key=lambda n: n.order)


def nav_items() -> list[NavItem]:
    """The primary navigation's entries, in order (app.web.site shows those the user may see)."""
    return list(_NAV)


_PANELS: list[tuple[int, Callable[[object], dict | None]]] = []


def dashboard_panel(order: int):
    """Register a function(user) → {"title", "items": [{"text", "href", "hint"}], "empty"} or None,
    shown on the signed-in dashboard ("what needs my attention")."""

    def register(fn):
        if fn not in (f for _, f in _PANELS):
            _PANELS.append((order, fn))
            _PANELS.sort(key=lambda p: p[0])
        return fn

    return register


def dashboard_panels(user) -> list[dict]:
    return [p for p in (fn(user) for _, fn in _PANELS) if p]
