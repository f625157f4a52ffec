"""The OpenAPI document matches the implementation: a bounded schemathesis run over every operation
(on the Flask app through WSGI) finds no server error, no undocumented status code and no response
that breaks its schema."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from .conftest import bearer


def test_the_document_is_served_and_describes_every_api_route(client, app):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.")
    documented = {"/api/v1" + p for p in doc["paths"]}
    routes = {str(r.rule).replace("<int:", "{").replace("<", "{").replace(">", "}")
              for r in app.url_map.iter_rules() if r.endpoint.startswith("api.v1.")}
    assert routes == documented


def test_the_api_conforms_to_its_openapi_document(app, db_session, admin, token):
    """Every operation, with up to 15 generated requests each, called with a commercial admin's
    write token so that the write operations are exercised too (inside the test's rolled-back
    transaction). Runs through schemathesis's Python API (its pytest loader for lazily made
    schemas does not work with pytest 9 yet)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    # A schema-valid body can still name an organisation or system that does not exist: 422.
    schema.config.checks.positive_data_acceptance.expected_statuses.append("422")
    # Every page and endpoint refuses a NUL character with 400 (PostgreSQL cannot store one).
    schema.config.generation.allow_x00 = False
    headers = bearer(token(admin, "write"))
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate(headers=headers)

        try:
            run()
        except Exception as e:  # noqa: BLE001 - every operation's failures are collected, then reported together
            failures.append(f"{operation.method.upper()} {operation.path}: {e}")
    assert operations >= 15
    assert not failures, "\n\n".join(failures)
