"""Request plumbing shared by every page: security headers, error pages, the user loader,
navigation, and the one-commit-per-request helper."""
from __future__ import annotations

import logging
import secrets
import time
from dataclasses import dataclass
from typing import Callable

from flask import Flask, flash, g, jsonify, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .errors import DomainError
from .extensions import db, login_manager

log = logging.getLogger("exemplar.request")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


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


def commit() -> None:
    """Commit the request's one transaction: the change and its audit entries land together."""
    db.session.commit()


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/ocds/")


def init_app(app: Flask) -> None:
    from flask import url_for

    @login_manager.user_loader
    def load_user(session_id: str):
        from .accounts.models import User

        try:
            user_id, version = (int(x) for x in session_id.split(":", 1))
        except (ValueError, AttributeError):
            return None
        user = db.session.get(User, user_id)
        if user is None or user.session_version != version or not user.active:
            return None
        return user

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = app.config.get("SESSION_PROTECTION", "strong")

    @app.before_request
    def _start():
        g.request_id = request.headers.get("X-Request-Id") or secrets.token_hex(8)
        g.started = time.perf_counter()

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if app.config.get("HSTS"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if current_user and getattr(current_user, "is_authenticated", False):
            # Signed-in pages may show private data: never keep them in a shared cache.
            response.headers.setdefault("Cache-Control", "private, no-store")
        response.headers["X-Request-Id"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("request_id=%s method=%s path=%s status=%s ms=%.1f", g.get("request_id"),
                 request.method, request.path, response.status_code, elapsed)
        return response

    from .accounts.roles import ROLES

    app.add_template_filter(lambda r: ROLES.get(r, r), "role_label")

    @app.context_processor
    def _nav():
        if g.get("server_error"):
            return {"nav_items": []}  # the 500 page must not touch the database
        user = current_user if getattr(current_user, "is_authenticated", False) else None
        items = []
        for n in _NAV:
            if not n.visible(user):
                continue
            href = url_for(n.endpoint)
            items.append({"href": href, "text": n.text,
                          "current": bool(n.prefix) and request.path.startswith(n.prefix)})
        return {"nav_items": items}

    def _error(status: int, message: str | None = None):
        if wants_json():
            return jsonify({"error": {"status": status, "message": message or _DEFAULT[status]}}), status
        return render_template(f"errors/{status}.html", message=message), status

    for status in (400, 403, 404, 405, 429):
        app.register_error_handler(status, lambda e, s=status: _error(s, getattr(e, "description", None)
                                                                      if s in (400,) else None))

    @app.errorhandler(CSRFError)
    def _csrf(e):
        return _error(400, "Your form expired or was sent from another site. Go back, refresh the page and try again.")

    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        # A rule refused the action and no view caught it: show the message, change nothing.
        db.session.rollback()
        if wants_json():
            return jsonify({"error": {"status": 409, "message": e.message, "field": e.field}}), 409
        flash(e.message, "error")
        return render_template("errors/400.html", message=e.message), 409

    @app.errorhandler(500)
    def _server_error(e):
        db.session.rollback()
        g.server_error = True
        return _error(500)

    @app.errorhandler(HTTPException)
    def _other(e: HTTPException):
        if wants_json():
            return jsonify({"error": {"status": e.code, "message": e.description}}), e.code
        return e


_DEFAULT = {
    400: "The request could not be understood.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "Method not allowed.",
    429: "Too many requests. Try again later.",
    500: "Sorry, there is a problem with the service.",
}
