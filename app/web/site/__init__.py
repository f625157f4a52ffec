"""The page level of the web layer, above the domains: it wires every page of the app.

`init_app(app)` sets up the templates (templating.py), the request plumbing (security headers,
request ids, refusing NUL characters, the user loader, the navigation every page shows, the error
pages), the public page cache (app.web.pagecache), and the role dashboard's panels
(dashboards.py). Only the app factory imports this package.
"""
from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Flask, abort, flash, g, jsonify, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.routing import IntegerConverter

from app.errors import DomainError
from app.extensions import SAFE_METHODS, db, login_manager
from app.web import nav_items, pagecache

from . import dashboards  # noqa: F401  (registers the role panels of the dashboard)
from . import templating

log = logging.getLogger("exemplar.request")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class DatabaseIntConverter(IntegerConverter):
    """`<int:…>` in URLs, capped at the largest id the databases store (PostgreSQL `integer`): a
    longer number in a link is a 404, not an overflow error from the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits, min, max, signed)


def _has_nul() -> bool:
    """Whether the path, the query or a submitted form holds a NUL character."""
    values = [request.path, *(v for _, vs in request.args.lists() for v in vs)]
    if request.method not in SAFE_METHODS and request.mimetype in ("application/x-www-form-urlencoded",
                                                                    "multipart/form-data"):
        values += [v for _, vs in request.form.lists() for v in vs]
    return any("\x00" in v for v in values)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with the signing serializer made once per secret key (and
    fallbacks) instead of on every request."""

    def get_signing_serializer(self, app: Flask):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made = getattr(self, "_made", None)
        if made is None or made[0] != key:
            made = self._made = (key, super().get_signing_serializer(app))
        return made[1]


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/ocds/")


def init_app(app: Flask) -> None:
    """Everything every page shares; called once by create_app."""
    from flask import url_for

    templating.init_app(app)
    app.url_map.converters["int"] = DatabaseIntConverter
    app.session_interface = SessionInterface()

    from sqlalchemy.orm import joinedload

    @login_manager.user_loader
    def load_user(session_id: str):
        from app.accounts.models import User

        try:
            user_id, version = (int(x) for x in session_id.split(":", 1))
        except (ValueError, AttributeError):
            return None
        # One statement: the user, the organisation and the roles joined (the roles' own select
        # was a second round trip on every signed-in request).
        user = db.session.get(User, user_id, options=[joinedload(User.role_rows)])
        if user is None or user.session_version != version or not user.active:
            return None
        return user

    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = app.config.get("SESSION_PROTECTION", "strong")

    def _start():
        # A caller's id is kept only if it is short and plain, so it cannot flood or forge log lines.
        given = request.headers.get("X-Request-Id", "")
        g.request_id = given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
        g.started = time.perf_counter()
        if getattr(app.view_functions.get(request.endpoint or ""), "accepts_documents", False):
            # Before anything reads the body: upload routes take a document and the rest of the form.
            request.max_content_length = app.config["DOCUMENT_MAX_BYTES"] + 1024 * 1024
        if isinstance(request.routing_exception, SecurityError):
            raise request.routing_exception  # a Host not in TRUSTED_HOSTS: refused before anything runs
        if _has_nul():
            abort(400)  # PostgreSQL cannot hold a NUL: refuse it here rather than answer 500 later

    # First of all before-request functions (CSRF's among them), so even a refused request has its id.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)

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
        # Only a request whose session names a user (or that signed one in) can be signed in: an
        # anonymous request does not load the user for this (Flask-Login's loader, session
        # protection's hash), the most of what a cached public page cost besides its log line.
        if ("_user_id" in session or g.get("_login_user") is not None) and \
                getattr(current_user, "is_authenticated", False):
            # Signed-in pages may show private data: never keep them in a shared cache.
            response.headers.setdefault("Cache-Control", "private, no-store")
        response.headers["X-Request-Id"] = g.get("request_id", "")
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        # One structured line per request (app/logging_setup.py adds request_id and user_id).
        log.info("%s %s %s", request.method, request.path, response.status_code,
                 extra={"status": response.status_code, "duration_ms": round(elapsed, 1)})
        return response

    from app.accounts.roles import ROLES

    app.add_template_filter(lambda r: ROLES.get(r, r), "role_label")

    @app.context_processor
    def _nav():
        if g.get("server_error"):
            return {"nav_items": []}  # the 500 page must not touch the database
        user = current_user if getattr(current_user, "is_authenticated", False) else None
        items = []
        for n in nav_items():
            if not n.visible(user):
                continue
            href = url_for(n.endpoint)
            items.append({"href": href, "text": n.text,
                          "current": bool(n.prefix) and request.path.startswith(n.prefix)})
        return {"nav_items": items}

    def _error(status: int, message: str | None = None):
        if wants_json():
            return jsonify({"error": {"status": status, "message": message or _DEFAULT[status]}}), status
        return render_template(f"errors/{status}.html", message=message, **_upload_limit(status)), status

    def _upload_limit(status: int) -> dict:
        """For the 413 page: the largest file the refused page takes (a document, or an import)."""
        if status != 413:
            return {}
        documents = getattr(app.view_functions.get(request.endpoint or ""), "accepts_documents", False)
        limit = app.config["DOCUMENT_MAX_BYTES"] if documents else app.config["MAX_CONTENT_LENGTH"] - 1024 * 1024
        return {"file_limit": f"{limit / (1024 * 1024):.0f} MB"}

    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda e, s=status: _error(s, getattr(e, "description", None)
                                                                      if s in (400,) else None))

    @app.errorhandler(405)
    def _method_not_allowed(e):
        # RFC 9110: a 405 names the methods the path does take.
        body, status = _error(405)
        return body, status, {"Allow": ", ".join(getattr(e, "valid_methods", None) or ())}

    @app.errorhandler(401)
    def _unauthorised(e):
        # `require` aborts 401 for anonymous users: send them to sign in and back (JSON for the API).
        if wants_json():
            return jsonify({"error": {"status": 401, "message": "Sign in or send an API token."}}), 401
        return login_manager.unauthorized()

    @app.errorhandler(SecurityError)
    def _untrusted_host(e):
        # The Host header names a site we do not serve (config TRUSTED_HOSTS). No page template: it
        # would need URLs, and Flask makes none for an untrusted host.
        message = "This service is not served at this address."
        if wants_json():
            return jsonify({"error": {"status": 400, "message": message}}), 400
        return app.response_class(message + "\n", status=400, mimetype="text/plain")

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

    pagecache.init_app(app)  # public pages cached by data version, ETags, conditional GETs


_DEFAULT = {
    400: "The request could not be understood.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    405: "Method not allowed.",
    413: "The request is too large.",
    429: "Too many requests. Try again later.",
    500: "Sorry, there is a problem with the service.",
}
