"""The JSON API, the OCDS publication and the open-data downloads.

Two blueprints:
  * `bp` ("api"), registered by create_app: the OCDS endpoints (/ocds/...), the open-data
    downloads (/open-data/...) and the "API tokens" pages, which are ordinary pages with CSRF;
  * `v1` ("api.v1", nested in bp) at /api/v1: the JSON API. Only it is exempt from CSRF: it
    authenticates with bearer tokens and never reads the session cookie.
"""
from __future__ import annotations

from flask import Blueprint, current_app
from werkzeug.exceptions import HTTPException

from app.errors import DomainError, IllegalTransition
from app.extensions import csrf, db

from .core import ApiError, authenticate, error_response

bp = Blueprint("api", __name__)
v1 = Blueprint("v1", __name__, url_prefix="/api/v1")
csrf.exempt(v1)


@v1.before_request
def _authenticate():
    authenticate()


@v1.teardown_request
def _forget_user(exc=None):
    # The token's user belongs to this request only (g outlives a request when an app context
    # was already pushed, as in tests and CLI-driven clients).
    from flask import g

    g.pop("_login_user", None)
    g.pop("api_token", None)


@bp.errorhandler(ApiError)
@v1.errorhandler(ApiError)  # v1's catch-all below would otherwise win over bp's handler
def _api_error(e: ApiError):
    db.session.rollback()
    return error_response(e.status, e.message, e.field)


@v1.errorhandler(DomainError)
def _domain_error(e: DomainError):
    # A business rule refused the change: 409 for a lifecycle conflict, 422 for a bad value.
    db.session.rollback()
    status = 409 if isinstance(e, IllegalTransition) or not e.field else 422
    return error_response(status, e.message, e.field)


@v1.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    messages = {404: "Not found.", 405: "Method not allowed.", 413: "The request is too large."}
    return error_response(e.code or 500, messages.get(e.code, e.description or "Error."))


@v1.errorhandler(Exception)
def _unexpected(e: Exception):
    if isinstance(e, HTTPException):  # pragma: no cover - handled above
        return _http_error(e)
    db.session.rollback()
    current_app.logger.exception("API error")
    if current_app.config.get("PROPAGATE_API_ERRORS"):
        raise e
    return error_response(500, "Sorry, there is a problem with the service.")


from . import openapi_view, registry_api  # noqa: E402,F401  (routes on v1)
from . import offers_api, concentration_api, competitions_api  # noqa: E402,F401
from . import ocds_views, open_data, token_pages  # noqa: E402,F401  (routes on bp)

bp.register_blueprint(v1)
