"""The plumbing every JSON API endpoint shares: token authentication, errors, permission checks,
query parameters, pagination with links, and conditional GETs (ETag / If-None-Match).

An API request never uses the session: the user is the owner of the bearer token, or nobody.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from flask import g, jsonify, request, url_for
from flask_login import AnonymousUserMixin

from app.accounts.permissions import can
from app.extensions import db

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25


class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(self, status: int, message: str, field: str | None = None):
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def error_response(status: int, message: str, field: str | None = None):
    body: dict[str, Any] = {"status": status, "message": message}
    if field:
        body["field"] = field
    response = jsonify({"error": body})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Exemplar Exchange API"'
    return response


def authenticate() -> None:
    """Find the user from `Authorization: Bearer <token>`; never from the session cookie.

    Setting g._login_user means Flask-Login's current_user is this user (or anonymous) for the
    whole request, so the audit log and services see the token's owner and no session is read.
    """
    from .services import token_for_secret, touch_token

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


# ---------------------------------------------------------------------------------------------
# Parameters and bodies

def int_arg(name: str, default: int | None = None, *, minimum: int = 1, maximum: int | None = None) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a whole number.", name) from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ApiError(400, f"{name} must be at least {minimum}{upper}.", name)
    return value


def str_arg(name: str, choices=None, max_length: int = 200) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > max_length:
        raise ApiError(400, f"{name} must be at most {max_length} characters.", name)
    if value and choices is not None and value not in choices:
        raise ApiError(400, f"{name} must be one of: {', '.join(choices)}.", name)
    return value


def date_arg(name: str) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        if "T" in raw:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
        return date.fromisoformat(raw)
    except ValueError:
        raise ApiError(400, f"{name} must be a date, YYYY-MM-DD.", name) from None


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "Send a JSON object as the request body (Content-Type: application/json).")
    return body


def body_str(body: dict, name: str, *, required: bool = False, max_length: int = 5000) -> str | None:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ApiError(422, f"Enter {name.replace('_', ' ')}.", name)
        return None
    if not isinstance(value, str):
        raise ApiError(422, f"{name} must be a string.", name)
    if len(value) > max_length:
        raise ApiError(422, f"{name} must be at most {max_length} characters.", name)
    return value.strip()


def body_date(body: dict, name: str, *, required: bool = False) -> date | None:
    value = body_str(body, name, required=required, max_length=10)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, f"{name} must be a date, YYYY-MM-DD.", name) from None


def body_int(body: dict, name: str, *, required: bool = False, minimum: int = 0,
             maximum: int = 10**9) -> int | None:
    value = body.get(name)
    if value is None:
        if required:
            raise ApiError(422, f"Enter {name.replace('_', ' ')}.", name)
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
        raise ApiError(422, f"{name} must be a whole number from {minimum} to {maximum}.", name)
    return value


# ---------------------------------------------------------------------------------------------
# Answers

def iso(value) -> str | None:
    """Dates and times as ISO 8601 (Flask's default would write HTTP dates)."""
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    return value


def ok(payload: Any, status: int = 200, headers: dict | None = None):
    """A JSON answer. GETs carry an ETag and answer 304 to a matching If-None-Match."""
    response = jsonify(payload)
    response.status_code = status
    for k, v in (headers or {}).items():
        response.headers[k] = v
    if request.method in ("GET", "HEAD") and status == 200:
        response.add_etag()
        if api_user() is None:
            response.headers["Cache-Control"] = "public, max-age=60"
        else:
            response.headers["Cache-Control"] = "private, no-cache"
        response.make_conditional(request)
    return response


def _link(page: int, per_page: int) -> str:
    args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=page, per_page=per_page)


def page_args() -> tuple[int, int]:
    page = int_arg("page", 1, minimum=1, maximum=100_000)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, minimum=1, maximum=MAX_PER_PAGE)
    return page, per_page


def paginated(stmt, serialize: Callable[[Any], dict], extra: dict | None = None) -> dict:
    """One page of a select() of model objects as {"items", "page", "per_page", "total", "links"}."""
    page, per_page = page_args()
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
    if extra:
        payload.update(extra)
    return payload


def paginate_list(rows: list, serialize: Callable[[Any], dict], extra: dict | None = None) -> dict:
    """Pagination of rows already in memory (small lists such as suppliers)."""
    page, per_page = page_args()
    chunk = rows[(page - 1) * per_page: page * per_page]
    return page_payload([serialize(r) for r in chunk], page, per_page, len(rows), extra)
