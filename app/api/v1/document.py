"""The OpenAPI document of the JSON API, served at /api/v1/openapi.json.

flask-smorest and apispec make it from the routes themselves: each operation's parameters, body
and answer from the marshmallow schemas that also check the request and shape the answer, its
summary and description from the view's docstring. What every operation shares is added here, in
one place: the path relative to the server `/api/v1`, an operationId (the endpoint's name), who
may call it (a token optional, or required), the ETag and 304 of a GET, the error answers, and
`allowEmptyValue` on the optional query parameters (an empty one is the same as leaving it out).

The document is built once per app, on first request, when every route is registered.
"""
from __future__ import annotations

import copy
from typing import Any

import flask_smorest
from flask import Flask, current_app, jsonify
from flask_smorest.spec.plugins import FlaskPlugin

from .blueprint import v1
from .fields import Error

PREFIX = "/api/v1"
OPTIONAL_AUTH: list[dict] = [{}, {"bearerAuth": []}]
ERRORS = {"400": "BadRequest", "401": "Unauthorized", "403": "Forbidden", "404": "NotFound",
          "409": "Conflict", "422": "Unprocessable"}
ERROR_TEXT = {
    "BadRequest": "A parameter or the body is malformed (see error.field)",
    "Unauthorized": "No token, or the token is not valid",
    "Forbidden": "The token's user may not do this, or the token can only read",
    "NotFound": "No such object, or not one you may see",
    "Conflict": "A business rule refused the change",
    "Unprocessable": "A value is not acceptable (see error.field)",
}
READ_ERRORS, WRITE_ERRORS = ("400", "401", "403", "404"), ("400", "401", "403", "404", "409", "422")
INFO = {
    "title": "Exemplar Exchange API",
    "version": "1.0.0",
    "description": "The framework register, service offers, concentration figures and call-off competitions of "
                   "Exemplar Exchange. Public data needs no token; send a personal token as "
                   "`Authorization: Bearer <token>` for the rest. Every error is "
                   '`{"error": {"status", "message", "field"}}`. An empty query parameter is the same as '
                   "leaving it out. See docs/api.md.",
}
TAGS = {"Register": "Organisations, suppliers, systems, deployments, frameworks, lots and memberships",
        "Offers": "Exemplars' service offers", "Concentration": "Supplier concentration figures",
        "Competitions": "Call-off competitions (a token is needed)", "Tokens": "Personal API tokens",
        "Meta": "This document"}


class _SpecMaker(flask_smorest.Api):
    """flask-smorest's Api used only to write the document: the API's errors are v1's own (one
    shape, app/api/v1/blueprint.py) and must not replace the HTML error pages of the whole app,
    which the Api's own handler for every HTTPException would."""

    ERROR_SCHEMA = Error
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self):
        pass


def _build(app: Flask) -> dict[str, Any]:
    maker = _SpecMaker(app, spec_kwargs={"title": INFO["title"], "version": INFO["version"],
                                         "openapi_version": "3.0.3", "info": {"description": INFO["description"]}})
    app.cli.commands.pop("openapi", None)  # flask-smorest's `flask openapi` would print the raw spec, not this
    maker.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer", "description": "A personal API token (page ‘API tokens’)"})
    v1.register_views_in_doc(maker, app, maker.spec, name="api.v1", parameters=None)
    return _finish(app, maker.spec.to_dict())


def _endpoints(app: Flask) -> dict[tuple[str, str], str]:
    """(path relative to the server, method) → the endpoint's name, for every JSON API route."""
    out = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api.v1."):
            path = FlaskPlugin.flaskpath2openapi(rule.rule).removeprefix(PREFIX)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                out[(path, method.lower())] = rule.endpoint.removeprefix("api.v1.")
    return out


def _finish(app: Flask, doc: dict[str, Any]) -> dict[str, Any]:
    names = _endpoints(app)
    doc["servers"] = [{"url": PREFIX}]
    doc["security"] = OPTIONAL_AUTH
    doc["tags"] = [{"name": name, "description": text} for name, text in TAGS.items()]
    doc["paths"] = {path.removeprefix(PREFIX): item for path, item in sorted(doc["paths"].items())}
    components = doc.setdefault("components", {})
    components.get("schemas", {}).pop("PaginationMetadata", None)  # flask-smorest's; this API pages in the body
    components["responses"] = {name: {"description": text, "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}} for name, text in ERROR_TEXT.items()}
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            op.setdefault("operationId", names[(path, method)])
            op.setdefault("security", OPTIONAL_AUTH)
            responses = op.setdefault("responses", {})
            for status in [s for s in responses if s in ERRORS]:
                del responses[status]  # flask-smorest's own names for them; replaced by the API's below
            for status in (READ_ERRORS if method == "get" else WRITE_ERRORS):
                responses[status] = {"$ref": f"#/components/responses/{ERRORS[status]}"}
            if method == "get":
                responses["304"] = {"description": "Not modified (the If-None-Match ETag still matches)"}
                ok = responses.get("200", {})
                ok.setdefault("headers", {})["ETag"] = {
                    "schema": {"type": "string"}, "description": "Send it back as If-None-Match to get 304"}
            for param in op.get("parameters", []):
                if param.get("in") == "query" and not param.get("required"):
                    param["allowEmptyValue"] = True
    return doc


def document(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI document (a copy: callers may change it)."""
    app = app or current_app._get_current_object()
    cached = app.extensions.get("exemplar_openapi")
    if cached is None:
        cached = app.extensions["exemplar_openapi"] = _build(app)
    return copy.deepcopy(cached)


@v1.route("/openapi.json", tags=["Meta"])
@v1.response(200, {"type": "object"}, description="The OpenAPI document")
def openapi():
    """This document

    The OpenAPI 3.0 description of every operation, parameter and answer of the API, made from
    the same declarations that check requests and shape answers. Browsable at /api/docs.
    """
    return jsonify(document())
