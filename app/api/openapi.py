"""The OpenAPI 3 document of the JSON API, written as data.

Kept next to the code it describes and checked against it by a schemathesis run in the test
suite (tests/api/test_openapi_conformance.py): every documented operation is called with
generated input, and any 5xx, undocumented status or response that does not match its schema
fails the suite. The offers, concentration and competitions parts are in openapi_more.py.
"""
from __future__ import annotations

from typing import Any

S = dict[str, Any]


def ref(name: str) -> S:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: S) -> S:
    return {**schema, "nullable": True}


STR, INT, BOOL, NUM = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "number"}
CODE, SLUG, TEXT = {"type": "string", "maxLength": 10}, {"type": "string", "maxLength": 60}, {"type": "string", "maxLength": 200}
DATE = {"type": "string", "format": "date"}
NSTR, NDATE, NINT = nullable(STR), nullable(DATE), nullable(INT)


def obj(required: list[str], **props: S) -> S:
    return {"type": "object", "required": required, "properties": props}


def page_of(item: str) -> S:
    return obj(["items", "page", "per_page", "total", "links"], items={"type": "array", "items": ref(item)},
               page=INT, per_page=INT, total=INT, links=ref("Links"))


def json_content(schema: S) -> S:
    return {"application/json": {"schema": schema}}


def ok(schema: S, description: str = "OK") -> S:
    return {"description": description, "content": json_content(schema),
            "headers": {"ETag": {"schema": STR, "description": "Send it back as If-None-Match to get 304"}}}


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
    "403": {"$ref": "#/components/responses/Forbidden"},
    "404": {"$ref": "#/components/responses/NotFound"},
}
WRITE_ERRORS = {**ERRORS, "409": {"$ref": "#/components/responses/Conflict"},
                "422": {"$ref": "#/components/responses/Unprocessable"}}
NOT_MODIFIED = {"304": {"description": "Not modified (the If-None-Match ETag still matches)"}}

PAGE_PARAMS = [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}]
OPTIONAL_AUTH: list[S] = [{}, {"bearerAuth": []}]
REQUIRED_AUTH: list[S] = [{"bearerAuth": []}]


def query(name: str, description: str, schema: S | None = None) -> S:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema or TEXT}


def path(name: str, schema: S | None = None) -> S:
    return {"name": name, "in": "path", "required": True, "schema": schema or STR}


def get(summary: str, tag: str, response: S, params: list[S] | None = None, paged: bool = False,
        security: list[S] | None = None) -> S:
    return {"get": {
        "summary": summary, "tags": [tag], "security": security or OPTIONAL_AUTH,
        "parameters": (params or []) + (PAGE_PARAMS if paged else []),
        "responses": {"200": response, **NOT_MODIFIED, **ERRORS},
    }}


