"""The plumbing every JSON API endpoint shares: token authentication, errors, permission checks,
pagination with links, and conditional GETs (ETag / If-None-Match). Parameters and bodies are
read by the schemas (app/api/v1/fields.py, app/api/v1/parsing.py).

An API request never uses the session: the user is the owner of the bearer token, or nobody.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from functools import wraps

from flask import g, jsonify, request, url_for
from flask_login import AnonymousUserMixin
from flask_smorest import Blueprint

from app.accounts.permissions import can
from app.extensions import db

class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def error_response(status: int, message: str, field: str | None = None, headers: dict | None = None):
    body: dict[str, Any] = {"status": status, "message": message}
    if field:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    response.headers.update(headers or {})
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Exemplar Exchange API"'
    return response


def authenticate() -> None:
    """Find the user from `Authorization: Bearer <token>`; never from the session cookie.

    Setting g._login_user means Flask-Login's current_user is this user (or anonymous) for the
    whole request, so the audit log and services see the token's owner and no session is read.
    """
    from app.api.services import token_for_secret, touch_token

    g.api_token = None
    g._login_user = AnonymousUserMixin()
    header = request.headers.get("Authorization")
    if header is None:
        return
    scheme, _, secret = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(401, "Send your token as ‘Authorization: Bearer <token>’.")
    token = token_for_secret(secret.strip())
    if token is None:
        raise ApiError(401, "This token is not valid: it is unknown, revoked or expired, or its user is inactive.")
    g.api_token = token
    g._login_user = token.user
    touch_token(token)


def api_user():
    """The token's user, or None for an anonymous request."""
    token = g.get("api_token")
    return token.user if token is not None else None


def allow(action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Refuse unless the token's user may do `action` (the same rules as the pages).

    Anonymous → 401 (send a token); signed in but not allowed → 403, or 404 when even the
    object's existence is private (hide=True).
    """
    user = api_user()
    if can(user, action, obj):
        return
    if hide:
        raise ApiError(404, "Not found.")
    if user is None:
        raise ApiError(401, "Send a token with ‘Authorization: Bearer <token>’ to do this.")
    raise ApiError(403, "You do not have permission to do this.")


def require_token() -> None:
    """Endpoints that are never public answer 401 to an anonymous request, before anything else."""
    if g.get("api_token") is None:
        raise ApiError(401, "Send a token with ‘Authorization: Bearer <token>’.")


def require_write() -> None:
    """Writes need a token with write scope."""
    token = g.get("api_token")
    if token is None:
        raise ApiError(401, "Send a token with write scope to change anything.")
    if token.scope != "write":
        raise ApiError(403, "This token can only read. Create a token with write scope.")


#: The document's security of an operation that needs a token (the others: a token is optional).
REQUIRED_AUTH = [{"bearerAuth": []}]


def _guard(check: Callable[[], None], token: bool):
    """A decorator that runs `check` before the request's parameters and body are read, so that a
    request nobody may make is refused as such (401/403) whatever it sends."""
    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            check()
            return view(*args, **kwargs)
        return Blueprint.doc(security=REQUIRED_AUTH)(guarded) if token else guarded
    return decorator


def needs(action: str):
    """Anyone the rule `action` allows (anonymous included, when it does)."""
    return _guard(lambda: allow(action), token=False)


def needs_token(action: str | None = None):
    """A token, then the rule `action`."""
    def check():
        require_token()
        if action:
            allow(action)
    return _guard(check, token=True)


def writes(action: str | None = None):
    """A token with write scope, then the rule `action`."""
    def check():
        require_write()
        if action:
            allow(action)
    return _guard(check, token=True)


# ---------------------------------------------------------------------------------------------
# Answers

def iso(value) -> str | None:
    """Dates and times as ISO 8601 (Flask's default would write HTTP dates)."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def conditional(response):
    """A successful GET carries an ETag and answers 304 to a matching If-None-Match. Anonymous
    answers may be kept by shared caches for a minute; answers to a token are private."""
    if request.method in ("GET", "HEAD") and response.status_code == 200:
        response.add_etag()
        response.headers["Cache-Control"] = "public, max-age=60" if api_user() is None else "private, no-cache"
        response.make_conditional(request)
    return response


def ok(payload: Any, status: int = 200, headers: dict | None = None):
    """A JSON answer made by hand (the OCDS packages), with the same caching as the JSON API's."""
    response = jsonify(payload)
    response.status_code = status
    response.headers.update(headers or {})
    return conditional(response)


def _link(page: int, per_page: int) -> str:
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=page, per_page=per_page)


def paginated(stmt, serialize: Callable[[Any], dict], args: dict, extra: dict | None = None) -> dict:
    """One page of a select() of model objects as {"items", "page", "per_page", "total", "links"}."""
    page, per_page = args["page"], args["per_page"]
    result = db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)
    return page_payload([serialize(i) for i in result.items], page, per_page, result.total or 0, extra)


def page_payload(items: list, page: int, per_page: int, total: int, extra: dict | None = None) -> dict:
    pages = max(1, -(-total // per_page))
    payload = {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "links": {
            "self": _link(page, per_page),
            "next": _link(page + 1, per_page) if page < pages else None,
            "prev": _link(page - 1, per_page) if page > 1 else None,
        },
    }
    payload.update(extra or {})
    return payload


def paginate_list(rows: list, serialize: Callable[[Any], dict], args: dict) -> dict:
    """Pagination of rows already in memory (small lists such as suppliers)."""
    page, per_page = args["page"], args["per_page"]
    chunk = rows[(page - 1) * per_page: page * per_page]
    return page_payload([serialize(r) for r in chunk], page, per_page, len(rows))
