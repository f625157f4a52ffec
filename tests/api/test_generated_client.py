"""A client generated from the served OpenAPI document, as a team elsewhere would make one
(openapi-python-client, offline, into a temporary folder), lists every resource of the API through
the app (a WSGI transport), and every live answer it got is checked against the document.

Before the document was made from the schemas, such a client crashed listing organisations: the
document gave `trust_type` an enum without null, and 88 of 383 live answers broke it.
"""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import httpx
import pytest
import schemathesis

from app.registry.models import Organisation

PACKAGE = "exx_generated_client"


@pytest.fixture()
def generated(client, tmp_path, monkeypatch):
    """The generated client package, imported from tmp_path."""
    document = tmp_path / "openapi.json"
    document.write_text(client.get("/api/v1/openapi.json").get_data(as_text=True), encoding="utf-8")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"post_hooks": []}), encoding="utf-8")  # no formatter run: nothing but the generator
    # Offline: a local document, and any request would go to a proxy that is not there.
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(document), "--meta", "none",
         "--output-path", str(tmp_path / PACKAGE), "--config", str(config)],
        capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr  # nothing of the document skipped
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]
    yield importlib.import_module(PACKAGE)
    for name in [m for m in sys.modules if m.startswith(PACKAGE)]:
        del sys.modules[name]


def api(name: str):
    """A generated operation module, by tag folder and operationId."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


def test_a_generated_client_lists_every_resource_and_every_answer_matches_the_document(
        app, client, generated, admin, token, db_session):
    seen: list[httpx.Response] = []

    def keep(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    transport = httpx.WSGITransport(app=app)
    api_client = generated.AuthenticatedClient(
        base_url="http://localhost/api/v1", token=token(admin), raise_on_unexpected_status=True,
        httpx_args={"transport": transport, "event_hooks": {"response": [keep]}})
    models = importlib.import_module(f"{PACKAGE}.models")

    def every(module: str, page_model: str, **kw) -> list:
        """Every item of a list, page by page, through the generated client."""
        items, page = [], 1
        while True:
            result = api(module).sync(client=api_client, page=page, per_page=100, **kw)
            assert isinstance(result, getattr(models, page_model)), (module, result)
            items += result.items
            if result.links.next_ is None:
                return items
            page += 1

    organisations = every("register.organisations", "OrganisationPage")
    assert len(organisations) == db_session.query(Organisation).count()
    assert any(o.trust_type is None for o in organisations)
    assert any(o.trust_type is not None for o in organisations)
    for org in organisations:
        detail = api("register.organisation").sync(client=api_client, ods_code=org.ods_code)
        assert detail.ods_code == org.ods_code
    suppliers = every("register.suppliers", "SupplierPage")
    assert api("register.supplier").sync(client=api_client, slug=suppliers[0].slug).slug == suppliers[0].slug
    systems = every("register.systems", "SystemPage")
    assert api("register.system").sync(client=api_client, slug=systems[0].slug).slug == systems[0].slug
    deployments = every("register.deployments", "DeploymentPage")
    assert api("register.deployment").sync(client=api_client, deployment_id=deployments[0].id).id == deployments[0].id
    frameworks = every("register.frameworks", "FrameworkPage")
    for fw in frameworks:
        api("register.framework").sync(client=api_client, slug=fw.slug)
        for lot in every("register.lots", "LotPage", slug=fw.slug):
            api("register.lot").sync(client=api_client, slug=fw.slug, number=lot.number)
    assert every("register.memberships", "MembershipPage")
    offers = every("offers.offers_search", "OfferPage")
    assert offers and api("offers.offer").sync(client=api_client, offer_id=offers[0].id).id == offers[0].id
    competitions = every("competitions.competitions", "CompetitionPage")
    for c in competitions:
        api("competitions.competition").sync(client=api_client, competition_id=c.id)
    figures = api("concentration.concentration").sync(client=api_client)
    assert 0 <= figures.figures.hhi <= 10000
    assert api("tokens.me").sync(client=api_client).email == admin.email
    assert api("meta.openapi").sync_detailed(client=api_client).status_code == 200

    schema = schemathesis.openapi.from_dict(client.get("/api/v1/openapi.json").get_json())
    failures = []
    for response in seen:
        operation = schema.find_operation_by_path(response.request.method, response.request.url.path[len("/api/v1"):])
        assert operation is not None, response.request.url
        try:
            operation.validate_response(response)
        except Exception as e:  # noqa: BLE001 - every failure is collected, then reported together
            failures.append(f"{response.request.method} {response.request.url}: {e}")
    assert len(seen) > 250 and failures == [], "\n".join(failures[:10])