def post(summary: str, tag: str, body: S | None, response: S, status: str = "200") -> S:
    op: S = {"summary": summary, "tags": [tag], "security": REQUIRED_AUTH,
             "responses": {status: response, **WRITE_ERRORS}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": json_content(body)}
    return {"post": op}


def _enum(values) -> S:
    return {"type": "string", "enum": list(values)}


def registry_schemas() -> S:
    from app.registry.vocab import (CONFIDENCE, DEPLOYMENT_STATUSES, FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES,
                                    ORG_KINDS, SYSTEM_CATEGORIES, TRUST_TYPES)

    organisation = obj(["ods_code", "name", "kind", "url"], ods_code=STR, name=STR, kind=_enum(ORG_KINDS),
                       trust_type=nullable(_enum(TRUST_TYPES)), region=NSTR, icb=NSTR, town=NSTR, postcode=NSTR,
                       opened_on=NDATE, closed_on=NDATE, url=STR, html_url=STR)
    deployment = obj(["id", "organisation", "system", "status", "confidence"], id=INT, organisation=STR,
                     organisation_name=STR, system=STR, system_name=STR, status=_enum(DEPLOYMENT_STATUSES),
                     since=NDATE, until=NDATE, status_as_of=NSTR, confidence=_enum(CONFIDENCE), historical=BOOL,
                     source_url=NSTR, source_text=NSTR, notes=NSTR, url=STR)
    membership = obj(["id", "framework", "lot", "organisation", "status"], id=INT, framework=STR, lot=INT,
                     lot_label=STR, organisation=STR, organisation_name=STR, status=_enum(MEMBERSHIP_STATUSES),
                     name_at_admission=NSTR, admitted_on=NDATE)
    system = obj(["slug", "name", "supplier", "category", "standards"], slug=STR, name=STR, supplier=STR,
                 supplier_name=STR, category=_enum(SYSTEM_CATEGORIES),
                 standards={"type": "array", "items": STR}, live_organisations=INT, url=STR)
    lot = obj(["framework", "number", "name"], framework=STR, number=INT, name=STR, label=STR, description=STR,
              url=STR, admitted_exemplars=INT)
    framework = obj(["slug", "name", "status", "ocid"], slug=STR, name=STR, status=_enum(FRAMEWORK_STATUSES),
                    description=STR, starts_on=NDATE, ends_on=NDATE, source_url=NSTR, ocid=STR, url=STR)
    return {
        "Organisation": organisation,
        "OrganisationDetail": {"allOf": [organisation, obj(["deployments", "memberships"], deployments={
            "type": "array", "items": ref("Deployment")}, memberships={"type": "array", "items": ref("Membership")})]},
        "Supplier": obj(["slug", "register_id", "name"], slug=STR, register_id=STR, name=STR, url=STR,
                        systems={"type": "array", "items": STR}),
        "SupplierDetail": obj(["slug", "name", "systems"], slug=STR, register_id=STR, name=STR, url=STR,
                              systems={"type": "array", "items": ref("System")}),
        "System": system,
        "Deployment": deployment,
        "DeploymentInput": obj(["organisation", "system", "status", "source_url"],
                               organisation={**STR, "description": "ODS code of the trust"},
                               system={**STR, "description": "slug of the system"},
                               status=_enum(DEPLOYMENT_STATUSES), since=nullable(DATE), until=nullable(DATE),
                               confidence=_enum(CONFIDENCE), source_url={**STR, "format": "uri"}, notes=NSTR),
        "EndDeploymentInput": obj(["until", "reason"], until=DATE, reason={**STR, "minLength": 1}),
        "Framework": framework,
        "FrameworkDetail": {"allOf": [framework, obj(["lots"], call_off_rules={"type": "object"},
                                                     award_criteria={"type": "array", "items": STR},
                                                     lots={"type": "array", "items": ref("Lot")})]},
        "Lot": lot,
        "LotDetail": {"allOf": [lot, obj(["memberships"], memberships={"type": "array", "items": ref("Membership")})]},
        "Membership": membership,
        "OrganisationPage": page_of("Organisation"),
        "SupplierPage": page_of("Supplier"),
        "SystemPage": page_of("System"),
        "DeploymentPage": page_of("Deployment"),
        "FrameworkPage": page_of("Framework"),
        "LotPage": page_of("Lot"),
        "MembershipPage": page_of("Membership"),
        "Me": obj(["email", "name", "organisation", "roles", "token"], email=STR, name=STR, organisation=STR,
                  roles={"type": "array", "items": STR},
                  token=obj(["prefix", "scope"], prefix=STR, name=STR, scope=_enum(("read", "write")))),
    }


def registry_paths() -> S:
    from app.registry.vocab import (CONFIDENCE, DEPLOYMENT_STATUSES, FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES,
                                    ORG_KINDS, SYSTEM_CATEGORIES, TRUST_TYPES)

    t = "Register"
    return {
        "/organisations": get("Organisations (trusts, ICBs, regions), by ODS code", t, ok(ref("OrganisationPage")), [
            query("q", "Name or ODS code contains", TEXT), query("kind", "Kind", _enum(ORG_KINDS)),
            query("type", "Trust type", _enum(TRUST_TYPES)), query("region", "Region ODS code", CODE),
            query("icb", "ICB ODS code", CODE)], paged=True),
        "/organisations/{ods_code}": get("One organisation with its deployments and memberships", t,
                                         ok(ref("OrganisationDetail")), [path("ods_code")]),
        "/suppliers": get("Suppliers", t, ok(ref("SupplierPage")), paged=True),
        "/suppliers/{slug}": get("One supplier with its systems", t, ok(ref("SupplierDetail")), [path("slug")]),
        "/systems": get("Clinical systems", t, ok(ref("SystemPage")), [
            query("category", "Category", _enum(SYSTEM_CATEGORIES)), query("supplier", "Supplier slug", SLUG)], paged=True),
        "/systems/{slug}": get("One system", t, ok(ref("System")), [path("slug")]),
        "/deployments": {**get("Deployments: which trust runs which system", t, ok(ref("DeploymentPage")), [
            query("organisation", "ODS code", CODE), query("system", "System slug", SLUG),
            query("status", "Status", _enum(DEPLOYMENT_STATUSES)),
            query("confidence", "Confidence", _enum(CONFIDENCE))], paged=True),
            **post("Record a deployment (commercial admin, write token)", t, ref("DeploymentInput"),
                   {"description": "Created", "content": json_content(ref("Deployment"))}, "201")},
        "/deployments/{deployment_id}": get("One deployment", t, ok(ref("Deployment")), [path("deployment_id", INT)]),
        "/deployments/{deployment_id}/end": {"post": {
            **post("End a deployment (commercial admin, write token)", t, ref("EndDeploymentInput"),
                   ok(ref("Deployment")))["post"], "parameters": [path("deployment_id", INT)]}},
        "/frameworks": get("Frameworks (drafts only for the commercial team and auditors)", t,
                           ok(ref("FrameworkPage")), [query("status", "Status", _enum(FRAMEWORK_STATUSES))],
                           paged=True),
        "/frameworks/{slug}": get("One framework with its call-off rules and lots", t, ok(ref("FrameworkDetail")),
                                  [path("slug")]),
        "/frameworks/{slug}/lots": get("The lots of a framework", t, ok(ref("LotPage")), [path("slug")], paged=True),
        "/frameworks/{slug}/lots/{number}": get("One lot with its exemplars", t, ok(ref("LotDetail")),
                                                [path("slug"), path("number", INT)]),
        "/memberships": get("Exemplar memberships (admitted and suspended; all for the commercial team)", t,
                            ok(ref("MembershipPage")), [
                                query("framework", "Framework slug", SLUG),
                                query("status", "Status", _enum(MEMBERSHIP_STATUSES)),
                                query("organisation", "ODS code", CODE)], paged=True),
        "/me": get("The token's user", "Tokens", ok(ref("Me")), security=REQUIRED_AUTH),
    }


def document() -> S:
    from .openapi_more import more_paths, more_schemas

    error = obj(["error"], error=obj(["status", "message"], status=INT, message=STR, field=NSTR))
    responses = {name: {"description": text, "content": json_content(ref("Error"))} for name, text in (
        ("BadRequest", "A parameter or the body is malformed"),
        ("Unauthorized", "No token, or the token is not valid"),
        ("Forbidden", "The token's user may not do this, or the token can only read"),
        ("NotFound", "No such object, or not one you may see"),
        ("Conflict", "A business rule refused the change"),
        ("Unprocessable", "A value is not acceptable (see error.field)"),
    )}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Exemplar Exchange API",
            "version": "1.0.0",
            "description": "The framework register, service offers, concentration figures and call-off "
                           "competitions of Exemplar Exchange. Public data needs no token; send a personal "
                           "token as `Authorization: Bearer <token>` for the rest. See docs/api.md.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": OPTIONAL_AUTH,
        "paths": {**registry_paths(), **more_paths(), "/openapi.json": {"get": {
            "summary": "This document", "tags": ["Meta"], "security": OPTIONAL_AUTH,
            "responses": {"200": {"description": "The OpenAPI document", "content": json_content({"type": "object"})},
                          **NOT_MODIFIED}}}},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A personal API token (page ‘API tokens’)"}},
            "parameters": {
                "page": {"name": "page", "in": "query", "required": False,
                         "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}},
                "per_page": {"name": "per_page", "in": "query", "required": False,
                             "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25}},
            },
            "responses": responses,
            "schemas": {
                "Error": error,
                "Links": obj(["self", "next", "prev"], self=STR, next=NSTR, prev=NSTR),
                **registry_schemas(),
                **more_schemas(),
            },
        },
    }
