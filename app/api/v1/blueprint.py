"""The JSON API's blueprint, /api/v1: token authentication, caching and the one error shape.

A flask-smorest blueprint: each route declares its parameters, body and answer with marshmallow
schemas, which both check the request and make the OpenAPI document (app/api/v1/document.py).
It is nested in the "api" blueprint (endpoints "api.v1.…") and is the only part of the app
exempt from CSRF: it authenticates with bearer tokens and never reads the session cookie.

The route modules import `v1` from here; nothing here imports them (app/api/views.py does, to
register them), so the package has no import circle.
"""
from __future__ import annotations

from flask import current_app, g
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from app.errors import DomainError, IllegalTransition
from app.extensions import csrf, db

from .core import ApiError, authenticate, conditional, error_response
from .parsing import Parser


class ApiBlueprint(Blueprint):
    """flask-smorest's blueprint reading parameters and bodies with the API's parser."""

    ARGUMENTS_PARSER = Parser()


v1 = ApiBlueprint("v1", __name__, url_prefix="/api/v1")
csrf.exempt(v1)


@v1.before_request
def _authenticate():
    authenticate()


@v1.after_request
def _cache(response):
    return conditional(response)


@v1.teardown_request
def _forget_user(exc=None):
    # The token's user belongs to this request only (g outlives a request when an app context
    # was already pushed, as in tests and CLI-driven clients).
    g.pop("_login_user", None)
    g.pop("api_token", None)


@v1.errorhandler(ApiError)
def _api_error(e: ApiError):
    db.session.rollback()
    return error_response(e.status, e.message, e.field)


@v1.errorhandler(DomainError)
def _domain_error(e: DomainError):
    # A business rule refused the change: 409 for a lifecycle conflict, 422 for a bad value.
    db.session.rollback()
    status = 409 if isinstance(e, IllegalTransition) or not e.field else 422
    return error_response(status, e.message, e.field)


MESSAGES = {404: "Not found.", 405: "Method not allowed.", 413: "The request is too large."}


@v1.errorhandler(HTTPException)
def _http_error(e: HTTPException):
    # Errors raised in a view. A path or method no route matches never reaches the blueprint:
    # app/web.py answers those (JSON under /api/, with the Allow header on a 405).
    return error_response(e.code or 500, MESSAGES.get(e.code, e.description or "Error."))


@v1.errorhandler(Exception)
def _unexpected(e: Exception):
    if isinstance(e, HTTPException):  # pragma: no cover - handled above
        return _http_error(e)
    db.session.rollback()
    current_app.logger.exception("API error")
    if current_app.config.get("PROPAGATE_API_ERRORS"):
        raise e
    return error_response(500, "Sorry, there is a problem with the service.")
